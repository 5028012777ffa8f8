import { seedDemoContent } from '../services/demo/index.js';
import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger/index.js';
import { createServiceContext, openInfrastructure } from '../shared/runtime/index.js';
import { seedDemoData } from '../shared/staff/index.js';

// Seeds the demo roster and demo content (idempotent; refused with NODE_ENV=production).
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
try {
  if (config.isProduction) throw new Error('refusing to seed demo accounts with NODE_ENV=production');
  const infra = await openInfrastructure(config, logger, { allowEmbedded: true, migrate: true });
  const created = await seedDemoData(infra.db, { isProduction: config.isProduction });
  const content = await seedDemoContent(createServiceContext({ db: infra.db, config, logger }));
  console.log(`demo roster seeded (${created} new accounts); demo content ${content ? 'added' : 'already there'}`);
  await infra.close();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
