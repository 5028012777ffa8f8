import path from 'node:path';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { FileStorage } from '../attachments/index.js';
import { WorkingCalendar } from '../calendar/index.js';
import type { Config } from '../config/index.js';
import {
  createDb,
  createPool,
  migrateToLatest,
  startEmbeddedPostgres,
  type Db,
  type EmbeddedDatabase,
  type PoolTimeouts,
} from '../db/index.js';
import { syncJurisdictions } from '../jurisdictions/index.js';
import type { Logger } from '../logger/index.js';
import { QueueBackend, type AnyQueue, type JobQueueName } from '../queue/index.js';
import { RateLimits } from '../rate-limits/index.js';
import type { ServiceContext } from './context.js';

export interface Infrastructure {
  db: Db;
  pool: pg.Pool;
  databaseUrl: string;
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

/**
 * Opens the database — DATABASE_URL, or an embedded PostgreSQL kept under DATA_DIR/postgres — then applies
 * migrations and syncs the GB/T 2260 division table.
 */
export async function openInfrastructure(
  config: Config,
  logger: Logger,
  opts: { allowEmbedded: boolean; migrate: boolean; poolMax?: number },
): Promise<Infrastructure> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    if (!opts.allowEmbedded) {
      throw new Error('DATABASE_URL is required for a separately started API or worker process (npm start embeds one)');
    }
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.DATA_DIR, 'postgres'), persistent: true, logger });
    databaseUrl = embedded.url;
  }
  try {
    if (opts.migrate) {
      // Migrations and the division sync run on a connection of their own, exempt from the statement timeout.
      const migrationDb = createDb(createPool(databaseUrl, logger, { max: 1, application_name: 'cpt-migrate' }));
      try {
        const applied = await migrateToLatest(migrationDb);
        if (applied.length) logger.info({ applied }, 'migrations applied');
        await syncJurisdictions(migrationDb);
      } finally {
        await migrationDb.destroy();
      }
    }
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
  }
  const pool = createPool(databaseUrl, logger, { max: opts.poolMax ?? config.DB_POOL_MAX, timeouts: poolTimeouts(config) });
  const db = createDb(pool);
  return {
    db,
    pool,
    databaseUrl,
    ...(embedded ? { embedded } : {}),
    async close() {
      await db.destroy().catch(() => {});
      await embedded?.stop().catch(() => {});
    },
  };
}

/** The database limits of a process's pool, from its settings. */
export const poolTimeouts = (config: Config): PoolTimeouts => ({
  connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  keepAliveInitialDelayMs: config.DB_KEEPALIVE_DELAY_MS,
});

/**
 * The use-case context of a process: one calendar (it warns once per year without data), one attachment store and
 * the rate-limit counters (in Redis when given a client, else in memory).
 */
export function createServiceContext(deps: { db: Db; config: Config; logger: Logger; redis?: Redis | undefined }): ServiceContext {
  const { redis, ...rest } = deps;
  return {
    ...rest,
    calendar: new WorkingCalendar((year) =>
      deps.logger.warn({ year }, 'no official holiday data for this year yet: deadlines count Monday to Friday'),
    ),
    storage: new FileStorage(path.join(deps.config.DATA_DIR, 'attachments')),
    rateLimits: new RateLimits({ redis, multiplier: deps.config.RATE_LIMIT_MULTIPLIER, prefix: deps.config.QUEUE_PREFIX }),
  };
}

/** The queue producers of a process, and the check /readyz runs against them. */
export function openQueues(config: Config, databaseUrl: string) {
  const backend = new QueueBackend({
    redisUrl: config.REDIS_URL,
    databaseUrl,
    prefix: config.QUEUE_PREFIX,
    deliveryRetry: {
      baseMs: config.MAIL_RETRY_BASE_MS,
      maxDelayMs: config.MAIL_RETRY_MAX_DELAY_MS,
      windowMs: config.MAIL_RETRY_WINDOW_HOURS * 3_600_000,
    },
  });
  const queues: Record<JobQueueName, AnyQueue> = backend.createQueues();
  return { backend, queues, checkQueue: () => backend.ping(queues.triage) };
}
