/** The worker side: what an entrypoint starts (the relay and a BullMQ worker per queue) and its health server. */
export { startWorkers, type RunningWorkers } from './runner.js';
export { startWorkerHealthServer } from './health.js';
export type { WorkerContext } from './context.js';
