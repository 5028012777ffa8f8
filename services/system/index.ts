/** Operational endpoints: health and readiness, and the API reference. */
export { healthRoutes } from './health.js';
export { docsRoutes } from './docs.js';
