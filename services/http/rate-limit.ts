import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimits } from '../../shared/rate-limits/index.js';
import { errorResponse } from './errors.js';
import type { AppEnv } from './types.js';

/** The client's address: the socket peer, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

export function rateLimitedResponse(c: Context<AppEnv>, retryAfterSeconds: number) {
  return errorResponse(c, 'rate_limited', 'too many requests, please slow down', undefined, { 'Retry-After': String(retryAfterSeconds) });
}

/** One hit per request against the limit `name`, per client address; 429 with Retry-After past it. */
export function perClientRateLimit(
  limits: RateLimits,
  opts: { name: string; perMinute: number; trustProxy: boolean },
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const r = await limits.hit(opts.name, opts.perMinute, clientAddress(c, opts.trustProxy));
    if (!r.allowed) return rateLimitedResponse(c, r.retryAfterSeconds);
    c.header('RateLimit-Limit', String(r.limit));
    c.header('RateLimit-Remaining', String(r.remaining));
    await next();
  };
}
