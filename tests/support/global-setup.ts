import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, createPool } from '../../shared/db/index.js';
import { startEmbeddedPostgres } from '../../shared/db/index.js';
import { migrateToLatest } from '../../shared/db/index.js';
import { createLogger } from '../../shared/logger/index.js';
import { syncJurisdictions } from '../../shared/jurisdictions/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL server for the run — DATABASE_URL's, else a throw-away embedded one — and a migrated template
 * database with the division table, which every integration test file clones into a database of its own.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger('warn');
  let dataDir: string | undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cpt-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'db'), persistent: false, logger });
    serverUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const templateDatabase = `cpt_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
    await admin.query(`CREATE DATABASE ${templateDatabase}`);
    const url = new URL(serverUrl);
    url.pathname = `/${templateDatabase}`;
    const db = createDb(createPool(url.toString(), logger, { max: 2 }));
    try {
      await migrateToLatest(db);
      await syncJurisdictions(db);
    } finally {
      await db.destroy();
    }
  } catch (err) {
    await admin.end().catch(() => {});
    await stopEmbedded?.();
    throw err;
  }

  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    // Drop what the test files left behind (they drop their own; a crashed file may not have).
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'cpt_test_%' AND datname LIKE $1`,
      [`%_${process.pid}%`],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await stopEmbedded?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
