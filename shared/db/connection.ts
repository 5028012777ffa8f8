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

/**
 * Limits that keep a stalled or unreachable database from holding requests: a bounded wait for a connection (opening
 * one, or a free one from a full pool), a server-side statement timeout with the client giving up shortly after it
 * (a query whose answer never comes back, a stalled network), an open transaction left idle by its client aborted by
 * the server, and TCP keepalive so a silently dead peer is noticed. Without them (tools, benchmarks) nothing times out.
 */
export interface PoolTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  keepAliveInitialDelayMs: number;
}

/** The client's own limit on an unanswered query: a little after the server's, so a slow query is the server's to cancel. */
export const queryReadTimeoutMs = (t: PoolTimeouts) => t.statementTimeoutMs + 1_000;

export interface PoolOptions {
  max?: number;
  application_name?: string;
  timeouts?: PoolTimeouts;
}

/** pg's error for a query the client stopped waiting for (query_timeout). */
export const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * A client that gave up waiting for a query's answer is out of step with its server (the answer may still come, and
 * a transaction may still be open there), so its connection is dropped: the pool discards it on release, a pending
 * ROLLBACK fails at once instead of waiting too, and the server rolls back whatever the connection had open.
 */
class GuardedClient extends pg.Client {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.then(undefined, (err: unknown) => {
        if (err instanceof Error && err.message === QUERY_READ_TIMEOUT) this.connection.stream.destroy();
      });
    }
    return result as never;
  }
}

export function createPool(connectionString: string, logger: Logger, opts: PoolOptions = {}): pg.Pool {
  const t = opts.timeouts;
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 20,
    application_name: opts.application_name ?? 'cpt',
    connectionTimeoutMillis: t?.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    ...(t
      ? {
          Client: GuardedClient,
          statement_timeout: t.statementTimeoutMs,
          idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs,
          query_timeout: queryReadTimeoutMs(t),
          keepAlive: true,
          keepAliveInitialDelayMillis: t.keepAliveInitialDelayMs,
        }
      : {}),
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
  // Compiled statements go out as named prepared statements (see prepared.ts).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
}

/** Runs fn in a transaction, reusing the caller's transaction when it already holds one. */
export async function withTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}
