import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../shared/crypto/index.js';
import { createTestEnv, postJson, readJson, type TestEnv } from '../support/env.js';
import { signIn } from '../support/staff.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
});
afterAll(async () => {
  await env.close();
});

describe('claim-next under contention', () => {
  it('50 concurrent claims over 20 cases: each case claimed exactly once, 30 get 204', async () => {
    const passwordHash = await hashPassword('claim-test-password');
    const inspectors = await env.db
      .insertInto('staff')
      .values(
        Array.from({ length: 10 }, (_, i) => ({
          email: `claimer${i}@demo.local`,
          name: `检查员${i}`,
          role: 'inspector' as const,
          jurisdiction_code: '410702',
          specialties: ['metrology'],
          password_hash: passwordHash,
        })),
      )
      .returning('email')
      .execute();
    const merchants = await env.db
      .insertInto('merchants')
      .values(Array.from({ length: 20 }, (_, i) => ({ merchant_key: `claim:${i}`, name: `商户${i}`, normalized_name: `商户${i}` })))
      .returning('id')
      .execute();
    await env.db
      .insertInto('cases')
      .values(
        merchants.map((m, i) => ({
          merchant_id: m.id,
          category: 'scale' as const,
          queue: 'metrology' as const,
          jurisdiction_code: '410702',
          status: 'open' as const,
          priority: 1 + (i % 4),
          due_at: new Date(Date.now() + i * 3600_000),
        })),
      )
      .execute();
    const sessions = await Promise.all(inspectors.map((s) => signIn(env, s.email, 'claim-test-password')));

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postJson(env.app, '/api/v1/cases/claim', {}, sessions[i % sessions.length])),
    );
    const claimed = await Promise.all(responses.filter((r) => r.status === 200).map(async (r) => (await readJson(r)).id as number));
    expect(responses.filter((r) => r.status === 204)).toHaveLength(30);
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed).size).toBe(20);
    const rows = await env.db.selectFrom('cases').select(['id', 'claimed_by']).execute();
    expect(rows.every((r) => r.claimed_by !== null)).toBe(true);
    const claimEvents = await env.db.selectFrom('case_events').select('case_id').where('action', '=', 'claimed').execute();
    expect(claimEvents).toHaveLength(20);
  });

  it('claims the highest priority, earliest due case first', async () => {
    const passwordHash = await hashPassword('claim-test-password');
    await env.db
      .insertInto('staff')
      .values({
        email: 'order@demo.local',
        name: '顺序',
        role: 'inspector',
        jurisdiction_code: '410711',
        specialties: ['child_safety'],
        password_hash: passwordHash,
      })
      .execute();
    const m = await env.db
      .insertInto('merchants')
      .values({ merchant_key: 'order:1', name: 'o', normalized_name: 'o' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const m2 = await env.db
      .insertInto('merchants')
      .values({ merchant_key: 'order:2', name: 'o2', normalized_name: 'o2' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const m3 = await env.db
      .insertInto('merchants')
      .values({ merchant_key: 'order:3', name: 'o3', normalized_name: 'o3' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = {
      category: 'child_product' as const,
      queue: 'child_safety' as const,
      jurisdiction_code: '410711',
      status: 'open' as const,
    };
    const [late, urgent, early] = await env.db
      .insertInto('cases')
      .values([
        { ...base, merchant_id: m.id, priority: 2, due_at: new Date(Date.now() + 5 * 86_400_000) },
        { ...base, merchant_id: m2.id, priority: 1, due_at: new Date(Date.now() + 9 * 86_400_000) },
        { ...base, merchant_id: m3.id, priority: 2, due_at: new Date(Date.now() + 1 * 86_400_000) },
      ])
      .returning('id')
      .execute();
    const s = await signIn(env, 'order@demo.local', 'claim-test-password');
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await readJson(await postJson(env.app, '/api/v1/cases/claim', {}, s))).id);
    expect(order).toEqual([urgent!.id, early!.id, late!.id]);
    expect((await postJson(env.app, '/api/v1/cases/claim', { queue: 'metrology' }, s)).status).toBe(403); // not a specialty
  });
});

describe('claim over a real socket', () => {
  it('accepts a POST with no body at all, as the contract’s optional {queue} allows', async () => {
    const { serve } = await import('@hono/node-server');
    const server = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const auth = await signIn(env, 'order@demo.local', 'claim-test-password');
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/cases/claim`, { method: 'POST', headers: auth });
      expect(res.status).toBe(204); // nothing left in its queues, and no 415
      const text = await fetch(`http://127.0.0.1:${port}/api/v1/cases/claim`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(text.status).toBe(415);
    } finally {
      server.close();
    }
  });
});
