import type { Job } from 'bullmq';
import type { Config } from '../shared/config/index.js';
import type { JobPayload, JobQueueName, WorkerExtras } from '../shared/queue/index.js';
import type { WorkerContext } from './context.js';
import { checkDeadlines } from './deadlines.js';
import { runHousekeeping } from './housekeeping.js';
import { sendNotification } from './notify.js';
import { isFinalAttempt } from './processor.js';
import { runSamplingClock } from './sampling-clock.js';
import { mailCampaignResults } from './sampling-results-mail.js';
import { selectSamplingTasks } from './sampling-selection.js';
import { fanOutRecall } from './recall-fanout.js';
import { bulkMailGroups, bulkMailJobConcurrency, sendRecallNotices } from './recall-notices.js';
import { detectSignals } from './signals.js';
import { triageItem } from './triage.js';

interface QueueRegistration<Q extends JobQueueName> {
  /** The work for one job; it must be safe to run twice (processors re-read state and update conditionally). */
  process(ctx: WorkerContext, payload: JobPayload<Q>, job: Job): Promise<unknown>;
  /** Share of WORKER_CONCURRENCY (or a setting of its own), as concurrent jobs per process. */
  concurrency(workerConcurrency: number, config: Config): number;
  /** A rate limit across every worker process, stall tolerance. */
  workerExtras?(config: Config): WorkerExtras;
  /** A repeating job, registered once however many worker processes run (the scheduler id is the key). */
  schedule?: { id: string; everyMs: number | ((config: Config) => number) };
}

const register = <Q extends JobQueueName>(r: QueueRegistration<Q>) => r;

/** Every queue's processor, concurrency and schedule; the worker entrypoint starts one BullMQ worker per entry. */
export const queueRegistry: { [Q in JobQueueName]: QueueRegistration<Q> } = {
  // Routing runs the legal clock, so it gets most of a process's concurrency; mail may follow a little later.
  triage: register<'triage'>({
    process: (ctx, p) => triageItem(ctx, p),
    concurrency: (n) => n,
    // Idempotent: a job whose worker died (twice or more) is run again, never failed for it.
    workerExtras: () => ({ maxStalledCount: 100 }),
  }),
  notify: register<'notify'>({
    process: (ctx, p, job) => sendNotification(ctx, { notificationId: p.notificationId, finalAttempt: isFinalAttempt(job) }),
    concurrency: (n) => Math.max(2, Math.ceil(n / 4)),
    workerExtras: () => ({ maxStalledCount: 100 }),
  }),
  maintenance: register<'maintenance'>({
    process: async (ctx) => {
      const done = await runHousekeeping(ctx);
      ctx.logger.info({ done }, 'housekeeping done');
      return done;
    },
    concurrency: () => 1,
    schedule: { id: 'hourly-housekeeping', everyMs: 3_600_000 },
  }),
  deadlines: register<'deadlines'>({
    process: async (ctx) => {
      const checked = await checkDeadlines(ctx);
      if (checked.warnings || checked.escalations || checked.mediationsEnded) ctx.logger.info(checked, 'deadlines checked');
      return checked;
    },
    concurrency: () => 1,
    schedule: { id: 'deadline-check', everyMs: 15 * 60_000 },
  }),
  'sampling-clock': register<'sampling-clock'>({
    process: async (ctx) => {
      const done = await runSamplingClock(ctx);
      if (done.steps || done.selected || done.finalised) ctx.logger.info(done, 'sampling clock moved campaigns and results');
      return done;
    },
    concurrency: () => 1,
    schedule: { id: 'sampling-clock', everyMs: (config) => config.SAMPLING_CLOCK_MS },
  }),
  'sampling-campaign': register<'sampling-campaign'>({
    process: (ctx, p) => (p.step === 'select' ? selectSamplingTasks(ctx, p.campaignId) : mailCampaignResults(ctx, p.campaignId)),
    concurrency: () => 2,
  }),
  // Counting is off the routing path: triage queues one check per hazardous item, in its own transaction.
  signals: register<'signals'>({
    process: (ctx, p) => detectSignals(ctx, p),
    concurrency: (n) => Math.max(1, Math.ceil(n / 4)),
  }),
  // One job per published recall walks its recipients batch by batch; a restart resumes at the last committed batch.
  'recall-fanout': register<'recall-fanout'>({
    process: (ctx, p) => fanOutRecall(ctx, p),
    concurrency: () => 2,
    workerExtras: () => ({ maxStalledCount: 100 }),
  }),
  // Recall notices have their own concurrency and rate limit, so a large recall never holds up transactional mail.
  // A job is a group of notices; BULK_MAIL_CONCURRENCY bounds the sends in flight (one per pooled connection) across
  // a process's jobs, and the limiter counts groups sized so that it still allows BULK_MAIL_PER_SECOND messages.
  'bulk-mail': register<'bulk-mail'>({
    process: (ctx, p, job) => sendRecallNotices(ctx, { ...p, finalAttempt: isFinalAttempt(job) }),
    concurrency: (_n, config) => bulkMailJobConcurrency(config),
    workerExtras: (config) => ({
      limiter: { max: bulkMailGroups(config).jobsPerSecond, duration: 1000 },
      maxStalledCount: 100,
    }),
  }),
};
