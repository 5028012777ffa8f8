import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitOptions {
  /** Counters shared by every API process; without it each process counts in its own memory. */
  redis?: Redis | undefined;
  /** Multiplies every limit (RATE_LIMIT_MULTIPLIER), for load tests and demos. */
  multiplier: number;
  /** Key prefix; tests give each run its own. */
  prefix: string;
}

export type RateLimitResult =
  { allowed: true; limit: number; remaining: number } | { allowed: false; limit: number; retryAfterSeconds: number };

/**
 * Fixed-window counters in Redis when REDIS_URL is set, in process memory otherwise; never in PostgreSQL, so a
 * tracking read costs no write. When Redis cannot be reached, an in-memory limiter stands in for it.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly opts: RateLimitOptions) {}

  private limiter(name: string, perWindow: number, windowSeconds: number): RateLimiterAbstract {
    const id = `${name}:${perWindow}:${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const points = Math.max(1, Math.round(perWindow * this.opts.multiplier));
      const keyPrefix = `${this.opts.prefix}rl:${name}`;
      const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix });
      limiter = this.opts.redis
        ? new RateLimiterRedis({ storeClient: this.opts.redis, points, duration: windowSeconds, keyPrefix, insuranceLimiter: memory })
        : memory;
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Counts one hit of `key` against the limit `name` (`perWindow` hits per `windowSeconds`, before the multiplier). */
  async hit(name: string, perWindow: number, key: string, windowSeconds = 60): Promise<RateLimitResult> {
    const limiter = this.limiter(name, perWindow, windowSeconds);
    try {
      const res = await limiter.consume(key);
      return { allowed: true, limit: limiter.points, remaining: res.remainingPoints };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, limit: limiter.points, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}
