import { UnrecoverableError } from 'bullmq';
import type { Config } from '../shared/config/index.js';
import type { Db } from '../shared/db/index.js';
import { loadDivisionIndex } from '../shared/jurisdictions/index.js';
import type { Logger } from '../shared/logger/index.js';
import { createMailer } from '../shared/mail/index.js';
import { jobQueueNames, type AnyQueue, type AnyWorker, type JobQueueName, type QueueBackend } from '../shared/queue/index.js';
import { createServiceContext } from '../shared/runtime/index.js';
import type { WorkerContext } from './context.js';
import { OutboxRelay } from './outbox-relay.js';
import { jobProcessor } from './processor.js';
import { Reconciler, registerSchedules } from './reconcile.js';
import { queueRegistry } from './registry.js';

export interface RunningWorkers {
  relay: OutboxRelay;
  reconciler: Reconciler;
  context: WorkerContext;
  stop(): Promise<void>;
}

/** Starts the outbox relay, one BullMQ worker per registered queue and the reconciler, and registers the schedules. */
export async function startWorkers(deps: {
  db: Db;
  databaseUrl: string;
  config: Config;
  logger: Logger;
  queueBackend: QueueBackend;
  queues: Record<JobQueueName, AnyQueue>;
  /**
   * Tests start the relay themselves to simulate the hand-off to the queue being down; the reconciler, which hands
   * work over too, then waits for its own start() as well.
   */
  startRelay?: boolean;
}): Promise<RunningWorkers> {
  const logger = deps.logger.child({ component: 'workers' });
  const mailer = createMailer({ smtpUrl: deps.config.SMTP_URL, from: deps.config.MAIL_FROM, dataDir: deps.config.DATA_DIR, logger });
  const bulkMailer = createMailer({
    smtpUrl: deps.config.SMTP_URL,
    from: deps.config.MAIL_FROM,
    dataDir: deps.config.DATA_DIR,
    logger,
    pool: { maxConnections: deps.config.BULK_MAIL_CONCURRENCY },
  });
  const context: WorkerContext = {
    ...createServiceContext({ db: deps.db, config: deps.config, logger }),
    mailer,
    bulkMailer,
    divisions: await loadDivisionIndex(deps.db),
    addJobs: (queue, payloads) => deps.queueBackend.addNow(deps.queues[queue], queue, payloads),
  };

  await registerSchedules(deps.queues, deps.config);

  const workers: AnyWorker[] = jobQueueNames.map(<Q extends JobQueueName>(name: Q) => {
    const entry = queueRegistry[name];
    const processor = jobProcessor(name, context, (payload, job) => entry.process(context, payload, job));
    const w = deps.queueBackend.createWorker(
      name,
      processor,
      entry.concurrency(deps.config.WORKER_CONCURRENCY, deps.config),
      entry.workerExtras?.(deps.config),
    );
    w.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'worker error'));
    w.on('failed', (job, err) => {
      if (err instanceof UnrecoverableError) logger.error({ queue: name, jobId: job?.id, err: err.message }, 'job failed permanently');
    });
    void w.run().catch((err: unknown) => logger.error({ queue: name, err }, 'worker stopped'));
    return w;
  });

  const relay = new OutboxRelay({
    db: deps.db,
    queues: deps.queues,
    backend: deps.queueBackend,
    logger,
    idleMs: deps.config.OUTBOX_POLL_MS,
  });
  if (deps.startRelay !== false) await relay.start();
  // Restores jobs and schedules the queue store lost (Redis restarted empty or flushed), now and every interval.
  const reconciler = new Reconciler({ ctx: context, queues: deps.queues, intervalMs: deps.config.RECONCILE_INTERVAL_MS, logger });
  if (deps.startRelay !== false) reconciler.start();
  logger.info({ queues: jobQueueNames, backend: deps.queueBackend.kind, mail: mailer.kind }, 'workers started');

  return {
    relay,
    reconciler,
    context,
    async stop() {
      await reconciler.stop();
      await relay.stop();
      await Promise.all(workers.map((w) => w.close()));
      mailer.close();
      bulkMailer.close();
    },
  };
}
