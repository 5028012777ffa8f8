import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  signalDetailSchema,
  signalIdParamSchema,
  signalListQuerySchema,
  signalListSchema,
  signalTransitionInputSchema,
  signalViewSchema,
} from '../../shared/recalls/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse } from '../http/index.js';
import { currentStaff, requireStaff } from '../staff/index.js';
import { getSignal, listSignals, transitionSignal } from './signals.js';

const common = { tags: ['signals'], access: 'staff' as const };

export const listSignalsRoute = defineRoute({
  ...common,
  operationId: 'listSignals',
  method: 'get',
  path: '/signals',
  summary: 'Defect signals involving your jurisdiction, most recently updated first (regulators)',
  request: { query: signalListQuerySchema },
  responses: { 200: jsonResponse(signalListSchema, 'Signals') },
});

export const getSignalRoute = defineRoute({
  ...common,
  operationId: 'getSignal',
  method: 'get',
  path: '/signals/{id}',
  summary: 'A defect signal with its evidence and decisions',
  request: { params: signalIdParamSchema },
  responses: { 200: jsonResponse(signalDetailSchema, 'The signal') },
  errors: ['not_found'],
});

export const transitionSignalRoute = defineRoute({
  ...common,
  operationId: 'transitionSignal',
  method: 'post',
  path: '/signals/{id}/transitions',
  summary: 'Investigate or dismiss a defect signal (a recall started from it marks it recalled when published)',
  request: { params: signalIdParamSchema, ...jsonBody(signalTransitionInputSchema) },
  responses: { 200: jsonResponse(signalViewSchema, 'The signal after the decision') },
  errors: ['not_found', 'conflict'],
});

export function signalRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  const regulator = requireStaff(ctx, 'regulator');
  app.use('/signals', regulator);
  app.use('/signals/*', regulator);
  app.openapi(listSignalsRoute, async (c) => c.json(await listSignals(ctx, { staff: currentStaff(c), query: c.req.valid('query') }), 200));
  app.openapi(getSignalRoute, async (c) => c.json(await getSignal(ctx, { staff: currentStaff(c), id: c.req.valid('param').id }), 200));
  app.openapi(transitionSignalRoute, async (c) =>
    c.json(await transitionSignal(ctx, { staff: currentStaff(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  return app;
}
