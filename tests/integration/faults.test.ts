import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/app.js';
import { createDb, createPool } from '../../shared/db/index.js';
import { freePort } from '../../shared/db/index.js';
import { isDatabaseUnavailable } from '../../shared/errors/index.js';
import { createLogger } from '../../shared/logger/index.js';
import { poolTimeouts } from '../../shared/runtime/index.js';
import { createTestEnv, readJson, eventually, postJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function fileMany(env: TestEnv, n: number) {
  const responses = await Promise.all(
    Array.from({ length: n }, (_, i) => postJson(env.app, '/api/v1/complaints', scaleComplaint({ title: `离线期间 ${i}` }))),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(n).fill(201));
  return Promise.all(responses.map(async (r) => (await readJson(r)).trackingNo as string));
}

async function expectAllRoutedExactlyOnce(env: TestEnv, trackingNos: string[]) {
  await eventually(async () => {
    const routed = await env.db
      .selectFrom('items')
      .select('id')
      .where('tracking_no', 'in', trackingNos)
      .where('status', '=', 'pending_acceptance')
      .execute();
    return routed.length === trackingNos.length;
  }, 30_000);
  const events = await env.db
    .selectFrom('item_events')
    .innerJoin('items', 'items.id', 'item_events.item_id')
    .select(['items.tracking_no', 'item_events.to_status'])
    .where('items.tracking_no', 'in', trackingNos)
    .execute();
  for (const t of trackingNos) {
    expect(events.filter((e) => e.tracking_no === t).map((e) => e.to_status)).toEqual(['submitted', 'pending_acceptance']);
  }
  const pending = await env.db.selectFrom('outbox').select('id').where('relayed_at', 'is', null).where('queue', '=', 'triage').execute();
  expect(pending).toHaveLength(0);
}

describe('queue path down', () => {
  it('with the relay stopped intake still answers 201; once it runs every item is routed exactly once', async () => {
    const env = await createTestEnv();
    cleanups.push(() => env.close());
    const workers = await env.startWorkers({ startRelay: false });
    const trackingNos = await fileMany(env, 20);
    // Nothing was handed to the queue, so nothing can have routed them: every triage row is still in the outbox.
    const unrelayed = await env.db
      .selectFrom('outbox')
      .select('id')
      .where('queue', '=', 'triage')
      .where('relayed_at', 'is', null)
      .where(sql<string>`payload->>'trackingNo'`, 'in', trackingNos)
      .execute();
    expect(unrelayed).toHaveLength(trackingNos.length);
    expect(await env.queues.triage.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(0);
    const waiting = await env.db.selectFrom('items').select('status').where('tracking_no', 'in', trackingNos).execute();
    expect(new Set(waiting.map((w) => w.status))).toEqual(new Set(['submitted']));

    // Two relays racing over the same rows still relay each row once (SKIP LOCKED + jobId = outbox id).
    await Promise.all([workers.relay.start(), workers.relay.drainOnce()]);
    await expectAllRoutedExactlyOnce(env, trackingNos);
  });

  const redisServer = (() => {
    try {
      return execFileSync('which', ['redis-server']).toString().trim() || undefined;
    } catch {
      return undefined;
    }
  })();

  it.skipIf(!redisServer)(
    'with Redis killed intake answers 201, readyz says the queue is down, and on restart every item is routed once',
    async () => {
      const port = await freePort();
      const dir = mkdtempSync(path.join(tmpdir(), 'cpt-redis-'));
      let redis: ChildProcess | undefined;
      const startRedis = async () => {
        redis = spawn(
          redisServer!,
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--dir',
            dir,
            '--appendonly',
            'yes',
            '--appendfsync',
            'always',
            '--maxmemory-policy',
            'noeviction',
            '--save',
            '',
          ],
          { stdio: 'ignore' },
        );
        await eventually(async () => {
          const { Redis } = await import('ioredis');
          const c = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
          c.on('error', () => {});
          try {
            await c.connect();
            return (await c.ping()) === 'PONG';
          } finally {
            c.disconnect();
          }
        });
      };
      await startRedis();
      cleanups.push(async () => {
        redis?.kill('SIGKILL');
        if (redis && redis.exitCode === null && redis.signalCode === null) await new Promise((r) => redis!.once('exit', r));
        rmSync(dir, { recursive: true, force: true });
      });

      const env = await createTestEnv({ REDIS_URL: `redis://127.0.0.1:${port}` });
      cleanups.push(() => env.close());
      await env.startWorkers();
      const before = await fileMany(env, 3);
      await expectAllRoutedExactlyOnce(env, before);

      redis!.kill('SIGKILL');
      await new Promise((r) => redis!.once('exit', r));
      const during = await fileMany(env, 10);
      const ready = await env.app.request('/readyz');
      expect(ready.status).toBe(503);
      expect((await readJson(ready)).error.details).toEqual({ database: 'ok', queue: 'unavailable' });

      await startRedis();
      await expectAllRoutedExactlyOnce(env, [...before, ...during]);
      expect((await env.app.request('/readyz')).status).toBe(200);
    },
  );
});

/** The app on a pool that reaches this file's database through a proxy the test can cut or pause. */
async function appBehindProxy(env: TestEnv) {
  const real = new URL(env.databaseUrl);
  const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  cleanups.push(() => proxy.close());
  const viaProxy = new URL(env.databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const logger = createLogger('silent');
  const pool = createPool(viaProxy.toString(), logger, { max: 3, timeouts: poolTimeouts(env.config) });
  const db = createDb(pool);
  cleanups.push(() => db.destroy());
  const app = createApp({ ...env.ctx, db, logger }, { checkQueue: () => env.queueBackend.ping(env.queues.triage) });
  return { proxy, db, pool, app };
}

const countItems = async (env: TestEnv) => (await env.db.selectFrom('items').select('id').execute()).length;

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = await readJson(res);
  expect(body.error).toMatchObject({ code: 'service_unavailable' });
  expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|timeout|127\.0\.0\.1|stack/i);
}

