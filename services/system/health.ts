import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Db } from '../../shared/db/connection.js';
import { errorResponse } from '../http/errors.js';
import type { AppEnv } from '../http/types.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/** /healthz: the process is up. /readyz: the database and the queue backend answer within 2 s. */
export function healthRoutes(deps: { db: Db; checkQueue: () => Promise<void> }) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = await Promise.allSettled([withTimeout(sql`select 1`.execute(deps.db), 2000), withTimeout(deps.checkQueue(), 2000)]);
    const [database, queue] = checks.map((r) => (r.status === 'fulfilled' ? 'ok' : 'unavailable'));
    if (database === 'ok' && queue === 'ok') return c.json({ status: 'ready', database, queue });
    return errorResponse(c, 'service_unavailable', 'not ready', { database, queue });
  });
  return app;
}
