import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ServiceContext } from '../../shared/context.js';
import {
  complaintInputSchema,
  intakeResponseSchema,
  trackingResponseSchema,
} from '../../shared/schemas/complaint.js';
import { errorEnvelopeSchema } from '../../shared/schemas/errors.js';
import { perClientRateLimit } from '../http/rate-limit.js';
import type { AppEnv } from '../http/types.js';
import { validationHook } from '../http/validation.js';
import { submitComplaint } from './intake.js';
import { getTrackingView } from './tracking.js';

const errorDoc = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorEnvelopeSchema } },
});

const submitRoute = createRoute({
  method: 'post',
  path: '/complaints',
  tags: ['complaints'],
  summary: 'File a complaint (投诉) or a tip-off (举报)',
  description:
    'Stores the item and queues it for routing. Send an `Idempotency-Key` to make retries safe: a replay returns the first response.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: { required: true, content: { 'application/json': { schema: complaintInputSchema } } },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: intakeResponseSchema } } },
    400: errorDoc('Invalid body; details name every bad field'),
    409: errorDoc('Idempotency-Key reused with a different body'),
    413: errorDoc('Body over 1 MB'),
    415: errorDoc('Body is not JSON'),
    429: errorDoc('Too many requests'),
    503: errorDoc('Database unavailable'),
  },
});

const trackRoute = createRoute({
  method: 'get',
  path: '/complaints/{trackingNo}',
  tags: ['complaints'],
  summary: "Follow an item with its tracking number and access code",
  request: {
    // A malformed number is answered like an unknown one (404), so the format is not checked here.
    params: z.object({ trackingNo: z.string().min(1).max(64) }),
    headers: z.object({ 'x-access-code': z.string().min(1).max(64), 'accept-language': z.string().optional() }),
  },
  responses: {
    200: { description: 'The item as the consumer sees it', content: { 'application/json': { schema: trackingResponseSchema } } },
    400: errorDoc('Missing access code'),
    404: errorDoc('Unknown tracking number or wrong access code'),
    429: errorDoc('Too many requests'),
  },
});

export function complaintRoutes(ctx: ServiceContext) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limits = (name: string, perMinute: number) =>
    perClientRateLimit({ db: ctx.db, name, perMinute, trustProxy: ctx.config.TRUST_PROXY });
  app.post('/complaints', limits('intake', ctx.config.RATE_LIMIT_INTAKE_PER_MINUTE));
  app.get('/complaints/:trackingNo', limits('tracking', ctx.config.RATE_LIMIT_TRACKING_PER_MINUTE));

  app.openapi(submitRoute, async (c) => {
    const result = await submitComplaint({
      ctx,
      input: c.req.valid('json'),
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    return c.json(result, 201);
  });

  app.openapi(trackRoute, async (c) => {
    const view = await getTrackingView({
      ctx,
      trackingNo: c.req.valid('param').trackingNo,
      accessCode: c.req.valid('header')['x-access-code'],
      language: c.get('language'),
    });
    return c.json(view, 200);
  });
  return app;
}
