import { z } from 'zod';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  progressInputSchema,
  publicBaseUrl,
  recallCheckQuerySchema,
  recallCheckResultSchema,
  recallCreatedSchema,
  recallInputSchema,
  recallNoParamSchema,
  recallRecordListQuerySchema,
  recallRecordListSchema,
  recallRecordSchema,
  recallSearchQuerySchema,
  recallSearchResultSchema,
  recallStateSchema,
  recallTransitionInputSchema,
  recallViewSchema,
} from '../../shared/recalls/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse } from '../http/index.js';
import { currentStaff, requireStaff } from '../staff/index.js';
import { recallFeedXml } from './atom.js';
import { createRecall, updateRecall } from './draft-recall.js';
import { publishRecall, reportProgress, transitionRecall } from './recall-lifecycle.js';
import { getRecallRecord, listRecallRecords } from './recall-records.js';
import { checkProduct, getRecall, latestRecalls, searchRecalls } from './search-recalls.js';

const publicOp = { tags: ['recalls'], access: 'public' as const };
const regulatorOp = { tags: ['recalls'], access: 'staff' as const };
const recallParams = { params: recallNoParamSchema };

export const searchRecallsRoute = defineRoute({
  ...publicOp,
  operationId: 'searchRecalls',
  method: 'get',
  path: '/recalls',
  summary: 'Search published recalls (Chinese or English text, brand, model, category, publication dates)',
  request: { query: recallSearchQuerySchema },
  responses: { 200: jsonResponse(recallSearchResultSchema, 'One page of recalls, best match (or newest) first') },
});

export const checkProductRoute = defineRoute({
  ...publicOp,
  operationId: 'checkMyProduct',
  method: 'get',
  path: '/recalls/check',
  summary: 'Check my product: is this brand, model (and batch) under recall?',
  request: { query: recallCheckQuerySchema },
  responses: { 200: jsonResponse(recallCheckResultSchema, 'The recalls the product falls under (none: not recalled)') },
});

export const recallFeedRoute = defineRoute({
  ...publicOp,
  operationId: 'recallFeed',
  method: 'get',
  path: '/recalls.atom',
  summary: 'The latest recalls as an Atom 1.0 feed',
  responses: { 200: { description: 'Atom 1.0 feed', content: { 'application/atom+xml': { schema: z.string() } } } },
});

export const getRecallRoute = defineRoute({
  ...publicOp,
  operationId: 'getRecall',
  method: 'get',
  path: '/recalls/{recallNo}',
  summary: 'A published recall (drafts are not public)',
  request: recallParams,
  responses: { 200: jsonResponse(recallViewSchema, 'The recall') },
  errors: ['not_found'],
});

export const listRecallRecordsRoute = defineRoute({
  ...regulatorOp,
  operationId: 'listRecallRecords',
  method: 'get',
  path: '/recalls/records',
  summary: 'Recalls of your jurisdiction, drafts included, with their fan-out progress (regulators)',
  request: { query: recallRecordListQuerySchema },
  responses: { 200: jsonResponse(recallRecordListSchema, 'Recalls, most recently changed first') },
});

export const getRecallRecordRoute = defineRoute({
  ...regulatorOp,
  operationId: 'getRecallRecord',
  method: 'get',
  path: '/recalls/{recallNo}/record',
  summary: 'A recall as its regulator sees it: draft or not, due reports, fan-out progress, audit trail',
  request: recallParams,
  responses: { 200: jsonResponse(recallRecordSchema, 'The recall record') },
  errors: ['not_found'],
});

export const createRecallRoute = defineRoute({
  ...regulatorOp,
  operationId: 'createRecall',
  method: 'post',
  path: '/recalls',
  summary: 'Draft a recall (optionally from a defect signal); it gets the next number of the year',
  request: jsonBody(recallInputSchema),
  responses: { 201: jsonResponse(recallCreatedSchema, 'Drafted') },
});

export const updateRecallRoute = defineRoute({
  ...regulatorOp,
  operationId: 'updateRecall',
  method: 'put',
  path: '/recalls/{recallNo}',
  summary: 'Replace a draft recall’s content',
  request: { ...recallParams, ...jsonBody(recallInputSchema) },
  responses: { 200: jsonResponse(recallCreatedSchema, 'Saved') },
  errors: ['not_found', 'conflict'],
});

