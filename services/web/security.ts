import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import type { Config } from '../../shared/config/index.js';
import { DomainError } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { clientAddress } from '../http/index.js';
import type { WebEnv } from './types.js';

/**
 * Cookies of the pages. All HttpOnly and SameSite=Lax; Secure when the site is served over HTTPS (PUBLIC_URL, or the
 * request itself), so a cookie never travels in clear text.
 */
export function cookieOptions(c: Context, config: Config, maxAgeSeconds?: number) {
  const https = (config.PUBLIC_URL ?? c.req.url).startsWith('https:');
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: https,
    path: '/',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

const CSRF_COOKIE = 'cpt_csrf';
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/** A form POST that did not come from this site's own form; the pages answer it with a 403 page. */
export class CsrfRefused extends Error {
  override name = 'CsrfRefused';
}
const csrfTokenFor = (secret: string, id: string) => createHmac('sha256', secret).update(`csrf:${id}`).digest('base64url');

/**
 * CSRF protection for every form POST, twice over: the request must come from this site (Origin or Sec-Fetch-Site,
 * Hono's csrf middleware) and carry the token bound to this browser's CSRF cookie in `_csrf`. The token is made
 * available to the page as c.get('csrfToken'). Paths `exempt` names are authorised by a token in their URL instead.
 */
export function csrfProtection(config: Config, opts: { exempt?: (path: string) => boolean } = {}): MiddlewareHandler<WebEnv> {
  const publicOrigin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined;
  const sameSite = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === publicOrigin });
  return async (c, next) => {
    let id = getCookie(c, CSRF_COOKIE);
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      id = randomBytes(18).toString('base64url');
      setCookie(c, CSRF_COOKIE, id, cookieOptions(c, config));
    }
    const token = csrfTokenFor(config.AUTH_SECRET, id);
    c.set('csrfToken', token);
    // Only what a cross-site page can send without a CORS preflight needs the token: forms (and text/plain).
    const type = c.req.header('content-type') ?? 'text/plain';
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || !FORM_TYPES.test(type)) return next();
    // A POST whose URL carries its own unguessable authority (RFC 8058 one-click unsubscribe) comes from mailbox providers' servers.
    if (opts.exempt?.(c.req.path)) return next();
    // Hono's check answers a cross-site POST by throwing HTTPException(403), which the pages render the same way.
    return sameSite(c, async () => {
      const body = await c.req.parseBody({ all: true });
      const sent = typeof body._csrf === 'string' ? Buffer.from(body._csrf) : Buffer.alloc(0);
      const expected = Buffer.from(token);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new CsrfRefused();
      await next();
    });
  };
}

/** A page's per-client rate limit: over it, the pages' 429 page with Retry-After. */
export async function overLimit(c: Context<WebEnv>, ctx: ServiceContext, name: string, perMinute: number) {
  const r = await ctx.rateLimits.hit(name, perMinute, clientAddress(c, ctx.config.TRUST_PROXY));
  if (r.allowed) return;
  c.header('Retry-After', String(r.retryAfterSeconds));
  throw new DomainError('rate_limited', 'too many requests, please slow down');
}
