/** PostgreSQL through Kysely: the pool, transactions, the table types, migrations and the embedded server. */
export { createDb, createPool, withTransaction, type Db, type DbOrTx, type PoolOptions, type PoolTimeouts, type Tx } from './connection.js';
export { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
export { migrateToLatest } from './migrate.js';
export { checkCompiledStatements, compiledStatement } from './prepared.js';
export type * from './tables/index.js';
