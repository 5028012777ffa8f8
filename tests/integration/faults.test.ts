import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/app.js';
import { createDb, createPool } from '../../shared/db/index.js';
import { freePort } from '../../shared/db/index.js';
import { createLogger } from '../../shared/logger/index.js';
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
    await new Promise((r) => setTimeout(r, 500));
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
      cleanups.push(async () => redis?.kill('SIGKILL'));

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

describe('database down', () => {
  it('answers 503 with the envelope while the database is unreachable and recovers by itself', async () => {
    const env = await createTestEnv();
    cleanups.push(() => env.close());
    const real = new URL(env.databaseUrl);
    const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(env.databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const logger = createLogger('silent');
    const db = createDb(createPool(viaProxy.toString(), logger, { max: 5 }));
    cleanups.push(() => db.destroy());
    const app = createApp({ ...env.ctx, db, logger }, { checkQueue: () => env.queueBackend.ping(env.queues.triage) });

    expect((await postJson(app, '/api/v1/complaints', scaleComplaint())).status).toBe(201);
    const itemsBefore = await env.db.selectFrom('items').select('id').execute();

    await proxy.cut();
    const down = await postJson(app, '/api/v1/complaints', scaleComplaint());
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBeTruthy();
    const body = await readJson(down);
    expect(body.error).toMatchObject({ code: 'service_unavailable' });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    const tracking = await app.request('/api/v1/complaints/T20261121AAAAAAAA', { headers: { 'x-access-code': 'X' } });
    expect(tracking.status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(503);

    await proxy.restore();
    await eventually(async () => (await postJson(app, '/api/v1/complaints', scaleComplaint())).status === 201);
    expect((await app.request('/readyz')).status).toBe(200);
    // Nothing half-written while it was down: one item per 201.
    expect((await env.db.selectFrom('items').select('id').execute()).length - itemsBefore.length).toBe(1);
  });
});
