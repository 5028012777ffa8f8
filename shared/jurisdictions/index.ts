/** GB/T 2260 divisions and their market-supervision bureaus; where an item's jurisdiction lies. */
export { jurisdictionLevels, type JurisdictionLevel } from './vocabulary.js';
export { isMunicipality, locateJurisdiction, type DivisionIndex, type DivisionRef, type Location } from './locate.js';
export { buildJurisdictions, createDivisionIndex, loadDivisionIndex, syncJurisdictions } from './divisions.js';
export { districtSearchQuerySchema, districtSchema, type District } from './schemas.js';
