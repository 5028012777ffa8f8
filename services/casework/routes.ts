import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  assignInputSchema,
  caseListQuerySchema,
  claimInputSchema,
  inspectionInputSchema,
  transitionInputSchema,
  transitionResultSchema,
} from '../../shared/schemas/casework.js';
import { bearerSecurity, currentStaff, requireStaff } from '../http/auth.js';
import type { AppEnv } from '../http/types.js';
import { validationHook } from '../http/validation.js';
import { errorDoc, staffErrors } from '../staff/routes.js';
import { assignCase, caseEventsInScope, claimNextCase, getCase, listCases, releaseCase } from './cases.js';
import { recordInspection } from './inspections.js';
import { transitionItem, type CaseworkContext } from './transitions.js';

const record = z.record(z.string(), z.unknown());
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const idParam = z.object({ id: z.coerce.number().int().positive() });
const body = <T extends z.ZodType>(schema: T, required = true) => ({ body: { required, content: { 'application/json': { schema } } } });

export function caseworkRoutes(ctx: CaseworkContext) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const casework = requireStaff(ctx, 'inspector', 'regulator');
  const regulator = requireStaff(ctx, 'regulator');
  const common = { tags: ['casework'], security: bearerSecurity, middleware: [casework] };

  app.openapi(
    createRoute({ ...common, method: 'get', path: '/cases', summary: 'Cases in your jurisdiction, most urgent first (reporter contact masked)', request: { query: caseListQuerySchema }, responses: { 200: json(z.array(record), 'Cases'), ...staffErrors } }),
    async (c) => c.json(await listCases(ctx, currentStaff(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/cases/claim',
      summary: 'Claim the most urgent unclaimed case in your jurisdiction and queues',
      request: body(claimInputSchema, false),
      responses: { 200: json(record, 'The claimed case'), 204: { description: 'Nothing to claim' }, ...staffErrors },
    }),
    async (c) => {
      const staff = currentStaff(c);
      const id = await claimNextCase(ctx, staff, c.req.valid('json')?.queue);
      if (id === undefined) return c.body(null, 204);
      return c.json(await getCase(ctx, staff, id), 200);
    },
  );

  app.openapi(
    createRoute({ ...common, method: 'get', path: '/cases/{id}', summary: 'A case with its items, inspections and events', request: { params: idParam }, responses: { 200: json(record, 'The case'), ...staffErrors } }),
    async (c) => c.json(await getCase(ctx, currentStaff(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({ ...common, method: 'get', path: '/cases/{id}/events', summary: 'Audit trail of a case and its items', request: { params: idParam }, responses: { 200: json(z.array(record), 'Events'), ...staffErrors } }),
    async (c) => c.json(await caseEventsInScope(ctx, currentStaff(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({ ...common, method: 'post', path: '/cases/{id}/release', summary: 'Put a claimed case back in the queue', request: { params: idParam }, responses: { 204: { description: 'Released' }, 409: errorDoc('Not yours, or not claimed'), ...staffErrors } }),
    async (c) => {
      await releaseCase(ctx, currentStaff(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      middleware: [regulator],
      method: 'post',
      path: '/cases/{id}/assign',
      summary: 'Reassign a case to an inspector (regulators)',
      request: { params: idParam, ...body(assignInputSchema) },
      responses: { 204: { description: 'Assigned' }, 409: errorDoc('Case closed'), ...staffErrors },
    }),
    async (c) => {
      await assignCase(ctx, currentStaff(c), c.req.valid('param').id, c.req.valid('json').inspectorId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/cases/{id}/inspections',
      summary: 'Record an on-site inspection: scale verification, CCC check or product hazard check',
      request: { params: idParam, ...body(inspectionInputSchema) },
      responses: { 201: json(record, 'Recorded, with the computed verdict'), 409: errorDoc('Case closed'), ...staffErrors },
    }),
    async (c) => c.json(await recordInspection(ctx, currentStaff(c), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/complaints/{trackingNo}/transitions',
      summary: 'Decide on an item: accept, reject, transfer, pause/resume, close; file or not file a report; extend verification',
      request: { params: z.object({ trackingNo: z.string().min(1).max(64) }), ...body(transitionInputSchema) },
      responses: { 200: json(transitionResultSchema, 'The item after the decision'), 409: errorDoc('Not allowed from the current status; details name the allowed targets'), ...staffErrors },
    }),
    async (c) =>
      c.json(
        await transitionItem({ ctx, staff: currentStaff(c), trackingNo: c.req.valid('param').trackingNo, input: c.req.valid('json'), language: c.get('language') }),
        200,
      ),
  );
  return app;
}
