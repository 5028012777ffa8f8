import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger/index.js';
import { openInfrastructure } from '../shared/runtime/index.js';

// Applies migrations and syncs the division table (embedded database when DATABASE_URL is unset).
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
try {
  const infra = await openInfrastructure(config, logger, { allowEmbedded: true, migrate: true });
  console.log('database is at the latest migration');
  await infra.close();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
