import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { languages, negotiateLanguage, type Language } from '../../shared/i18n/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { AnyQueue } from '../../shared/queue/index.js';
import { adminPages } from './admin/pages.js';
import { mountQueueDashboard } from './admin/queues.js';
import { complaintPages } from './complaints/pages.js';
import { onPageError } from './errors.js';
import { isOneClickUnsubscribe, recallPages } from './recalls/pages.js';
import { regulatorPages } from './regulator/pages.js';
import { samplingPages } from './sampling/pages.js';
import { cookieOptions, csrfProtection } from './security.js';
import { loadStaff } from './session.js';
import { staffPages } from './staff/pages.js';
import { staticRoutes } from './static.js';
import type { WebEnv } from './types.js';

export { notFoundPage } from './errors.js';
export type { WebEnv } from './types.js';

export interface WebDeps {
  /** The job queues, shown to admins by bull-board at /admin/queues. */
  queues?: readonly AnyQueue[];
}

/**
 * The pages' areas. Adding pages: a folder with a pages.tsx exporting `(ctx) => Hono<WebEnv>`, and one line here;
 * the frame, the language switch, CSRF, sessions and the CSP come with it.
 */
const pageAreas = [complaintPages, staffPages, regulatorPages, samplingPages, recallPages, adminPages] as const;

const LANG_COOKIE = 'cpt_lang';

/** The pages' middleware stays off the JSON API and the operational endpoints, which share the app. */
const isPagePath = (path: string) => !/^\/(api\/|openapi\.json$|docs(\/|$)|healthz$|readyz$)/.test(path);
const pagesOnly =
  (mw: MiddlewareHandler<WebEnv>): MiddlewareHandler<WebEnv> =>
  (c, next) =>
    isPagePath(c.req.path) ? mw(c, next) : next();
const isLanguage = (v: string | undefined): v is Language => v !== undefined && (languages as readonly string[]).includes(v);

/** Server-rendered pages on the same app and port as the API, calling the same use cases. */
export function webRoutes(ctx: ServiceContext, deps: WebDeps = {}) {
  const app = new Hono<WebEnv>();
  app.route('/', staticRoutes());

  // The reader's language: ?lang= (which also sets the cookie), the cookie, then Accept-Language.
  app.use(
    '*',
    pagesOnly(async (c, next) => {
      const asked = c.req.query('lang');
      const cookie = getCookie(c, LANG_COOKIE);
      const lang = isLanguage(asked) ? asked : isLanguage(cookie) ? cookie : negotiateLanguage(c.req.header('accept-language'));
      if (isLanguage(asked)) setCookie(c, LANG_COOKIE, asked, cookieOptions(c, ctx.config, 365 * 86_400));
      c.set('language', lang);
      await next();
      c.header('Content-Language', lang);
    }),
  );
  app.get('/lang', (c) => {
    const to = c.req.query('to');
    const next = c.req.query('next') ?? '/';
    if (isLanguage(to)) setCookie(c, LANG_COOKIE, to, cookieOptions(c, ctx.config, 365 * 86_400));
    // Only a path on this site: never an open redirect.
    return c.redirect(/^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/', 303);
  });

  app.use(
    '*',
    pagesOnly(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", NONCE],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
        },
        referrerPolicy: 'same-origin',
      }),
    ),
  );
  app.use('*', pagesOnly(csrfProtection(ctx.config, { exempt: isOneClickUnsubscribe })));
  app.use('*', pagesOnly(loadStaff(ctx)));
  for (const area of pageAreas) app.route('/', area(ctx));
  if (deps.queues) mountQueueDashboard(app, deps.queues);
  app.onError(onPageError);
  return app;
}
