import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import { translateError } from '../../../shared/i18n/index.js';
import type { AnyQueue } from '../../../shared/queue/index.js';
import { errorPage } from '../errors.js';
import { commonMessages, translator } from '../messages.js';
import type { WebEnv } from '../types.js';

const BASE = '/admin/queues';

/**
 * bull-board, the BullMQ dashboard, at /admin/queues for admins only: without a staff session 401, for another role
 * 403. It works on either queue backend (Redis or PostgreSQL), since it only uses the queues' own API.
 */
export function mountQueueDashboard(app: Hono<WebEnv>, queues: readonly AnyQueue[]) {
  const serverAdapter = new HonoAdapter(serveStatic);
  serverAdapter.setBasePath(BASE);
  createBullBoard({
    // The adapter's type names Redis queues; the PostgreSQL backend's queues have the same API.
    queues: queues.map((q) => new BullMQAdapter(q as unknown as ConstructorParameters<typeof BullMQAdapter>[0])),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Job queues' } },
  });
  const adminsOnly: MiddlewareHandler<WebEnv> = async (c, next) => {
    const staff = c.get('staff');
    const lang = c.get('language');
    if (!staff) {
      c.header('WWW-Authenticate', 'Cookie realm="staff"');
      return errorPage(c, 401, translateError('sign in first', lang), {
        href: `/staff/login?next=${BASE}`,
        label: translator(commonMessages, lang)('nav.staff'),
      });
    }
    if (staff.role !== 'admin') return errorPage(c, 403, translateError('your role may not do this', lang));
    await next();
  };
  app.use(BASE, adminsOnly);
  app.use(`${BASE}/*`, adminsOnly);
  app.route(BASE, serverAdapter.registerPlugin());
}
