import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { openInfrastructure } from '../shared/runtime.js';

// Applies migrations and syncs the division table (embedded database when DATABASE_URL is unset).
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
try {
  const infra = await openInfrastructure(config, logger, { allowEmbedded: true, migrate: true });
  console.log('database is at the latest migration');
  await infra.close();
} catch (err) {
  console.error(err);
  process.exit(1);
}
