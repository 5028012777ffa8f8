import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import { sql } from 'kysely';
import type { Db } from '../../shared/db/connection.js';
import { errorResponse } from './errors.js';
import type { AppEnv } from './types.js';

/**
 * A fixed-window counter store for hono-rate-limiter kept in Postgres (an UNLOGGED table), so every API
 * process behind a load balancer shares one count per client.
 */
export class PostgresRateLimitStore implements Store<AppEnv> {
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    private readonly keyPrefix: string,
  ) {}

  init(options: { windowMs: number }) {
    this.windowMs = options.windowMs;
  }

  async increment(key: string) {
    const row = await sql<{ hits: number; reset_at: Date }>`
      INSERT INTO rate_limits (key, hits, reset_at)
      VALUES (${this.keyPrefix + key}, 1, now() + make_interval(secs => ${this.windowMs / 1000}))
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.hits + 1 END,
        reset_at = CASE WHEN rate_limits.reset_at <= now() THEN excluded.reset_at ELSE rate_limits.reset_at END
      RETURNING hits, reset_at`.execute(this.db);
    const r = row.rows[0]!;
    return { totalHits: r.hits, resetTime: r.reset_at };
  }

  async decrement(key: string) {
    await sql`UPDATE rate_limits SET hits = greatest(hits - 1, 0) WHERE key = ${this.keyPrefix + key}`.execute(this.db);
  }

  async resetKey(key: string) {
    await sql`DELETE FROM rate_limits WHERE key = ${this.keyPrefix + key}`.execute(this.db);
  }
}

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

export function perClientRateLimit(opts: { db: Db; name: string; perMinute: number; trustProxy: boolean }) {
  return rateLimiter<AppEnv>({
    windowMs: 60_000,
    limit: opts.perMinute,
    standardHeaders: 'draft-7',
    keyGenerator: (c) => clientAddress(c, opts.trustProxy),
    store: new PostgresRateLimitStore(opts.db, `${opts.name}:`),
    handler: (c) => {
      const info = (c as unknown as Context).get('rateLimit') as { resetTime?: Date } | undefined;
      const seconds = info?.resetTime ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : 60;
      return errorResponse(c, 'rate_limited', 'too many requests, please slow down', undefined, {
        'Retry-After': String(seconds),
      });
    },
  });
}
