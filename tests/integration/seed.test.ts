import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../shared/crypto/index.js';
import { DEMO_PASSWORD, demoRoster, seedDemoData, SeedRefusedError } from '../../shared/staff/index.js';
import { DEMO_CAMPAIGN_TITLE, seedDemoContent } from '../../services/demo/index.js';
import { createTestEnv, type TestEnv } from '../support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('demo seed', () => {
  it('creates the demo roster with hashed passwords, once', async () => {
    expect(await seedDemoData(env.db, { isProduction: false })).toBe(demoRoster.length);
    expect(await seedDemoData(env.db, { isProduction: false })).toBe(0);
    const staff = await env.db.selectFrom('staff').selectAll().orderBy('id').execute();
    expect(staff.map((s) => [s.email, s.role, s.jurisdiction_code])).toEqual([
      ['admin@demo.local', 'admin', '410700'],
      ['regulator.xinxiang@demo.local', 'regulator', '410700'],
      ['inspector.hongqi@demo.local', 'inspector', '410702'],
      ['inspector2.hongqi@demo.local', 'inspector', '410702'],
      ['inspector.jiefang@demo.local', 'inspector', '410802'],
    ]);
    for (const s of staff) {
      expect(s.password_hash).not.toContain(DEMO_PASSWORD);
      expect(await verifyPassword(DEMO_PASSWORD, s.password_hash)).toBe(true);
      expect(await verifyPassword('wrong-password', s.password_hash)).toBe(false);
    }
  });

  it('adds the demo content through the use cases, once: complaints, an open campaign with approved nominations, a recall', async () => {
    expect(await seedDemoContent(env.ctx)).toBe(true);
    expect(await seedDemoContent(env.ctx)).toBe(false);
    const items = await env.db.selectFrom('items').select('category').orderBy('id').execute();
    expect(items.map((i) => i.category)).toEqual(['scale', 'ebike', 'child_product']);
    const campaigns = await env.db.selectFrom('sampling_campaigns').select(['id', 'title', 'phase']).execute();
    expect(campaigns).toEqual([expect.objectContaining({ title: DEMO_CAMPAIGN_TITLE, phase: 'nominating' })]);
    const nominations = await env.db
      .selectFrom('sampling_nominations')
      .select('status')
      .where('campaign_id', '=', campaigns[0]!.id)
      .execute();
    expect(nominations.map((n) => n.status)).toEqual(['approved', 'approved']);
    const recalls = await env.db.selectFrom('recalls').select(['recall_no', 'status']).execute();
    expect(recalls).toEqual([{ recall_no: expect.stringMatching(/^RC-\d{4}-0001$/), status: 'published' }]);
    const sessions = await env.db.selectFrom('staff_sessions').select('revoked_at').execute();
    expect(sessions.length).toBe(1);
    expect(sessions.every((s) => s.revoked_at !== null)).toBe(true);
  });

  it('refuses to run in production', async () => {
    await expect(seedDemoData(env.db, { isProduction: true })).rejects.toBeInstanceOf(SeedRefusedError);
  });

  it('the division table holds every county with its bureau', async () => {
    const counties = await env.db
      .selectFrom('jurisdictions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('level', '=', 'county')
      .executeTakeFirstOrThrow();
    expect(Number(counties.n)).toBeGreaterThan(2800);
    expect(await env.db.selectFrom('jurisdictions').selectAll().where('code', '=', '410802').executeTakeFirst()).toMatchObject({
      bureau_name: '焦作市解放区市场监督管理局',
      parent_code: '410800',
    });
  });
});
