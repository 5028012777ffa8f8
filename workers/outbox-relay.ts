import pg from 'pg';
import type { Db } from '../shared/db/index.js';
import type { Logger } from '../shared/logger/index.js';
import { isJobQueueName, jobIdFor, type AnyQueue, type JobQueueName, type QueueBackend } from '../shared/queue/index.js';

const BATCH = 200;
/** Wake-ups within this window share one drain: at hundreds of commits a second, one transaction per row would cost more than the rows. */
const COALESCE_MS = 20;

/**
 * Moves committed outbox rows onto BullMQ under a job id derived from the payload (see jobIdFor), so a row relayed
 * twice (a crash between the add and the commit) is still one job. Woken by NOTIFY on insert, with a poll as the fallback. Several relays
 * may run: rows are claimed with FOR UPDATE SKIP LOCKED.
 */
export class OutboxRelay {
  private listener?: pg.Client;
  private pollTimer?: NodeJS.Timeout;
  private running = false;
  private draining?: Promise<void>;
  private wakeAgain = false;
  private wakeTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly deps: {
      db: Db;
      databaseUrl: string;
      queues: Record<JobQueueName, AnyQueue>;
      backend: QueueBackend;
      logger: Logger;
      pollMs: number;
    },
  ) {}

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.schedulePoll();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.pollTimer);
    clearTimeout(this.wakeTimer);
    await this.draining;
    await this.listener?.end().catch(() => {});
    this.listener = undefined;
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

  private wake = () => {
    if (!this.running || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.drainNow();
    }, COALESCE_MS);
  };

  private drainNow() {
    if (!this.running) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  private async drainLoop(): Promise<void> {
    try {
      while (this.running && (await this.drainOnce()) === BATCH) {
        // a full batch: more may be waiting
      }
      if (this.failures > 0) this.deps.logger.info('outbox relay recovered');
      this.failures = 0;
    } catch (err) {
      // Queue backend or database down: rows stay pending and are retried with backoff by the poll.
      this.failures++;
      if (this.failures === 1 || this.failures % 30 === 0) {
        this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err), failures: this.failures }, 'outbox relay failed');
      }
    }
  }

  private schedulePoll() {
    if (!this.running) return;
    const backoff = Math.min(this.deps.pollMs * 2 ** Math.min(this.failures, 5), 30_000);
    this.pollTimer = setTimeout(() => {
      if (!this.listener) void this.listen();
      this.wake();
      this.schedulePoll();
    }, backoff);
    this.pollTimer.unref();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, application_name: 'cpt-outbox-listener' });
    client.on('notification', this.wake);
    client.on('error', () => {
      // The poll re-establishes the listener; until then it alone picks rows up.
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => {});
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox');
      this.listener = client;
    } catch {
      await client.end().catch(() => {});
    }
  }
}
