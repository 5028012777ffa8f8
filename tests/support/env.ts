import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../services/app.js';
import { loadConfig, type Config } from '../../shared/config/index.js';
import { createDb, createPool, type Db } from '../../shared/db/index.js';
import { createLogger } from '../../shared/logger/index.js';
import type { AnyQueue, JobQueueName, QueueBackend } from '../../shared/queue/index.js';
import { createServiceContext, openQueues, poolTimeouts, type ServiceContext } from '../../shared/runtime/index.js';
import { startWorkers, type RunningWorkers } from '../../workers/index.js';
import { withContractChecks } from './contract.js';

export interface TestEnv {
  config: Config;
  ctx: ServiceContext;
  db: Db;
  pool: pg.Pool;
  databaseUrl: string;
  app: ReturnType<typeof createApp>;
  queueBackend: QueueBackend;
  queues: Record<JobQueueName, AnyQueue>;
  workers?: RunningWorkers;
  startWorkers(opts?: { startRelay?: boolean }): Promise<RunningWorkers>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template, and the app wired to it. */
export async function createTestEnv(
  overrides: Record<string, string | undefined> = {},
  opts: { logLines?: string[] } = {},
): Promise<TestEnv> {
  const serverUrl = inject('serverUrl');
  const template = inject('templateDatabase');
  const name = `${template}_f${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cpt-test-data-'));

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL,
    AUTH_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `{cpt-test-${randomBytes(4).toString('hex')}}`,
    OUTBOX_POLL_MS: '200',
    RATE_LIMIT_INTAKE_PER_MINUTE: '100000',
    RATE_LIMIT_TRACKING_PER_MINUTE: '100000',
    ...overrides,
  });
  // A test may collect every log line (to check that no secret is ever logged).
  const sink = opts.logLines;
  const logger = sink ? createLogger('trace', {}, { write: (line: string) => void sink.push(line) }) : createLogger(config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL ?? databaseUrl, logger, { max: 10, timeouts: poolTimeouts(config) });
  const db = createDb(pool);
  const { backend: queueBackend, queues, checkQueue } = openQueues(config, databaseUrl);
  const ctx = createServiceContext({ db, config, logger });
  // Every response of the in-process app is checked against the route's documented schema.
  const app = withContractChecks(createApp(ctx, { checkQueue, queues: Object.values<AnyQueue>(queues) }));

  const env: TestEnv = {
    config,
    ctx,
    db,
    pool,
    databaseUrl,
    app,
    queueBackend,
    queues,
    async startWorkers(opts = {}) {
      env.workers = await startWorkers({ db, databaseUrl, config, logger, queueBackend, queues, ...opts });
      return env.workers;
    },
    async stopWorkers() {
      await env.workers?.stop();
      env.workers = undefined;
    },
    async close() {
      await env.stopWorkers();
      // A shared Redis outlives the run: leave none of this file's keys behind (a dropped database takes the rest).
      if (queueBackend.kind === 'redis') {
        for (const q of Object.values<AnyQueue>(queues)) await q.obliterate({ force: true }).catch(() => {});
      }
      await queueBackend.close();
      await db.destroy();
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return env;
}

/** Polls until fn returns a value other than undefined/false, or fails after the timeout. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 15_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Waits until each job has run to its end and returns the final states. A job removed once done (removeOnComplete)
 * counts as completed. For tests that check that something did not happen once the work that might do it is over.
 */
export async function jobsFinished(queue: AnyQueue, jobIds: string[], timeoutMs = 15_000): Promise<string[]> {
  return eventually(async () => {
    const states = await Promise.all(
      jobIds.map(async (id) => {
        const state = await queue.getJobState(id);
        return state === 'unknown' ? 'completed' : state;
      }),
    );
    return states.every((s) => s === 'completed' || s === 'failed') && states;
  }, timeoutMs);
}

/** The queues whose jobs follow from requests and other jobs (the rest run on schedules and always hold a delayed job). */
const eventQueues: JobQueueName[] = ['triage', 'notify', 'sampling-campaign', 'signals', 'recall-fanout', 'bulk-mail'];

/**
 * Waits until the work that requests and jobs set off has all been done: every outbox row relayed and no job of the
 * event-driven queues waiting, running or due for a retry. Mail a job sends is received before the job completes, so
 * after this a check that some mail was not sent is final. Queues are checked before and after the outbox, so a row a
 * running job writes, or a job the relay adds in between, is not missed.
 */
export async function settled(env: TestEnv, timeoutMs = 15_000): Promise<void> {
  const busy = async () => {
    for (const name of eventQueues) {
      const counts = await env.queues[name].getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(counts).some((n) => n > 0)) return true;
    }
    return false;
  };
  await eventually(async () => {
    if (await busy()) return false;
    const pending = await env.db.selectFrom('outbox').select('id').where('relayed_at', 'is', null).limit(1).execute();
    return pending.length === 0 && !(await busy());
  }, timeoutMs);
}

/**
 * Waits for the deadline check's scheduled run that starting the workers sets off at once (an interval scheduler runs
 * immediately, then every 15 minutes). A test that calls checkDeadlines itself and counts what it raised waits for this
 * first, or that run may come late on a loaded machine and raise the alerts in its place.
 */
export async function firstDeadlineCheckDone(env: TestEnv, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const counts = await env.queues.deadlines.getJobCounts('completed', 'failed');
    return (counts.completed ?? 0) + (counts.failed ?? 0) > 0;
  }, timeoutMs);
}

export async function postJson(app: TestEnv['app'], path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A response body as loosely typed JSON, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
