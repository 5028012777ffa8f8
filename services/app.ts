import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { MAX_ATTACHMENT_BYTES } from '../shared/attachments/index.js';
import type { AnyQueue } from '../shared/queue/index.js';
import { negotiateLanguage } from '../shared/i18n/index.js';
import type { ServiceContext } from '../shared/runtime/index.js';
import { alertRoutes } from './alerts/index.js';
import { caseworkRoutes } from './casework/index.js';
import { complaintRoutes } from './complaints/index.js';
import { errorResponse, limitBody, onError, requireMediaType, validationHook, type AppEnv } from './http/index.js';
import { samplingRoutes } from './sampling/index.js';
import { recallRoutes } from './recalls/index.js';
import { signalRoutes } from './signals/index.js';
import { staffRoutes } from './staff/index.js';
import { docsRoutes, healthRoutes } from './system/index.js';
import { notFoundPage, webRoutes, type WebEnv } from './web/index.js';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** The JSON API of every domain, mounted under /api/v1. Adding a domain: its routes here, one line. */
const apiDomains = [complaintRoutes, staffRoutes, caseworkRoutes, samplingRoutes, recallRoutes, signalRoutes, alertRoutes] as const;

export interface AppDeps {
  /** Throws when the queue backend cannot be reached. */
  checkQueue: () => Promise<void>;
  /** The job queues, for the admins' dashboard at /admin/queues. */
  queues?: readonly AnyQueue[];
}

export function createApp(ctx: ServiceContext, deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('logger', ctx.logger.child({ requestId: c.get('requestId') }));
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
  // RFC 8058: mailbox providers POST the one-click unsubscription as a form (`List-Unsubscribe=One-Click`), whatever
  // our JSON convention; the body is not read.
  const isOneClickUnsubscribe = (path: string) => path.includes('/unsubscribe/');
  const jsonLimit = limitBody({ maxBytes: MAX_JSON_BODY_BYTES, message: `request body is larger than ${MAX_JSON_BODY_BYTES} bytes` });
  const uploadLimit = limitBody({
    maxBytes: MAX_ATTACHMENT_BYTES + 64 * 1024,
    message: `a photo may be at most ${MAX_ATTACHMENT_BYTES} bytes`,
  });
  const limitByKind: MiddlewareHandler<AppEnv> = (c, next) => (isUpload(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next));
  app.use('/api/*', limitByKind);
  app.use(
    '/api/*',
    requireMediaType((path) =>
      isUpload(path)
        ? { pattern: /^multipart\/form-data\s*;/i, hint: 'send the photo as multipart/form-data' }
        : isOneClickUnsubscribe(path)
          ? {
              pattern: /^(application\/x-www-form-urlencoded|multipart\/form-data|application\/json|text\/plain)\s*(;|$)/i,
              hint: 'any form body',
            }
          : { pattern: /^application\/json\s*(;|$)/i, hint: 'send the body as application/json' },
    ),
  );

  for (const routes of apiDomains) app.route('/api/v1', routes(ctx));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  app.route('/', healthRoutes({ db: ctx.db, checkQueue: deps.checkQueue }));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Consumer-protection complaint and recall tracker API',
      version: '1.0.0',
      description: '市场监督管理局 投诉举报、你点我检与缺陷产品召回 — the stable v1 contract.',
      license: { name: 'Proprietary', url: 'https://www.samr.gov.cn/' },
    },
    // Relative unless PUBLIC_URL says where the service is published: the reference then calls the host it is read on.
    servers: [{ url: ctx.config.PUBLIC_URL ?? '/' }],
    tags: [
      { name: 'complaints', description: 'Consumers file complaints and reports and follow them' },
      { name: 'staff', description: 'Staff sign-in and sessions' },
      { name: 'casework', description: 'The inspectors’ case queue, decisions, inspections and photos' },
      { name: 'admin', description: 'Staff account administration' },
      { name: 'sampling', description: '你点我检: campaigns, nominations, verified voting, the verifiable draw and published results' },
      {
        name: 'sampling-staff',
        description: '你点我检 for staff: campaigns, moderation, sampling tasks, results, objections, conflicts of interest',
      },
      {
        name: 'recalls',
        description: 'Defect product recalls: public search, "check my product" and feed; drafting and publication by regulators',
      },
      { name: 'signals', description: 'Defect signals: clusters of hazardous complaints for regulators to review' },
      { name: 'alerts', description: 'Recall alert subscriptions: double opt-in, one-click unsubscription' },
    ],
  });
  app.route('/', docsRoutes());
  // The pages, on the same app and port, calling the same use cases.
  app.route('/', webRoutes(ctx, { queues: deps.queues }));

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? errorResponse(c, 'not_found', 'no such endpoint') : notFoundPage(c as unknown as Context<WebEnv>),
  );
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
