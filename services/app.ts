import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ServiceContext } from '../shared/context.js';
import { negotiateLanguage } from '../shared/i18n.js';
import path from 'node:path';
import { WorkingCalendar } from '../shared/domain/calendar.js';
import { FileStorage, type AttachmentStorage } from '../shared/storage.js';
import { MAX_ATTACHMENT_BYTES } from './attachments/attachments.js';
import { attachmentRoutes } from './attachments/routes.js';
import { caseworkRoutes } from './casework/routes.js';
import { complaintRoutes } from './complaints/routes.js';
import { staffRoutes } from './staff/routes.js';
import { errorResponse, onError } from './http/errors.js';
import type { AppEnv } from './http/types.js';
import { validationHook } from './http/validation.js';
import { docsRoutes } from './system/docs.js';
import { healthRoutes } from './system/health.js';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface AppDeps extends ServiceContext {
  /** Throws when the queue backend cannot be reached. */
  checkQueue: () => Promise<void>;
  calendar?: WorkingCalendar;
  storage?: AttachmentStorage;
}

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('logger', deps.logger.child({ requestId: c.get('requestId') }));
    c.set('language', negotiateLanguage(c.req.header('accept-language')));
    await next();
    // Route patterns, never concrete paths or bodies: no personal data in logs.
    c.get('logger').info(
      { method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });
  app.use('*', secureHeaders());
  // Photo uploads are multipart with their own cap; every other body is JSON of at most 1 MB.
  const isUpload = (path: string) => path.endsWith('/attachments');
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: (c) => errorResponse(c, 'payload_too_large', `request body is larger than ${MAX_JSON_BODY_BYTES} bytes`),
  });
  const uploadLimit = bodyLimit({
    maxSize: MAX_ATTACHMENT_BYTES + 64 * 1024,
    onError: (c) => errorResponse(c, 'payload_too_large', `a photo may be at most ${MAX_ATTACHMENT_BYTES} bytes`),
  });
  app.use('/api/*', (c, next) => (isUpload(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)));
  // JSON only: a body in another type is 415. Whether a body exists is read from the headers, since the Node
  // server gives every POST a body stream; a POST with no body at all (POST /cases/claim) passes.
  app.use('/api/*', async (c, next) => {
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method)) {
      const type = c.req.header('content-type');
      const length = c.req.header('content-length');
      const announcesBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      const expected = isUpload(c.req.path) ? /^multipart\/form-data\s*;/i : /^application\/json\s*(;|$)/i;
      if (type !== undefined ? !expected.test(type) : announcesBody) {
        return errorResponse(c, 'unsupported_media_type', isUpload(c.req.path) ? 'send the photo as multipart/form-data' : 'send the body as application/json');
      }
    }
    return next();
  });

  app.route('/api/v1', complaintRoutes(deps));
  app.route('/api/v1', staffRoutes(deps));
  const calendar = deps.calendar ?? new WorkingCalendar((year) => deps.logger.warn({ year }, 'no official holiday data for this year yet: deadlines count Monday to Friday'));
  app.route('/api/v1', caseworkRoutes({ ...deps, calendar }));
  app.route('/api/v1', attachmentRoutes({ ...deps, storage: deps.storage ?? new FileStorage(path.join(deps.config.DATA_DIR, 'attachments')) }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  app.route('/', healthRoutes(deps));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Consumer-protection complaint and recall tracker API',
      version: '1.0.0',
      description: '市场监督管理局 投诉举报、你点我检与缺陷产品召回 — the stable v1 contract.',
    },
    servers: [{ url: '/' }],
  });
  app.route('/', docsRoutes());

  app.notFound((c) => errorResponse(c, 'not_found', 'no such endpoint'));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
