import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../workers/maintenance.js';
import { createTestEnv, eventually, type TestEnv } from '../support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('housekeeping', () => {
  it('purges expired idempotency keys, rate-limit windows and old relayed outbox rows, and nothing else', async () => {
    await env.db
      .insertInto('idempotency_keys')
      .values([
        { key: 'old', request_hash: 'h', created_at: sql<Date>`now() - interval '25 hours'` as unknown as Date },
        { key: 'fresh', request_hash: 'h' },
      ])
      .execute();
    await env.db
      .insertInto('rate_limits')
      .values([
        { key: 'expired', hits: 3, reset_at: new Date(Date.now() - 1000) },
        { key: 'current', hits: 3, reset_at: new Date(Date.now() + 60_000) },
      ])
      .execute();
    await env.db
      .insertInto('outbox')
      .values([
        { queue: 'triage', payload: '{"itemId":1}', relayed_at: new Date(Date.now() - 8 * 86_400_000) },
        { queue: 'triage', payload: '{"itemId":2}', relayed_at: new Date() },
        { queue: 'triage', payload: '{"itemId":3}', relayed_at: null },
      ])
      .execute();

    expect(await purgeExpired(env.db)).toEqual({ idempotencyKeys: 1, rateLimits: 1, outbox: 1 });
    expect((await env.db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key)).toEqual(['fresh']);
    expect((await env.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual(['current']);
    expect(await env.db.selectFrom('outbox').select('id').execute()).toHaveLength(2);
    expect(await purgeExpired(env.db)).toEqual({ idempotencyKeys: 0, rateLimits: 0, outbox: 0 });
  });

  it('is scheduled once through the queue when the workers start', async () => {
    const first = await env.startWorkers();
    const second = await env.startWorkers(); // a second worker process upserts the same schedule
    await second.stop();
    env.workers = first;
    const schedulers = await eventually(async () => {
      const s = await env.queues.maintenance.getJobSchedulers();
      return s.length > 0 && s;
    });
    expect(schedulers.map((s) => s.key)).toEqual(['hourly-housekeeping']);
    expect(schedulers[0]?.every).toBe(3_600_000);
  });
});
