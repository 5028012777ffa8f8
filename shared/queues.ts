import { createPostgresBackend, Queue, Worker, type IQueueBackend, type JobsOptions, type Processor } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Queue names and their payload schemas: the one definition of each job's shape. Producers write outbox rows in
 * SQL (intake and triage each in one statement) matching these; workers validate every payload against them again.
 */
export const jobSchemas = {
  triage: z.strictObject({ itemId: z.number().int().positive() }),
  notify: z.strictObject({ notificationId: z.number().int().positive() }),
  maintenance: z.strictObject({}),
  deadlines: z.strictObject({}),
} as const;

export type JobQueueName = keyof typeof jobSchemas;
export type JobPayload<Q extends JobQueueName> = z.infer<(typeof jobSchemas)[Q]>;
export const jobQueueNames = Object.keys(jobSchemas) as JobQueueName[];

export const isJobQueueName = (name: string): name is JobQueueName => Object.hasOwn(jobSchemas, name);

export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export type AnyQueue = Queue<unknown, unknown, string, unknown, unknown, string, IQueueBackend, unknown>;
export type AnyWorker = Worker<unknown, unknown, string, IQueueBackend, object | number | string | boolean, unknown>;

export interface QueueBackendOptions {
  redisUrl?: string | undefined;
  databaseUrl: string;
  prefix: string;
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

  createWorker(name: JobQueueName, processor: Processor, concurrency: number): AnyWorker {
    const common = { concurrency, autorun: false };
    const redis = this.opts.redisUrl ? new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null }) : undefined;
    // Connection errors reach the worker's own 'error' event; ioredis reconnects by itself.
    redis?.on('error', () => {});
    const w = redis
      ? new Worker(name, processor, { ...common, prefix: this.opts.prefix, connection: redis })
      : new Worker(name, processor, { ...common, connection: this.pgConnection(Math.min(concurrency, 4) + 1) }, createPostgresBackend);
    return w as unknown as AnyWorker;
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
