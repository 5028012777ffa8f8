import { loadConfig, type Config } from '../shared/config.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { QueueBackend } from '../shared/queues.js';
import { handleShutdown, openInfrastructure, type Infrastructure } from '../shared/runtime.js';
import { seedDemoData } from '../shared/seed.js';
import { serve } from '@hono/node-server';
import { startApi, type RunningApi } from '../services/server.js';
import { healthRoutes } from '../services/system/health.js';
import { createQueues, startWorkers, type RunningWorkers } from '../workers/runner.js';

export interface System {
  config: Config;
  logger: Logger;
  infra: Infrastructure;
  api?: RunningApi;
  workers?: RunningWorkers;
  stop(): Promise<void>;
}

/**
 * Assembles a process: the API, the workers, or both (npm start). Only the all-in-one process may embed
 * PostgreSQL, since a second process could not reach it.
 */
export async function startSystem(opts: { api: boolean; workers: boolean; seed: boolean }): Promise<System> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const infra = await openInfrastructure(config, logger, { allowEmbedded: opts.api && opts.workers, migrate: true });
  if (opts.seed && !config.isProduction) {
    const created = await seedDemoData(infra.db, { isProduction: config.isProduction });
    if (created) logger.info({ created }, 'demo accounts seeded');
  }
  const queueBackend = new QueueBackend({ redisUrl: config.REDIS_URL, databaseUrl: infra.databaseUrl, prefix: config.QUEUE_PREFIX });
  const queues = createQueues(queueBackend);
  const workers = opts.workers
    ? await startWorkers({ db: infra.db, databaseUrl: infra.databaseUrl, config, logger, queueBackend, queues })
    : undefined;
  const api = opts.api ? await startApi({ db: infra.db, config, logger, queueBackend, probeQueue: queues.triage }) : undefined;
  const health =
    !opts.api && config.WORKER_HEALTH_PORT
      ? serve({
          fetch: healthRoutes({ db: infra.db, checkQueue: () => queueBackend.ping(queues.triage) }).fetch,
          port: config.WORKER_HEALTH_PORT,
          hostname: config.HOST,
        })
      : undefined;

  const stop = async () => {
    await api?.close();
    health?.close();
    await workers?.stop();
    await queueBackend.close();
    await infra.close();
  };
  handleShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [stop]);
  return { config, logger, infra, ...(api ? { api } : {}), ...(workers ? { workers } : {}), stop };
}

export function printUrls(system: System) {
  const { config, api, infra } = system;
  const base = config.PUBLIC_URL ?? `http://localhost:${api?.port ?? config.PORT}`;
  const lines = [
    '',
    '  Consumer-protection complaint & recall tracker is running',
    `  API        ${base}/api/v1`,
    `  Docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  Health     ${base}/healthz   ${base}/readyz`,
    `  Database   ${infra.embedded ? `embedded PostgreSQL (${config.DATA_DIR}/postgres)` : 'DATABASE_URL'}`,
    `  Queues     ${config.REDIS_URL ? 'BullMQ on Redis (REDIS_URL)' : 'BullMQ on PostgreSQL (embedded default)'}`,
    `  Mail       ${config.SMTP_URL ? 'SMTP (SMTP_URL)' : `.eml files in ${config.DATA_DIR}/mail`}`,
    config.isProduction ? '' : '  Demo staff: admin@demo.local, regulator.xinxiang@demo.local, inspector.hongqi@demo.local … password demo-pass-2026',
    '',
  ];
  console.log(lines.join('\n'));
}
