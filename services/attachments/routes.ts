import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import type { AttachmentStorage } from '../../shared/storage.js';
import { caseInScope } from '../casework/cases.js';
import { itemForConsumer } from '../complaints/tracking.js';
import { bearerSecurity, currentStaff, requireStaff } from '../http/auth.js';
import { perClientRateLimit } from '../http/rate-limit.js';
import type { AppEnv } from '../http/types.js';
import { validationHook } from '../http/validation.js';
import { errorDoc, staffErrors } from '../staff/routes.js';
import { addAttachment, listAttachments, readAttachment } from './attachments.js';

const upload = z.object({
  file: z.instanceof(File).meta({ type: 'string', format: 'binary', description: 'a JPEG or PNG photo, at most 5 MB' }),
  trackingNo: z.string().max(64).optional(),
});
const attachmentSchema = z
  .object({ id: z.number(), contentType: z.string(), sizeBytes: z.number(), createdAt: z.string() })
  .meta({ id: 'Attachment' });
const uploadErrors = {
  400: errorDoc('Missing or damaged file'),
  409: errorDoc('Too many photos on this item'),
  413: errorDoc('File too large'),
  415: errorDoc('Not a JPEG or PNG (checked by content)'),
};
const multipart = { body: { required: true, content: { 'multipart/form-data': { schema: upload } } } };

async function bytesOf(file: File) {
  return new Uint8Array(await file.arrayBuffer());
}

export function attachmentRoutes(ctx: ServiceContext & { storage: AttachmentStorage }) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const casework = requireStaff(ctx, 'inspector', 'regulator');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/complaints/{trackingNo}/attachments',
      tags: ['complaints'],
      summary: 'Add a photo to your complaint (tracking number and access code)',
      middleware: [perClientRateLimit({ db: ctx.db, name: 'tracking', perMinute: ctx.config.RATE_LIMIT_TRACKING_PER_MINUTE, trustProxy: ctx.config.TRUST_PROXY })],
      request: { params: z.object({ trackingNo: z.string().min(1).max(64) }), headers: z.object({ 'x-access-code': z.string().min(1).max(64) }), ...multipart },
      responses: { 201: { description: 'Stored', content: { 'application/json': { schema: attachmentSchema } } }, 404: errorDoc('Unknown number or wrong code'), ...uploadErrors },
    }),
    async (c) => {
      const itemId = await itemForConsumer(ctx, c.req.valid('param').trackingNo, c.req.valid('header')['x-access-code']);
      const stored = await addAttachment({ db: ctx.db, storage: ctx.storage, itemId, uploader: { kind: 'consumer' }, bytes: await bytesOf(c.req.valid('form').file) });
      return c.json(stored, 201);
    },
  );

  const caseParam = z.object({ id: z.coerce.number().int().positive() });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/attachments',
      tags: ['casework'],
      summary: 'Add a photo to an item of a case',
      security: bearerSecurity,
      middleware: [casework],
      request: { params: caseParam, ...multipart },
      responses: { 201: { description: 'Stored', content: { 'application/json': { schema: attachmentSchema } } }, ...staffErrors, ...uploadErrors },
    }),
    async (c) => {
      const staff = currentStaff(c);
      const theCase = await caseInScope(ctx.db, staff, c.req.valid('param').id);
      const { file, trackingNo } = c.req.valid('form');
      const item = await ctx.db
        .selectFrom('items')
        .select('id')
        .where('case_id', '=', theCase.id)
        .$if(trackingNo !== undefined, (q) => q.where('tracking_no', '=', trackingNo!))
        .orderBy('id')
        .executeTakeFirst();
      if (!item) throw new DomainError('validation_failed', 'the request is invalid', [{ field: 'trackingNo', message: 'no such item on this case' }]);
      const stored = await addAttachment({ db: ctx.db, storage: ctx.storage, itemId: item.id, uploader: { kind: 'staff', staffId: staff.id }, bytes: await bytesOf(file) });
      return c.json(stored, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}/attachments',
      tags: ['casework'],
      summary: 'Photos on a case',
      security: bearerSecurity,
      middleware: [casework],
      request: { params: caseParam },
      responses: { 200: { description: 'Photos', content: { 'application/json': { schema: z.array(z.record(z.string(), z.unknown())) } } }, ...staffErrors },
    }),
    async (c) => {
      const theCase = await caseInScope(ctx.db, currentStaff(c), c.req.valid('param').id);
      return c.json(await listAttachments(ctx.db, theCase.id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}/attachments/{attachmentId}',
      tags: ['casework'],
      summary: 'Download a photo',
      security: bearerSecurity,
      middleware: [casework],
      request: { params: caseParam.extend({ attachmentId: z.coerce.number().int().positive() }) },
      responses: { 200: { description: 'The image', content: { 'image/jpeg': { schema: z.string() }, 'image/png': { schema: z.string() } } }, ...staffErrors },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      const theCase = await caseInScope(ctx.db, currentStaff(c), id);
      const file = await readAttachment(ctx.db, ctx.storage, theCase.id, attachmentId);
      return c.body(new Uint8Array(file.bytes), 200, {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="photo-${attachmentId}.${file.contentType === 'image/png' ? 'png' : 'jpg'}"`,
        'x-content-type-options': 'nosniff',
      });
    },
  );
  return app;
}
