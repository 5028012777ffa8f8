import { Hono } from 'hono';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import type { WebEnv } from '../types.js';
import { alertPages } from './alerts.js';
import { publicRecallPages } from './public.js';
import { regulatorRecallPages } from './regulator.js';

export { isOneClickUnsubscribe } from './alerts.js';

/** Recalls for the public (search, one recall, "check my product", alerts) and for regulators (signals, recalls). */
export function recallPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.route('/', publicRecallPages(ctx));
  app.route('/', alertPages(ctx));
  app.route('/', regulatorRecallPages(ctx));
  return app;
}