describe('database down', () => {
  it('answers 503 with the envelope while the database is unreachable and recovers by itself', async () => {
    const env = await createTestEnv();
    cleanups.push(() => env.close());
    const { proxy, app } = await appBehindProxy(env);

    expect((await postJson(app, '/api/v1/complaints', scaleComplaint())).status).toBe(201);
    const itemsBefore = await countItems(env);

    await proxy.cut();
    await expectUnavailable(await postJson(app, '/api/v1/complaints', scaleComplaint()));
    const tracking = await app.request('/api/v1/complaints/T20261121AAAAAAAA', { headers: { 'x-access-code': 'X' } });
    expect(tracking.status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(503);

    await proxy.restore();
    await eventually(async () => (await postJson(app, '/api/v1/complaints', scaleComplaint())).status === 201);
    expect((await app.request('/readyz')).status).toBe(200);
    // Nothing half-written while it was down: one item per 201.
    expect((await countItems(env)) - itemsBefore).toBe(1);
  });

  it('answers 503 with Retry-After within seconds while the database stalls, and 2xx again once it answers', async () => {
    const env = await createTestEnv({ DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '1000' });
    cleanups.push(() => env.close());
    const { proxy, db, pool, app } = await appBehindProxy(env);
    expect((await postJson(app, '/api/v1/complaints', scaleComplaint())).status).toBe(201);
    const itemsBefore = await countItems(env);
    // Every connection of the pool open and idle, so the stall meets queries on open connections first.
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    for (const c of clients) c.release();

    const timed = async (request: () => Response | Promise<Response>) => {
      const started = Date.now();
      const res = await request();
      return { res, ms: Date.now() - started };
    };
    const intake = () => timed(() => postJson(app, '/api/v1/complaints', scaleComplaint()));
    const tracking = () => timed(() => app.request('/api/v1/complaints/T20261121AAAAAAAA', { headers: { 'x-access-code': 'X' } }));
    // The stall comes between a transaction's two statements; meanwhile two requests' queries stall on open
    // connections and three wait for a free one; then, the stalled connections dropped, requests whose connecting stalls.
    let stalled!: () => void;
    const stalling = new Promise<void>((resolve) => (stalled = resolve));
    const stalledTx = expect(
      db.transaction().execute(async (tx) => {
        const probe = (jobId: string) =>
          tx.insertInto('dead_letters').values({ queue: 'triage', job_id: jobId, payload: '{}', error: 'probe', attempts: 1 }).execute();
        await probe('stall-probe-1');
        proxy.pause();
        stalled();
        await probe('stall-probe-2');
      }),
    ).rejects.toSatisfy(isDatabaseUnavailable);
    await stalling;
    const answers = await Promise.all([intake(), intake(), intake(), tracking(), intake()]);
    await stalledTx;
    answers.push(...(await Promise.all([intake(), tracking()])));
    for (const { res, ms } of answers) {
      await expectUnavailable(res);
      expect(ms).toBeLessThan(5_000);
    }

    proxy.resume();
    await eventually(async () => (await postJson(app, '/api/v1/complaints', scaleComplaint())).status === 201);
    expect((await app.request('/readyz')).status).toBe(200);
    // Nothing half-written: the stalled transaction was rolled back, and there is one item per 201, each complete.
    await eventually(async () => {
      const open = await env.db
        .selectFrom(sql<{ state: string }>`pg_stat_activity`.as('a'))
        .select('state')
        .where(sql`datname`, '=', sql`current_database()`)
        .where('state', 'like', 'idle in transaction%')
        .execute();
      return open.length === 0;
    });
    expect(await env.db.selectFrom('dead_letters').select('id').where('job_id', 'like', 'stall-probe-%').execute()).toEqual([]);
    expect((await countItems(env)) - itemsBefore).toBe(1);
    const incomplete = await env.db
      .selectFrom('items')
      .select('tracking_no')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('item_events').select('id').whereRef('item_events.item_id', '=', 'items.id'))))
      .execute();
    expect(incomplete).toEqual([]);
  });
});
