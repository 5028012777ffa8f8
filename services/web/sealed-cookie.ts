import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import type { Config } from '../../shared/config/index.js';
import { seal, unseal } from '../../shared/crypto/index.js';
import { cookieOptions } from './security.js';

/**
 * A small value the browser keeps for a while but cannot read or change: AES-GCM under the server key, HttpOnly.
 * Used for what must never appear in a URL (an access code shown once, a consumer's verified view of an item).
 */
export function sealedCookie<S extends z.ZodType>(name: string, schema: S, maxAgeSeconds: number) {
  return {
    set(c: Context, config: Config, value: z.infer<S>) {
      const body = { v: value, exp: Date.now() + maxAgeSeconds * 1000 };
      setCookie(c, name, seal(config.AUTH_SECRET, JSON.stringify(body)), cookieOptions(c, config, maxAgeSeconds));
    },
    get(c: Context, config: Config): z.infer<S> | undefined {
      const raw = getCookie(c, name);
      if (!raw) return undefined;
      try {
        const body = JSON.parse(unseal(config.AUTH_SECRET, raw)) as { v: unknown; exp: number };
        if (typeof body.exp !== 'number' || body.exp < Date.now()) return undefined;
        const parsed = schema.safeParse(body.v);
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined; // tampered with, or sealed under another key
      }
    },
    clear(c: Context, config: Config) {
      deleteCookie(c, name, cookieOptions(c, config));
    },
  };
}
