/** What every domain's routes use: the error envelope, route definitions, rate limits, the request's variables. */
export { errorResponse, fieldIssues, httpStatusOf, onError } from './errors.js';
export { defineRoute, domainRouter, jsonBody, jsonResponse, staffSecurity, type Access } from './openapi.js';
export { clientAddress, perClientRateLimit, rateLimitedResponse } from './rate-limit.js';
export type { AppEnv } from './types.js';
export { validationHook } from './validation.js';
export { limitBody, requireMediaType } from './body.js';
