import { createPostgresBackend, Queue, Worker, type IQueueBackend, type JobsOptions, type Processor } from 'bullmq';
import { Redis } from 'ioredis';
import { dropsWhenDone, retryPolicyOf, rowJobId, type JobPayload } from './jobs.js';
import { jobQueueNames, type JobQueueName } from './vocabulary.js';

export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Capped exponential backoff for delivery queues: base, 2·base, 4·base … up to maxDelayMs, for windowMs in all. */
export interface DeliveryRetry {
  baseMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export const deliveryDelay = (policy: DeliveryRetry, attemptsMade: number) =>
  Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, Math.min(attemptsMade - 1, 40)));

/**
 * How many attempts it takes for the delays between them to add up to the window. Once the delay reaches its cap the
 * rest is one division: counting capped delays one by one took a third of a million steps for a 48-hour window at
 * 500 ms (and 10⁸ at the smallest settings), on every job added.
 */
export function deliveryAttempts(policy: DeliveryRetry): number {
  let waited = 0;
  let attempts = 1;
  while (waited < policy.windowMs) {
    const delay = deliveryDelay(policy, attempts);
    if (delay >= policy.maxDelayMs) return attempts + Math.ceil((policy.windowMs - waited) / policy.maxDelayMs);
    waited += delay;
    attempts++;
  }
  return attempts;
}

/** Per-queue worker settings beyond concurrency: a rate limit shared by every worker of the queue, stall tolerance. */
export interface WorkerExtras {
  limiter?: { max: number; duration: number };
  /** How often a job may be found stalled (its process died mid-job) before it fails; BullMQ's default is 1. */
  maxStalledCount?: number;
}

export type AnyQueue = Queue<unknown, unknown, string, unknown, unknown, string, IQueueBackend, unknown>;
export type AnyWorker = Worker<unknown, unknown, string, IQueueBackend, object | number | string | boolean, unknown>;

export interface QueueBackendOptions {
  redisUrl?: string | undefined;
  databaseUrl: string;
  prefix: string;
  deliveryRetry: DeliveryRetry;
}

/**
 * BullMQ on Redis when REDIS_URL is set; otherwise BullMQ's own PostgreSQL backend on the application database,
 * so one process and no other service are enough. Producers fail fast; workers retry their connection forever.
 */
export class QueueBackend {
  readonly kind: 'redis' | 'postgres';
  private readonly producerRedis?: Redis;
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(private readonly opts: QueueBackendOptions) {
    this.kind = opts.redisUrl ? 'redis' : 'postgres';
    if (opts.redisUrl) {
      this.producerRedis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
      // Connection errors surface on the commands that fail; ioredis keeps reconnecting in the background.
      this.producerRedis.on('error', () => {});
      this.closers.push(() => this.producerRedis!.quit().catch(() => this.producerRedis!.disconnect()));
    }
  }

  createQueue(name: JobQueueName): AnyQueue {
    const q = this.producerRedis
      ? new Queue(name, { connection: this.producerRedis, prefix: this.opts.prefix, defaultJobOptions })
      : new Queue(name, { connection: this.pgConnection(3), defaultJobOptions }, createPostgresBackend);
    q.on('error', () => {});
    this.closers.unshift(() => q.close());
    return q as unknown as AnyQueue;
  }

  /** The options every job of a queue is added with. */
  jobOptions(queue: JobQueueName): JobsOptions {
    const base = dropsWhenDone(queue) ? { ...defaultJobOptions, removeOnComplete: true } : defaultJobOptions;
    if (retryPolicyOf(queue) === 'delivery') {
      return { ...base, attempts: deliveryAttempts(this.opts.deliveryRetry), backoff: { type: 'delivery' } };
    }
    return base;
  }

  createWorker(name: JobQueueName, processor: Processor, concurrency: number, extra: WorkerExtras = {}): AnyWorker {
    const policy = this.opts.deliveryRetry;
    const common = {
      concurrency,
      ...extra,
      autorun: false,
      settings: { backoffStrategy: (attemptsMade: number) => deliveryDelay(policy, attemptsMade) },
    };
    const redis = this.opts.redisUrl ? new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null }) : undefined;
    // Connection errors reach the worker's own 'error' event; ioredis reconnects by itself.
    redis?.on('error', () => {});
    const w = redis
      ? new Worker(name, processor, { ...common, prefix: this.opts.prefix, connection: redis })
      : new Worker(name, processor, { ...common, connection: this.pgConnection(Math.min(concurrency, 4) + 1) }, createPostgresBackend);
    return w as unknown as AnyWorker;
  }

  /**
   * Adds jobs now, bypassing the outbox: for rows that are their own outbox (recall notices), whose job ids derive
   * from the row, so adding the same row twice is one job and a crash between commit and add is mended by re-adding.
   */
  async addNow<Q extends JobQueueName>(queue: AnyQueue, name: Q, payloads: ReadonlyArray<JobPayload<Q>>): Promise<void> {
    if (payloads.length === 0) return;
    if (!rowJobId(name, payloads[0])) throw new Error(`${name} jobs have no id derived from their row; add them through the outbox`);
    const opts = this.jobOptions(name);
    await queue.addBulk(payloads.map((data) => ({ name, data, opts: { ...opts, jobId: rowJobId(name, data) } })));
  }

  /** One producer per queue name. */
  createQueues(): Record<JobQueueName, AnyQueue> {
    return Object.fromEntries(jobQueueNames.map((n) => [n, this.createQueue(n)])) as Record<JobQueueName, AnyQueue>;
  }

  /** Reachability check for /readyz. */
  async ping(queue: AnyQueue): Promise<void> {
    if (this.producerRedis) {
      await this.producerRedis.ping();
      return;
    }
    await queue.getJobCounts('waiting');
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close().catch(() => {});
  }

  private pgConnection(max: number) {
    return { connectionString: this.opts.databaseUrl, max, migrate: true, application_name: 'cpt-bullmq' };
  }
}
