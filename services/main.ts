import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger/index.js';
import { handleShutdown, openInfrastructure, startupBanner } from '../shared/runtime/index.js';
import { startApi } from './server.js';

// The API alone, for scaling out; needs DATABASE_URL (and REDIS_URL to share queues with separate workers).
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, { process: 'api' });
try {
  const infra = await openInfrastructure(config, logger, { allowEmbedded: false, migrate: true });
  const api = await startApi(infra, { config, logger });
  handleShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [() => api.close(), () => infra.close()]);
  // eslint-disable-next-line no-console
  console.log(startupBanner(config, { port: api.port, embeddedDatabase: false }));
} catch (err) {
  logger.fatal({ err }, 'the API could not start');
  process.exit(1);
}