export const publishRecallRoute = defineRoute({
  ...regulatorOp,
  operationId: 'publishRecall',
  method: 'post',
  path: '/recalls/{recallNo}/publish',
  summary: 'Publish a draft: it becomes public and its notices start going out',
  request: recallParams,
  responses: { 200: jsonResponse(recallStateSchema, 'Published; the first progress report is due on nextReportDue') },
  errors: ['not_found', 'conflict'],
});

export const reportProgressRoute = defineRoute({
  ...regulatorOp,
  operationId: 'reportRecallProgress',
  method: 'post',
  path: '/recalls/{recallNo}/progress',
  summary: 'Record the producer’s progress report (units remedied); the next one falls due',
  request: { ...recallParams, ...jsonBody(progressInputSchema) },
  responses: { 201: jsonResponse(recallStateSchema, 'Recorded') },
  errors: ['not_found', 'conflict'],
});

export const transitionRecallRoute = defineRoute({
  ...regulatorOp,
  operationId: 'transitionRecall',
  method: 'post',
  path: '/recalls/{recallNo}/transitions',
  summary: 'Complete a recall (its summary falls due) or close it',
  request: { ...recallParams, ...jsonBody(recallTransitionInputSchema) },
  responses: { 200: jsonResponse(recallStateSchema, 'The recall after the transition') },
  errors: ['not_found', 'conflict'],
});

export function recallRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  const regulator = requireStaff(ctx, 'regulator');
  app.post('/recalls', regulator);
  app.put('/recalls/:recallNo', regulator);
  app.get('/recalls/records', regulator);
  for (const sub of ['record', 'publish', 'progress', 'transitions']) app.use(`/recalls/:recallNo/${sub}`, regulator);

  // Static paths before /recalls/{recallNo}.
  app.openapi(searchRecallsRoute, async (c) => c.json(await searchRecalls(ctx, c.req.valid('query')), 200));
  app.openapi(checkProductRoute, async (c) => c.json(await checkProduct(ctx, c.req.valid('query')), 200));
  app.openapi(recallFeedRoute, async (c) => {
    const base = publicBaseUrl(ctx.config);
    const xml = recallFeedXml({
      baseUrl: base,
      feedUrl: `${base}/api/v1/recalls.atom`,
      recalls: await latestRecalls(ctx),
      now: new Date(),
    });
    return c.body(xml, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
  });
  app.openapi(listRecallRecordsRoute, async (c) =>
    c.json(await listRecallRecords(ctx, { staff: currentStaff(c), query: c.req.valid('query') }), 200),
  );
  app.openapi(createRecallRoute, async (c) => c.json(await createRecall(ctx, { staff: currentStaff(c), input: c.req.valid('json') }), 201));

  app.openapi(getRecallRoute, async (c) => c.json(await getRecall(ctx, c.req.valid('param')), 200));
  app.openapi(getRecallRecordRoute, async (c) =>
    c.json(await getRecallRecord(ctx, { staff: currentStaff(c), recallNo: c.req.valid('param').recallNo }), 200),
  );
  app.openapi(updateRecallRoute, async (c) =>
    c.json(await updateRecall(ctx, { staff: currentStaff(c), recallNo: c.req.valid('param').recallNo, input: c.req.valid('json') }), 200),
  );
  app.openapi(publishRecallRoute, async (c) =>
    c.json(await publishRecall(ctx, { staff: currentStaff(c), recallNo: c.req.valid('param').recallNo }), 200),
  );
  app.openapi(reportProgressRoute, async (c) =>
    c.json(await reportProgress(ctx, { staff: currentStaff(c), recallNo: c.req.valid('param').recallNo, input: c.req.valid('json') }), 201),
  );
  app.openapi(transitionRecallRoute, async (c) =>
    c.json(
      await transitionRecall(ctx, { staff: currentStaff(c), recallNo: c.req.valid('param').recallNo, input: c.req.valid('json') }),
      200,
    ),
  );
  return app;
}
