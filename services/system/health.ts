import { Hono } from 'hono';
import type { Db } from '../../shared/db/index.js';
import { checkReadiness } from '../../shared/runtime/index.js';
import { errorResponse, type AppEnv } from '../http/index.js';

/** /healthz: the process is up. /readyz: the database and the queue backend answer within 2 s. */
export function healthRoutes(deps: { db: Db; checkQueue: () => Promise<void> }) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const r = await checkReadiness(deps.db, deps.checkQueue);
    if (r.ready) return c.json({ status: 'ready', database: r.database, queue: r.queue });
    return errorResponse(c, 'service_unavailable', 'not ready', { database: r.database, queue: r.queue });
  });
  return app;
}
