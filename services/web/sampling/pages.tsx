import { Hono } from 'hono';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import type { WebEnv } from '../types.js';
import { campaignPages } from './campaigns.js';
import { conflictPages } from './conflicts.js';
import { publicSamplingPages } from './public.js';
import { taskPages } from './tasks.js';

/** 你点我检's pages: the public's (/sampling…) and the staff's (/staff/sampling…), calling the API's use cases. */
export function samplingPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.route('/', publicSamplingPages(ctx));
  app.route('/', campaignPages(ctx));
  app.route('/', taskPages(ctx));
  app.route('/', conflictPages(ctx));
  return app;
}
