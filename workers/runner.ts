import { UnrecoverableError } from 'bullmq';
import type { Config } from '../shared/config.js';
import type { Db } from '../shared/db/connection.js';
import { WorkingCalendar } from '../shared/domain/calendar.js';
import type { Logger } from '../shared/logger.js';
import { createMailer } from '../shared/mail/transport.js';
import { jobQueueNames, type AnyQueue, type AnyWorker, type JobQueueName, type QueueBackend } from '../shared/queues.js';
import { loadDivisionIndex } from '../shared/reference/jurisdictions.js';
import type { WorkerContext } from './context.js';
import { sendNotification } from './notify.js';
import { OutboxRelay } from './outbox-relay.js';
import { checkDeadlines } from './deadlines.js';
import { purgeExpired } from './maintenance.js';
import { jobProcessor } from './processor.js';
import { triageItem } from './triage.js';

export interface RunningWorkers {
  relay: OutboxRelay;
  context: WorkerContext;
  stop(): Promise<void>;
}

/** Starts the outbox relay and one BullMQ worker per queue. */
export async function startWorkers(deps: {
  db: Db;
  databaseUrl: string;
  config: Config;
  logger: Logger;
  queueBackend: QueueBackend;
  queues: Record<JobQueueName, AnyQueue>;
  /** Tests start the relay themselves to simulate it being down. */
  startRelay?: boolean;
}): Promise<RunningWorkers> {
  const logger = deps.logger.child({ component: 'workers' });
  const mailer = createMailer({ smtpUrl: deps.config.SMTP_URL, from: deps.config.MAIL_FROM, dataDir: deps.config.DATA_DIR, logger });
  const calendar = new WorkingCalendar((year) =>
    logger.warn({ year }, 'no official holiday data for this year yet: deadlines count Monday to Friday'),
  );
  const context: WorkerContext = {
    db: deps.db,
    config: deps.config,
    logger,
    calendar,
    mailer,
    divisions: await loadDivisionIndex(deps.db),
  };

  const processors = {
    triage: jobProcessor('triage', context, (p) => triageItem(context, p.itemId)),
    notify: jobProcessor('notify', context, (p, job) =>
      sendNotification(context, p.notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
    ),
    maintenance: jobProcessor('maintenance', context, async () => {
      const purged = await purgeExpired(deps.db);
      logger.info({ purged }, 'housekeeping done');
      return purged;
    }),
    deadlines: jobProcessor('deadlines', context, async () => {
      const checked = await checkDeadlines(context);
      if (checked.warnings || checked.escalations) logger.info(checked, 'deadline alerts raised');
      return checked;
    }),
  } satisfies Record<JobQueueName, unknown>;
  // One schedule however many worker processes run: the scheduler id is the key.
  await deps.queues.maintenance.upsertJobScheduler('hourly-housekeeping', { every: 3_600_000 }, { name: 'maintenance', data: {} });
  await deps.queues.deadlines.upsertJobScheduler('deadline-check', { every: 15 * 60_000 }, { name: 'deadlines', data: {} });

  // Routing runs the legal clock, so it gets most of a process's concurrency; mail may follow a little later.
  const concurrency: Record<JobQueueName, number> = {
    triage: deps.config.WORKER_CONCURRENCY,
    notify: Math.max(2, Math.ceil(deps.config.WORKER_CONCURRENCY / 4)),
    maintenance: 1,
    deadlines: 1,
  };
  const workers: AnyWorker[] = jobQueueNames.map((name) => {
    const w = deps.queueBackend.createWorker(name, processors[name], concurrency[name]);
    w.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'worker error'));
    w.on('failed', (job, err) => {
      if (err instanceof UnrecoverableError) logger.error({ queue: name, jobId: job?.id, err: err.message }, 'job failed permanently');
    });
    void w.run().catch((err: unknown) => logger.error({ queue: name, err }, 'worker stopped'));
    return w;
  });

  const relay = new OutboxRelay({
    db: deps.db,
    databaseUrl: deps.databaseUrl,
    queues: deps.queues,
    logger,
    pollMs: deps.config.OUTBOX_POLL_MS,
  });
  if (deps.startRelay !== false) await relay.start();
  logger.info({ queues: jobQueueNames, backend: deps.queueBackend.kind, mail: mailer.kind }, 'workers started');

  return {
    relay,
    context,
    async stop() {
      await relay.stop();
      await Promise.all(workers.map((w) => w.close()));
      mailer.close();
    },
  };
}

export function createQueues(backend: QueueBackend): Record<JobQueueName, AnyQueue> {
  return Object.fromEntries(jobQueueNames.map((n) => [n, backend.createQueue(n)])) as Record<JobQueueName, AnyQueue>;
}
