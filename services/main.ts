import { printUrls, startSystem } from '../bin/system.js';

// The API alone, for scaling out; needs DATABASE_URL (and REDIS_URL to share queues with separate workers).
try {
  printUrls(await startSystem({ api: true, workers: false, seed: false }));
} catch (err) {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
}
