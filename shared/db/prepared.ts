import type { Compilable, Kysely, PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { Database } from './tables/index.js';

/** The pool-backed Db or a transaction (only what running a compiled query needs). */
type Executor = Pick<Kysely<Database>, 'executeQuery'>;

/** SQL text → statement name, and the reverse to catch one name compiled to two texts. */
const nameOfText = new Map<string, string>();
const textOfName = new Map<string, string>();

function register(name: string, text: string): void {
  const known = textOfName.get(name);
  if (known === text) return;
  if (known !== undefined) throw new Error(`prepared statement "${name}" compiled to different SQL; give each shape its own name`);
  if (nameOfText.has(text)) throw new Error(`prepared statement "${name}" has the same SQL as "${nameOfText.get(text)}"`);
  textOfName.set(name, text);
  nameOfText.set(text, name);
}

/**
 * Runs a Kysely query as a named prepared statement: each connection parses and plans it once, then only binds
 * and executes it. For the hot paths only, whose SQL text is the same on every call (a name always compiles to
 * one text; a query whose shape varies throws on its second shape). Works on the pool and inside transactions.
 */
export async function prepared<R>(db: Executor, name: string, query: Compilable<R>): Promise<R[]> {
  const compiled = query.compile();
  register(name, compiled.sql);
  return (await db.executeQuery(compiled)).rows;
}

/** The first row of a prepared query, if any. */
export async function preparedFirst<R>(db: Executor, name: string, query: Compilable<R>): Promise<R | undefined> {
  return (await prepared(db, name, query))[0];
}

/**
 * The pool as Kysely sees it: a query whose text was registered by prepared() goes out with its name (pg's `name`
 * option, cached per connection by pg); every other query is sent as before.
 */
export function namedStatementPool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  // No cursor is configured on the dialect, so Kysely only ever calls query(text, values).
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((text: string, values: unknown[]) => {
      const name = nameOfText.get(text);
      return client.query(name ? { name, text, values } : { text, values });
    }) as unknown as PostgresPoolClient['query'],
    release: () => client.release(),
  });
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
