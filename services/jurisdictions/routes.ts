import { z } from 'zod';
import { districtSchema, districtSearchQuerySchema } from '../../shared/jurisdictions/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { defineRoute, domainRouter, jsonResponse } from '../http/index.js';
import { searchDistricts } from './search-districts.js';

export const searchDistrictsRoute = defineRoute({
  operationId: 'searchDistricts',
  method: 'get',
  path: '/jurisdictions',
  tags: ['reference'],
  summary: 'County-level divisions (GB/T 2260) and their bureaus, by code or name',
  access: 'public',
  request: { query: districtSearchQuerySchema },
  responses: { 200: jsonResponse(z.object({ items: z.array(districtSchema) }), 'Matching divisions') },
});

export function jurisdictionRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  app.openapi(searchDistrictsRoute, async (c) => c.json({ items: await searchDistricts(ctx, c.req.valid('query')) }, 200));
  return app;
}
