import type { Config } from '../shared/config/index.js';
import type { Logger } from '../shared/logger/index.js';
import { jobDefinitions, jobQueueNames, rowJobId, type AnyQueue, type JobPayload, type JobQueueName } from '../shared/queue/index.js';
import type { WorkerContext } from './context.js';
import { markNotificationFailed } from './notify.js';
import { queueRegistry } from './registry.js';

/** Rows read (and job states asked for) per page. */
export const RECONCILE_PAGE = 200;
/**
 * Signals and campaign steps have no pending state of their own, so their relayed outbox rows stand for them: such a
 * job finishes within seconds and a finished one is kept a day, so one relayed this recently whose job is gone was lost.
 */
export const OUTBOX_LOOKBACK_MS = 60 * 60_000;
/** A finished job older than its row by more than this (clock skew between hosts) was left by an earlier row of that id. */
const CLOCK_SKEW_MS = 60_000;

interface PendingRow<Q extends JobQueueName> {
  key: number;
  payload: JobPayload<Q>;
  /** When the row was written: a job older than that belongs to an earlier row with the same id. */
  since: Date;
}

/** Work the database holds as handed to one queue: the rows still pending, read by key. */
interface Ledger<Q extends JobQueueName> {
  queue: Q;
  pending(ctx: WorkerContext, after: number, now: Date): Promise<Array<PendingRow<Q>>>;
  /** Those of the keys still pending now, read again before acting on a job that may have just finished. */
  stillPending(ctx: WorkerContext, keys: number[]): Promise<Set<number>>;
  /**
   * Mail rows record their own outcome; their job failing for good while the row is still queued (its last attempt
   * could not write, or the worker died on it) is written to the row, so it is neither stuck nor sent again.
   */
  failed?(ctx: WorkerContext, key: number, reason: string): Promise<void>;
  /** The rows record work handed over rather than work still to do (relayed outbox rows): a finished job is their end. */
  handedOver?: true;
}

const ledger = <Q extends JobQueueName>(l: Ledger<Q>) => l;
const keySet = (rows: Array<{ id: number }>) => new Set(rows.map((r) => r.id));

/** Rows of the outbox relayed within the lookback, for a queue whose work leaves no pending row of its own. */
const relayedOutbox = <Q extends 'signals' | 'sampling-campaign'>(queue: Q) =>
  ledger<Q>({
    queue,
    async pending(ctx, after, now) {
      const rows = await ctx.db
        .selectFrom('outbox')
        .select(['id', 'payload', 'relayed_at'])
        .where('queue', '=', queue)
        .where('relayed_at', '>', new Date(now.getTime() - OUTBOX_LOOKBACK_MS))
        .where('id', '>', after)
        .orderBy('id')
        .limit(RECONCILE_PAGE)
        .execute();
      return rows.flatMap((r) => {
        const parsed = jobDefinitions[queue].schema.safeParse(r.payload);
        return parsed.success ? [{ key: r.id, payload: parsed.data as JobPayload<Q>, since: r.relayed_at! }] : [];
      });
    },
    stillPending: (_ctx, keys) => Promise.resolve(new Set(keys)),
    handedOver: true,
  });

