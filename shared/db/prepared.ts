import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type PostgresPool, type PostgresPoolClient } from 'kysely';
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

/** The placeholder a compiled-once statement's builder receives for each named value. */
const PLACEHOLDER = '\u0000cpt-value:';
const placeholderOf = (key: string) => `${PLACEHOLDER}${key}\u0000`;
/** The key a bound value's placeholder names; undefined for any other value (a constant, or a transformed value). */
function placeholderKey(v: unknown): string | undefined {
  if (typeof v !== 'string' || !v.startsWith(PLACEHOLDER) || !v.endsWith('\u0000')) return undefined;
  const key = v.slice(PLACEHOLDER.length, -1);
  return key.includes('\u0000') ? undefined : key;
}
let checkEveryCall = false;

/** The test suite builds and compiles every call of a compiled-once statement the slow way too, and compares. */
export function checkCompiledStatements(on: boolean): void {
  checkEveryCall = on;
}

/**
 * A hot statement built and compiled once, then run as a named prepared statement: each call only binds its values.
 * Building and compiling a Kysely query costs more CPU than the database spends on a small one (a tenth of a
 * tracking request; far more for routing's one statement of ten parts). The builder receives a placeholder for each
 * named value and must only pass it on as a value (a comparison, eb.val, sql`${v}`), never test or transform it:
 * values the builder wrote itself are constants of the statement. A placeholder that ends up inside the SQL text or
 * another value is refused at the first call; with checkCompiledStatements on (the tests), every call is compared
 * with a slow-path build, so a builder taking a value from anywhere but its parameters fails the suite.
 */
export function compiledStatement<P extends Record<string, unknown>, R>(
  name: string,
  build: (db: Executor & Kysely<Database>, values: P) => Compilable<R>,
) {
  let template: { compiled: CompiledQuery<R>; bind: Array<{ key: string } | { value: unknown }> } | undefined;
  const compile = (db: Executor & Kysely<Database>): NonNullable<typeof template> => {
    const placeholders = new Proxy({} as P, { get: (_t, key) => placeholderOf(String(key)) });
    const compiled = build(db, placeholders).compile();
    if (compiled.sql.includes(PLACEHOLDER)) throw new Error(`statement "${name}" wrote a value into its SQL text`);
    const bind = compiled.parameters.map((v) => {
      const key = placeholderKey(v);
      if (key !== undefined) return { key };
      if (JSON.stringify(v ?? null).includes('\\u0000cpt-value:')) throw new Error(`statement "${name}" transformed a value`);
      return { value: v };
    });
    register(name, compiled.sql);
    return { compiled, bind };
  };
  return async (db: Executor & Kysely<Database>, values: P): Promise<R[]> => {
    template ??= compile(db);
    const parameters = template.bind.map((b) => ('key' in b ? values[b.key] : b.value));
    if (checkEveryCall) {
      const slow = build(db, values).compile();
      if (slow.sql !== template.compiled.sql || JSON.stringify(slow.parameters) !== JSON.stringify(parameters)) {
        throw new Error(`statement "${name}" does not depend on its values alone`);
      }
    }
    const query: CompiledQuery<R> = { ...template.compiled, parameters, queryId: createQueryId() };
    return (await db.executeQuery(query)).rows;
  };
}

/**
 * The pool as Kysely sees it: a query whose text a compiled statement registered goes out with its name (pg's `name`
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
