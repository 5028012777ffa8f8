import path from 'node:path';
import type pg from 'pg';
import type { Config } from './config.js';
import { createDb, createPool, type Db } from './db/connection.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import type { Logger } from './logger.js';
import { syncJurisdictions } from './reference/jurisdictions.js';

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
  const pool = createPool(databaseUrl, logger, { max: opts.poolMax ?? config.DB_POOL_MAX });
  const db = createDb(pool);
  try {
    if (opts.migrate) {
      const applied = await migrateToLatest(db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
      await syncJurisdictions(db);
    }
  } catch (err) {
    await db.destroy().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw err;
  }
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

/** Runs the closers in order on SIGTERM/SIGINT, with a hard timeout so a stuck close cannot hang the process. */
export function handleShutdown(logger: Logger, timeoutMs: number, closers: Array<() => Promise<unknown>>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'error during shutdown');
      }
    }
    clearTimeout(timer);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
