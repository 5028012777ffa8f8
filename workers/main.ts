import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger/index.js';
import { handleShutdown, openInfrastructure, openQueues } from '../shared/runtime/index.js';
import { startWorkerHealthServer } from './health.js';
import { startWorkers } from './runner.js';

// The workers alone (outbox relay + every queue's processor), for scaling out; needs DATABASE_URL.
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, { process: 'workers' });
try {
  const infra = await openInfrastructure(config, logger, { allowEmbedded: false, migrate: true });
  const queues = openQueues(config, infra.databaseUrl);
  const workers = await startWorkers({ ...infra, config, logger, queueBackend: queues.backend, queues: queues.queues });
  const health = config.WORKER_HEALTH_PORT
    ? startWorkerHealthServer({ db: infra.db, checkQueue: queues.checkQueue, port: config.WORKER_HEALTH_PORT, host: config.HOST })
    : undefined;
  handleShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
    () => new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve())),
    () => workers.stop(),
    () => queues.backend.close(),
    () => infra.close(),
  ]);
} catch (err) {
  logger.fatal({ err }, 'the workers could not start');
  process.exit(1);
}
