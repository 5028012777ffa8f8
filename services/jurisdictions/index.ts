/** The GB/T 2260 division table as the public and the pages use it: search and resolve a typed district. */
export { jurisdictionRoutes } from './routes.js';
export { countiesWithin, resolveDistrict, searchDistricts, type DistrictChoice } from './search-districts.js';
