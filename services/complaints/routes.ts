import { z } from 'zod';
import { photoUploadSchema, storedAttachmentSchema } from '../../shared/attachments/index.js';
import {
  complaintInputSchema,
  intakeResponseSchema,
  scaleScreeningQuerySchema,
  scaleScreeningSchema,
  trackingNoParamSchema,
  trackingResponseSchema,
} from '../../shared/complaints/index.js';
import { screenScaleReading } from '../../shared/metrology/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { storableString } from '../../shared/validation/index.js';
import { addAttachment } from '../attachments/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse, perClientRateLimit } from '../http/index.js';
import { getTrackingView, itemIdForConsumer } from './get-tracking-view.js';
import { submitComplaint } from './submit-complaint.js';

const accessCodeHeader = z.object({ 'x-access-code': storableString().min(1).max(64) });

export const submitComplaintRoute = defineRoute({
  operationId: 'submitComplaint',
  method: 'post',
  path: '/complaints',
  tags: ['complaints'],
  summary: 'File a complaint (投诉) or a tip-off (举报)',
  description:
    'Stores the item and queues it for routing. Send an `Idempotency-Key` to make retries safe: a replay returns the first response.',
  access: 'public',
  request: {
    headers: z.object({ 'idempotency-key': storableString().min(1).max(200).optional() }),
    ...jsonBody(complaintInputSchema),
  },
  responses: { 201: jsonResponse(intakeResponseSchema, 'Stored') },
  errors: ['idempotency_conflict', 'conflict', 'rate_limited'],
});

export const trackComplaintRoute = defineRoute({
  operationId: 'trackComplaint',
  method: 'get',
  path: '/complaints/{trackingNo}',
  tags: ['complaints'],
  summary: 'Follow an item with its tracking number and access code',
  access: 'public',
  // A malformed number is answered like an unknown one (404), so its format is checked by the use case.
  request: { params: trackingNoParamSchema, headers: accessCodeHeader.extend({ 'accept-language': z.string().optional() }) },
  responses: { 200: jsonResponse(trackingResponseSchema, 'The item as the consumer sees it') },
  errors: ['not_found', 'rate_limited'],
});

export const addConsumerPhotoRoute = defineRoute({
  operationId: 'addConsumerPhoto',
  method: 'post',
  path: '/complaints/{trackingNo}/attachments',
  tags: ['complaints'],
  summary: 'Add a photo to your complaint (tracking number and access code)',
  access: 'public',
  request: {
    params: trackingNoParamSchema,
    headers: accessCodeHeader,
    body: { required: true, content: { 'multipart/form-data': { schema: photoUploadSchema } } },
  },
  responses: { 201: jsonResponse(storedAttachmentSchema, 'Stored') },
  errors: ['not_found', 'conflict', 'rate_limited'],
});

export const screenScaleReadingRoute = defineRoute({
  operationId: 'screenScaleReading',
  method: 'get',
  path: '/screening/scale',
  tags: ['complaints'],
  summary: 'Check a scale reading against the JJG 539 in-service tolerance (the phone-as-a-weight helper)',
  access: 'public',
  request: { query: scaleScreeningQuerySchema },
  responses: { 200: jsonResponse(scaleScreeningSchema, 'Deviation, tolerance and in whose favour') },
});

export function complaintRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  const limit = (name: string, perMinute: number) =>
    perClientRateLimit(ctx.rateLimits, { name, perMinute, trustProxy: ctx.config.TRUST_PROXY });
  app.post('/complaints', limit('intake', ctx.config.RATE_LIMIT_INTAKE_PER_MINUTE));
  app.get('/complaints/:trackingNo', limit('tracking', ctx.config.RATE_LIMIT_TRACKING_PER_MINUTE));
  app.post('/complaints/:trackingNo/attachments', limit('tracking', ctx.config.RATE_LIMIT_TRACKING_PER_MINUTE));

  app.openapi(submitComplaintRoute, async (c) =>
    c.json(await submitComplaint(ctx, { input: c.req.valid('json'), idempotencyKey: c.req.valid('header')['idempotency-key'] }), 201),
  );

  app.openapi(trackComplaintRoute, async (c) =>
    c.json(
      await getTrackingView(ctx, {
        trackingNo: c.req.valid('param').trackingNo,
        accessCode: c.req.valid('header')['x-access-code'],
        language: c.get('language'),
      }),
      200,
    ),
  );

  app.openapi(screenScaleReadingRoute, (c) => c.json(screenScaleReading(c.req.valid('query')), 200));

  app.openapi(addConsumerPhotoRoute, async (c) => {
    const itemId = await itemIdForConsumer(ctx, {
      trackingNo: c.req.valid('param').trackingNo,
      accessCode: c.req.valid('header')['x-access-code'],
    });
    const file = c.req.valid('form').file;
    return c.json(
      await addAttachment(ctx, { itemId, uploader: { kind: 'consumer' }, bytes: new Uint8Array(await file.arrayBuffer()) }),
      201,
    );
  });
  return app;
}
