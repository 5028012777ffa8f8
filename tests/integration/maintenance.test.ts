import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retention, runHousekeeping } from '../../workers/housekeeping.js';
import { createTestEnv, eventually, type TestEnv } from '../support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** What housekeeping needs of a worker's context: the database and the file store, nothing that sends or queues. */
const housekeepingContext = () => ({
  ...env.ctx,
  mailer: undefined as never,
  bulkMailer: undefined as never,
  divisions: undefined as never,
  addJobs: undefined as never,
});

describe('housekeeping', () => {
  it('purges expired idempotency keys and old relayed outbox rows, and nothing else', async () => {
    await env.db
      .insertInto('idempotency_keys')
      .values([
        { key: 'old', request_hash: 'h', created_at: sql<Date>`now() - interval '25 hours'` },
        { key: 'fresh', request_hash: 'h' },
      ])
      .execute();
    await env.db
      .insertInto('outbox')
      .values([
        { queue: 'triage', payload: '{"trackingNo":"T1"}', relayed_at: new Date(Date.now() - 8 * 86_400_000) },
        { queue: 'triage', payload: '{"trackingNo":"T2"}', relayed_at: new Date() },
        { queue: 'triage', payload: '{"trackingNo":"T3"}', relayed_at: null },
      ])
      .execute();
    const ctx = housekeepingContext();

    expect(await runHousekeeping(ctx)).toEqual({
      idempotencyKeys: 1,
      outbox: 1,
      orphanFiles: 0,
      lapsedSubscriptions: 0,
      finishedCases: 0,
    });
    expect((await env.db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key)).toEqual(['fresh']);
    expect(await env.db.selectFrom('outbox').select('id').execute()).toHaveLength(2);
    expect(await runHousekeeping(ctx)).toEqual({
      idempotencyKeys: 0,
      outbox: 0,
      orphanFiles: 0,
      lapsedSubscriptions: 0,
      finishedCases: 0,
    });
  });

  it('closes open cases whose items are all finished, and no other', async () => {
    const ctx = housekeepingContext();
    const labels = ['done', 'open', 'empty'];
    const merchants = await env.db
      .insertInto('merchants')
      .values(labels.map((l) => ({ merchant_key: `housekeeping:${l}`, name: l, normalized_name: l })))
      .returning(['id', 'name'])
      .execute();
    const cases = await env.db
      .insertInto('cases')
      .values(
        merchants.map((m) => ({
          merchant_id: m.id,
          category: 'scale' as const,
          queue: 'metrology' as const,
          jurisdiction_code: '410702',
          status: 'open' as const,
          priority: 2,
        })),
      )
      .returning(['id', 'merchant_id'])
      .execute();
    const rows = cases.map((c) => ({ id: c.id, label: merchants.find((m) => m.id === c.merchant_id)!.name }));
    const caseOf = (label: string) => rows.find((r) => r.label === label)!.id;
    await sql`
      INSERT INTO items (tracking_no, access_code_hash, kind, category, title, description, merchant_id, merchant, status, case_id)
      SELECT 'THK' || c.id || s, 'x', 'complaint', 'scale', '鬼秤', '短斤缺两', c.merchant_id, '{}', s, c.id
      FROM cases c, unnest(CASE WHEN c.id = ${caseOf('done')} THEN ARRAY['closed', 'rejected'] ELSE ARRAY['closed', 'accepted'] END) s
      WHERE c.id IN (${caseOf('done')}, ${caseOf('open')})`.execute(env.db);

    expect((await runHousekeeping(ctx)).finishedCases).toBe(1);
    const statuses = await env.db
      .selectFrom('cases')
      .select(['id', 'status', 'closed_at'])
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const statusOf = (label: string) => statuses.find((c) => c.id === caseOf(label));
    expect(statusOf('done')).toMatchObject({ status: 'closed', closed_at: expect.any(Date) });
    expect(statusOf('open')).toMatchObject({ status: 'open', closed_at: null });
    expect(statusOf('empty')).toMatchObject({ status: 'open', closed_at: null });
    expect((await runHousekeeping(ctx)).finishedCases).toBe(0);
  });

  it('removes upload files that no attachment row names once they are past the grace period', async () => {
    const ctx = housekeepingContext();
    await env.ctx.storage.put('items/999/orphan-old', new Uint8Array([1, 2, 3]));
    await env.ctx.storage.put('items/999/orphan-new', new Uint8Array([1, 2, 3]));
    const old = new Date(Date.now() - retention.orphanFileGraceMs - 60_000);
    await utimes(path.join(env.config.DATA_DIR, 'attachments', 'items/999/orphan-old'), old, old);

    expect((await runHousekeeping(ctx)).orphanFiles).toBe(1);
    const left: string[] = [];
    for await (const f of env.ctx.storage.list()) left.push(f.key);
    expect(left).toEqual(['items/999/orphan-new']);
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
