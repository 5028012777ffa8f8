import { printUrls, startSystem } from './system.js';

// npm start: API and workers in one process, on embedded defaults unless DATABASE_URL / REDIS_URL / SMTP_URL are set.
try {
  const system = await startSystem({ api: true, workers: true, seed: true });
  printUrls(system);
} catch (err) {
  console.error(err);
  process.exit(1);
}
