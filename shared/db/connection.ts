import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger/index.js';
import { namedStatementPool } from './prepared.js';
import type { Database } from './tables/index.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A query function takes either the pool-backed Db or an open transaction. */
export type DbOrTx = Db | Tx;

const INT8_OID = 20;
const DATE_OID = 1082;

/** int8 is parsed explicitly: our ids and counts fit in a double, and we refuse silently rounded ones. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
}

export interface PoolOptions {
  max?: number;
  application_name?: string;
}

export function createPool(connectionString: string, logger: Logger, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 20,
    application_name: opts.application_name ?? 'cpt',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8_OID) return parseInt8;
        // Dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the process time zone.
        if (oid === DATE_OID) return (v: string) => v;
        return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its connection must not crash the process: idle ones report through the pool, and a
  // checked-out one (which pg leaves without a listener) fails its queries, then is discarded on release.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database client error'));
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn({ err: err.message }, 'database connection lost'));
  });
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  // Queries run through prepared() go out as named statements (see prepared.ts).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
}

/** Runs fn in a transaction, reusing the caller's transaction when it already holds one. */
export async function withTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}
