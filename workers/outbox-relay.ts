import type { Db } from '../shared/db/index.js';
import type { Logger } from '../shared/logger/index.js';
import { isJobQueueName, jobIdFor, type AnyQueue, type JobQueueName, type QueueBackend } from '../shared/queue/index.js';

const BATCH = 200;
/** The poll interval while rows keep coming; each empty poll doubles it, up to the configured idle interval. */
const BUSY_POLL_MS = 10;

/**
 * Moves committed outbox rows onto BullMQ under a job id derived from the payload (see jobIdFor), so a row relayed
 * twice (a crash between the add and the commit) is still one job. It polls: every BUSY_POLL_MS while rows keep
 * coming, backing off to idleMs when there are none. (A NOTIFY per insert would wake it sooner, but every
 * transaction that notifies takes one cluster-wide lock to commit, which serialised intake.) Several relays may
 * run: rows are claimed with FOR UPDATE SKIP LOCKED.
 */
export class OutboxRelay {
  private pollTimer?: NodeJS.Timeout;
  private running = false;
  private draining?: Promise<void>;
  private interval = BUSY_POLL_MS;
  private failures = 0;

  constructor(
    private readonly deps: {
      db: Db;
      queues: Record<JobQueueName, AnyQueue>;
      backend: QueueBackend;
      logger: Logger;
      /** The longest wait between two polls when the outbox is empty. */
      idleMs: number;
    },
  ) {}

  start(): Promise<void> {
    this.running = true;
    this.poll();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.pollTimer);
    await this.draining;
  }

  /** The wait before the next poll while the outbox is healthy: BUSY_POLL_MS while rows come, up to idleMs when idle. */
  get pollInterval(): number {
    return this.interval;
  }

  /** Relays what is pending now; returns how many rows were relayed. */
  async drainOnce(): Promise<number> {
    return this.deps.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('outbox')
        .select(['id', 'queue', 'payload'])
        .where('relayed_at', 'is', null)
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      const byQueue = new Map<JobQueueName, typeof rows>();
      const unknown: number[] = [];
      for (const r of rows) {
        if (!isJobQueueName(r.queue)) {
          unknown.push(r.id);
          continue;
        }
        byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
      }
      for (const [queue, jobs] of byQueue) {
        await this.deps.queues[queue].addBulk(
          jobs.map((r) => ({
            name: queue,
            data: r.payload,
            opts: { ...this.deps.backend.jobOptions(queue), jobId: jobIdFor(queue, r.payload, r.id) },
          })),
        );
      }
      if (unknown.length) {
        this.deps.logger.error({ ids: unknown }, 'outbox rows name an unknown queue; moved to dead letters');
        for (const r of rows.filter((x) => unknown.includes(x.id))) {
          await tx
            .insertInto('dead_letters')
            .values({ queue: r.queue, job_id: `outbox-${r.id}`, payload: JSON.stringify(r.payload), error: 'unknown queue', attempts: 0 })
            .execute();
        }
      }
      await tx
        .updateTable('outbox')
        .set((eb) => ({ relayed_at: new Date(), attempts: eb('attempts', '+', 1) }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.length;
    });
  }

  private poll() {
    if (!this.running) return;
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
      this.schedulePoll();
    });
  }

  /** Drains until the outbox is empty, then sets the next poll's interval. */
  private async drainLoop(): Promise<void> {
    let moved = 0;
    try {
      for (;;) {
        const n = await this.drainOnce();
        moved += n;
        if (!this.running || n < BATCH) break;
      }
      if (this.failures > 0) this.deps.logger.info('outbox relay recovered');
      this.failures = 0;
    } catch (err) {
      // Queue backend or database down: rows stay pending and are retried with backoff.
      this.failures++;
      if (this.failures === 1 || this.failures % 30 === 0) {
        this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err), failures: this.failures }, 'outbox relay failed');
      }
    }
    this.interval = moved > 0 ? BUSY_POLL_MS : Math.min(this.interval * 2, this.deps.idleMs);
  }

  private schedulePoll() {
    if (!this.running) return;
    const wait = this.failures > 0 ? Math.min(this.deps.idleMs * 2 ** Math.min(this.failures, 5), 30_000) : this.interval;
    this.pollTimer = setTimeout(() => this.poll(), wait);
    this.pollTimer.unref();
  }
}
