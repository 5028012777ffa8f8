import { startSystem } from '../bin/system.js';

// The workers alone (outbox relay + every queue's processor), for scaling out; needs DATABASE_URL.
try {
  await startSystem({ api: false, workers: true, seed: false });
} catch (err) {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
}