/** Every queue that work is handed to; the scheduled queues are restored by registerSchedules. */
const ledgers = [
  ledger<'notify'>({
    queue: 'notify',
    async pending(ctx, after) {
      const rows = await ctx.db
        .selectFrom('notifications')
        .select(['id', 'created_at'])
        .where('status', '=', 'queued')
        .where('id', '>', after)
        .orderBy('id')
        .limit(RECONCILE_PAGE)
        .execute();
      return rows.map((r) => ({ key: r.id, payload: { notificationId: r.id }, since: r.created_at }));
    },
    stillPending: async (ctx, keys) =>
      keySet(await ctx.db.selectFrom('notifications').select('id').where('id', 'in', keys).where('status', '=', 'queued').execute()),
    async failed(ctx, key, reason) {
      const n = await ctx.db.selectFrom('notifications').select(['id', 'template']).where('id', '=', key).executeTakeFirst();
      if (n) await markNotificationFailed(ctx, n, new Error(`its job failed for good: ${reason}`), true);
    },
  }),
  // Recall notices go out in groups (recall_notices.send_group): a group is keyed by its first notice still queued.
  ledger<'bulk-mail'>({
    queue: 'bulk-mail',
    async pending(ctx, after) {
      const rows = await ctx.db
        .selectFrom('recall_notices')
        .select(['recall_id', 'send_group', (eb) => eb.fn.min('id').as('first'), (eb) => eb.fn.min('created_at').as('since')])
        .where('status', '=', 'queued')
        .where('send_group', 'is not', null)
        .where('id', '>', after)
        .groupBy(['recall_id', 'send_group'])
        .orderBy('first')
        .limit(RECONCILE_PAGE)
        .execute();
      return rows.map((r) => ({ key: Number(r.first), payload: { recallId: r.recall_id, group: Number(r.send_group) }, since: r.since }));
    },
    // A group is still pending while any of its notices is queued; asked by the notice each key names.
    stillPending: async (ctx, keys) =>
      new Set(
        (
          await ctx.db
            .selectFrom('recall_notices as k')
            .innerJoin('recall_notices as n', (j) => j.onRef('n.recall_id', '=', 'k.recall_id').onRef('n.send_group', '=', 'k.send_group'))
            .select('k.id')
            .distinct()
            .where('k.id', 'in', keys)
            .where('n.status', '=', 'queued')
            .execute()
        ).map((r) => r.id),
      ),
    async failed(ctx, key, reason) {
      const k = await ctx.db.selectFrom('recall_notices').select(['recall_id', 'send_group']).where('id', '=', key).executeTakeFirst();
      if (!k || k.send_group === null) return;
      await ctx.db
        .updateTable('recall_notices')
        .set({ status: 'failed', last_error: `its job failed for good: ${reason}`.slice(0, 1000) })
        .where('recall_id', '=', k.recall_id)
        .where('send_group', '=', k.send_group)
        .where('status', '=', 'queued')
        .execute();
    },
  }),
  ledger<'triage'>({
    queue: 'triage',
    async pending(ctx, after) {
      const rows = await ctx.db
        .selectFrom('items')
        .select(['id', 'tracking_no', 'received_at'])
        .where('status', '=', 'submitted')
        .where('id', '>', after)
        .orderBy('id')
        .limit(RECONCILE_PAGE)
        .execute();
      return rows.map((r) => ({ key: r.id, payload: { trackingNo: r.tracking_no }, since: r.received_at }));
    },
    stillPending: async (ctx, keys) =>
      keySet(await ctx.db.selectFrom('items').select('id').where('id', 'in', keys).where('status', '=', 'submitted').execute()),
  }),
  ledger<'recall-fanout'>({
    queue: 'recall-fanout',
    async pending(ctx, after, now) {
      const rows = await unfinishedFanouts(ctx).where('r.id', '>', after).orderBy('r.id').limit(RECONCILE_PAGE).execute();
      return rows.map((r) => ({ key: r.id, payload: { recallId: r.id }, since: r.published_at ?? now }));
    },
    stillPending: async (ctx, keys) => keySet(await unfinishedFanouts(ctx).where('r.id', 'in', keys).execute()),
  }),
  relayedOutbox('signals'),
  relayedOutbox('sampling-campaign'),
];

/** Published recalls whose fan-out has not finished (or not started). */
const unfinishedFanouts = (ctx: WorkerContext) =>
  ctx.db
    .selectFrom('recalls as r')
    .leftJoin('recall_fanouts as f', 'f.recall_id', 'r.id')
    .select(['r.id', 'r.published_at'])
    .where('r.status', '<>', 'draft')
    .where('f.finished_at', 'is', null);

export interface ReconcileResult {
  /** Jobs added again per queue: their rows were pending and their jobs gone (or left by an earlier row of that id). */
  readded: Partial<Record<JobQueueName, number>>;
  /** Mail rows marked failed because their job had failed for good. */
  markedFailed: number;
  /** Schedulers registered again because they (or their next job) were gone. */
  schedules: string[];
}

/**
 * Makes the queues hold what the database says is queued: the database is the source of truth, and Redis may restart
 * empty or be flushed. Every pending row whose job is gone gets it again under the same job id (so nothing is added
 * twice while the job exists, and the processors skip rows no longer pending), and missing job schedulers are
 * registered again. Safe to run anywhere, any time, in any number of processes.
 */
export async function reconcileQueues(
  ctx: WorkerContext,
  queues: Record<JobQueueName, AnyQueue>,
  now = new Date(),
): Promise<ReconcileResult> {
  const result: ReconcileResult = { readded: {}, markedFailed: 0, schedules: await registerSchedules(queues, ctx.config) };
  for (const l of ledgers) await reconcileLedger(ctx, queues[l.queue], l as Ledger<typeof l.queue>, result, now);
  return result;
}

