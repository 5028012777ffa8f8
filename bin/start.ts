import { seedDemoContent } from '../services/demo/index.js';
import { startApi } from '../services/server.js';
import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger/index.js';
import { createServiceContext, handleShutdown, openInfrastructure, openQueues, startupBanner } from '../shared/runtime/index.js';
import { seedDemoData } from '../shared/staff/index.js';
import { startWorkers } from '../workers/index.js';

// npm start: API and workers in one process, on embedded defaults unless DATABASE_URL / REDIS_URL / SMTP_URL are set.
// Only this all-in-one process may embed PostgreSQL, since a second process could not reach it.
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
try {
  const infra = await openInfrastructure(config, logger, { allowEmbedded: true, migrate: true });
  if (!config.isProduction) {
    const created = await seedDemoData(infra.db, { isProduction: false });
    if (created) logger.info({ created }, 'demo accounts seeded');
    if (await seedDemoContent(createServiceContext({ db: infra.db, config, logger }))) logger.info('demo content seeded');
  }
  const queues = openQueues(config, infra.databaseUrl);
  const workers = await startWorkers({ ...infra, config, logger, queueBackend: queues.backend, queues: queues.queues });
  const api = await startApi(infra, { config, logger });
  handleShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
    () => api.close(),
    () => workers.stop(),
    () => queues.backend.close(),
    () => infra.close(),
  ]);
  console.log(startupBanner(config, { port: api.port, embeddedDatabase: infra.embedded !== undefined }));
} catch (err) {
  console.error(err);
  process.exit(1);
}