async function reconcileLedger<Q extends JobQueueName>(
  ctx: WorkerContext,
  queue: AnyQueue,
  l: Ledger<Q>,
  result: ReconcileResult,
  now: Date,
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await l.pending(ctx, after, now);
    if (rows.length === 0) return;
    after = rows.at(-1)!.key;
    const jobIds = rows.map((r) => rowJobId(l.queue, r.payload)!);
    const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
    const missing = rows.filter((_, i) => states[i] === 'unknown');
    const finished = l.handedOver ? [] : rows.filter((_, i) => states[i] === 'completed' || states[i] === 'failed');
    if (missing.length === 0 && finished.length === 0) continue;

    const still = await l.stillPending(
      ctx,
      [...missing, ...finished].map((r) => r.key),
    );
    const readd = missing.filter((r) => still.has(r.key));
    for (const r of finished.filter((x) => still.has(x.key))) {
      const jobId = rowJobId(l.queue, r.payload)!;
      const job = await queue.getJob(jobId);
      if (!job) {
        readd.push(r);
      } else if (job.timestamp < r.since.getTime() - CLOCK_SKEW_MS) {
        // Left by an earlier row with this id (a database restored from a backup hands ids out again).
        await queue.remove(jobId);
        readd.push(r);
      } else if (l.failed && (await job.getState()) === 'failed') {
        await l.failed(ctx, r.key, job.failedReason ?? 'unknown');
        result.markedFailed++;
      }
      // A completed job newer than its still-pending row is left alone: it ran, so the mail may have gone out.
    }
    if (readd.length > 0) {
      await ctx.addJobs(
        l.queue,
        readd.map((r) => r.payload),
      );
      result.readded[l.queue] = (result.readded[l.queue] ?? 0) + readd.length;
    }
  }
}

/**
 * Registers every queue's repeating job, unless its scheduler is there with the same interval and its next job exists.
 * upsertJobScheduler is idempotent, so the check only spares the queue a write a minute. (The next job's id,
 * `repeat:<scheduler>:<next run>`, is BullMQ's; should that change, the check fails and the registration repeats.)
 */
export async function registerSchedules(queues: Record<JobQueueName, AnyQueue>, config: Config): Promise<string[]> {
  const registered: string[] = [];
  for (const name of jobQueueNames) {
    const schedule = queueRegistry[name].schedule;
    if (!schedule) continue;
    const every = typeof schedule.everyMs === 'function' ? schedule.everyMs(config) : schedule.everyMs;
    const queue = queues[name];
    const current = await queue.getJobScheduler(schedule.id);
    if (current?.every === every && current.next !== undefined) {
      if ((await queue.getJobState(`repeat:${schedule.id}:${current.next}`)) !== 'unknown') continue;
    }
    await queue.upsertJobScheduler(schedule.id, { every }, { name, data: {} });
    registered.push(schedule.id);
  }
  return registered;
}

/**
 * Runs reconcileQueues at once and then every RECONCILE_INTERVAL_MS on a timer of this process, not on a scheduler:
 * a scheduler lives in the queue's store, and losing that store is what the reconciler is for.
 */
export class Reconciler {
  private timer?: NodeJS.Timeout;
  private running = false;
  private current?: Promise<unknown>;

  constructor(private readonly deps: { ctx: WorkerContext; queues: Record<JobQueueName, AnyQueue>; intervalMs: number; logger: Logger }) {}

  start(): void {
    this.running = true;
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /** One pass now; errors are returned to the caller (the timer logs them). */
  runOnce(now = new Date()): Promise<ReconcileResult> {
    return reconcileQueues(this.deps.ctx, this.deps.queues, now);
  }

  private tick() {
    if (!this.running) return;
    this.current = this.runOnce()
      .then((r) => {
        if (r.schedules.length || r.markedFailed || Object.keys(r.readded).length) {
          this.deps.logger.warn(r, 'queues were missing work the database holds; restored');
        }
      })
      .catch((err: unknown) => {
        // The queue store or the database is down: the next tick tries again.
        this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'queue reconciliation failed');
      })
      .finally(() => {
        this.current = undefined;
        if (!this.running) return;
        this.timer = setTimeout(() => this.tick(), this.deps.intervalMs);
        this.timer.unref();
      });
  }
}

/** The queues the reconciler restores: every one (a new queue needs a ledger above, or a schedule). */
export const reconciledQueues: readonly JobQueueName[] = [
  ...ledgers.map((l) => l.queue),
  ...jobQueueNames.filter((n) => queueRegistry[n].schedule !== undefined),
];
