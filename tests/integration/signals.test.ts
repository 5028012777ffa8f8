import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintInput } from '../../shared/complaints/index.js';
import { loadDivisionIndex } from '../../shared/jurisdictions/index.js';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import type { WorkerContext } from '../../workers/index.js';
import { detectSignals } from '../../workers/signals.js';
import { triageItem } from '../../workers/triage.js';
import { createTestEnv, eventually, postJson, readJson, settled, type TestEnv } from '../support/env.js';
import { childProductComplaint } from '../support/fixtures.js';
import { recallInput, uscc } from '../support/recalls.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, seedStaff, signIn, startCaseworkEnv } from '../support/staff.js';

const hazardous = (product: ComplaintInput['product'], overrides: Partial<ComplaintInput> = {}) =>
  childProductComplaint({ product, ...overrides });
const harmless = (product: ComplaintInput['product']) =>
  childProductComplaint({ product, evidence: { productType: 'toy', hazards: [] }, harm: { injury: 'none', childInvolved: false } });

describe('defect signals through triage, the signals queue and email', () => {
  let env: TestEnv;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let stop: () => Promise<void>;
  let regulator: Record<string, string>;
  let jiaozuo: Record<string, string>;
  let zhengzhou: Record<string, string>;

  beforeAll(async () => {
    ({ env, smtp, stop } = await startCaseworkEnv());
    regulator = await signIn(env, demo.regulator);
    const { password_hash } = await env.db
      .selectFrom('staff')
      .select('password_hash')
      .where('email', '=', demo.regulator)
      .executeTakeFirstOrThrow();
    await env.db
      .insertInto('staff')
      .values([
        { email: 'regulator.jiaozuo@demo.local', name: '焦作市监管科', password_hash, role: 'regulator', jurisdiction_code: '410800' },
        { email: 'regulator.zhengzhou@demo.local', name: '郑州市监管科', password_hash, role: 'regulator', jurisdiction_code: '410100' },
      ])
      .execute();
    jiaozuo = await signIn(env, 'regulator.jiaozuo@demo.local', DEMO_PASSWORD);
    zhengzhou = await signIn(env, 'regulator.zhengzhou@demo.local', DEMO_PASSWORD);
  });
  afterAll(() => stop());

  /** Files a complaint and waits until its signal check has run. */
  async function file(body: ComplaintInput) {
    const filed = await readJson(await postJson(env.app, '/api/v1/complaints', body));
    const item = await eventually(async () => {
      const row = await env.db.selectFrom('items').select(['id', 'status']).where('tracking_no', '=', filed.trackingNo).executeTakeFirst();
      return row?.status !== 'submitted' && row;
    });
    const hasCheck = await env.db.selectFrom('item_products').select('hazardous').where('item_id', '=', item.id).executeTakeFirstOrThrow();
    if (hasCheck.hazardous) await eventually(async () => (await env.queues.signals.getJobState(`signals-${item.id}`)) === 'completed');
    return filed.trackingNo as string;
  }
  const signalsOf = (key: string) => env.db.selectFrom('defect_signals').selectAll().where('subject_key', '=', key).execute();
  const signalMails = (label: string) => smtp.received.filter((m) => m.parsed.subject?.includes(label));

  it('opens a signal at the third hazardous complaint, tells the regulators concerned once, and again only when it grows by half', async () => {
    const product = { name: '滑板车', brand: '闪电', model: 'SD-3' };
    await file(hazardous({ ...product, model: 'ＳＤ－３' }));
    await file(harmless(product));
    await file(hazardous({ ...product, model: 'sd 3' }, { harm: { injury: 'minor', childInvolved: true } }));
    await file(harmless(product));
    expect(await signalsOf('product:闪电|sd3')).toEqual([]);

    await file(
      hazardous(product, {
        merchant: { name: '红旗玩具店', districtCode: '410702' },
        harm: { injury: 'serious', childInvolved: true },
      }),
    );
    const [opened] = await signalsOf('product:闪电|sd3');
    expect(opened).toMatchObject({
      status: 'open',
      subject_kind: 'product',
      subject_label: '闪电 SD-3',
      item_count: 3,
      hazards: ['small_parts'],
      worst_injury: 'serious',
      jurisdiction_codes: ['410702', '410802'],
      notified_count: 3,
    });
    expect(opened!.first_at <= opened!.last_at).toBe(true);

    const first = await eventually(
      async () => signalMails('闪电 SD-3').filter((m) => m.envelopeTo.includes('regulator.jiaozuo@demo.local')).length === 1,
    );
    expect(first).toBe(true);
    await eventually(async () => signalMails('闪电 SD-3').some((m) => m.envelopeTo.includes(demo.regulator)));
    expect(signalMails('闪电 SD-3').map((m) => m.parsed.subject)).toContain(`缺陷线索提示 #${opened!.id}：闪电 SD-3（3 件投诉举报）`);

    await file(hazardous(product));
    expect((await signalsOf('product:闪电|sd3'))[0]).toMatchObject({ id: opened!.id, item_count: 4, notified_count: 3 });
    await file(hazardous(product));
    expect((await signalsOf('product:闪电|sd3'))[0]).toMatchObject({ id: opened!.id, item_count: 5, notified_count: 5 });
    await eventually(async () => signalMails('闪电 SD-3').some((m) => m.parsed.subject?.startsWith(`缺陷线索增长 #${opened!.id}`)));
    await settled(env); // every mail the growth could set off has gone out
    const toXinxiang = signalMails('闪电 SD-3').filter((m) => m.envelopeTo.includes(demo.regulator));
    expect(toXinxiang).toHaveLength(2);
    expect(signalMails('闪电 SD-3').filter((m) => m.envelopeTo.includes('regulator.zhengzhou@demo.local'))).toHaveLength(0);

    // Regulators see the signals of their jurisdictions, with the evidence but no reporter details.
    const list = await readJson(await env.app.request('/api/v1/signals', { headers: jiaozuo }));
    expect(list.items.map((s: { id: number }) => s.id)).toContain(opened!.id);
    expect((await readJson(await env.app.request('/api/v1/signals', { headers: zhengzhou }))).total).toBe(0);
    expect((await env.app.request(`/api/v1/signals/${opened!.id}`, { headers: zhengzhou })).status).toBe(404);
    const detail = await readJson(await env.app.request(`/api/v1/signals/${opened!.id}`, { headers: regulator }));
    expect(detail.items).toHaveLength(5);
    expect(detail.items[0]).toMatchObject({ category: 'child_product', hazards: ['small_parts'], product: { brand: '闪电' } });
    expect(JSON.stringify(detail)).not.toMatch(/parent@example\.com|reporter/);
    expect((await env.app.request('/api/v1/signals', { headers: await signIn(env, demo.hongqi) })).status).toBe(403);
  });

  it('counts a manufacturer by USCC across brands and models, else by its normalised name', async () => {
    const maker = uscc('91410700MA45RQ7X1');
    await file(hazardous({ brand: '甲', model: 'A1', manufacturerUscc: maker }));
    await file(hazardous({ brand: '乙', model: 'B1', manufacturerUscc: maker, manufacturer: '随便写的名字' }));
    await file(hazardous({ brand: '丙', model: 'C1', manufacturerUscc: maker.toLowerCase() }));
    expect((await signalsOf(`manufacturer:uscc:${maker}`))[0]).toMatchObject({ subject_kind: 'manufacturer', item_count: 3 });

    await file(hazardous({ brand: '丁', model: 'D1', manufacturer: '宏发 玩具厂' }));
    await file(hazardous({ brand: '戊', model: 'E1', manufacturer: '宏发玩具厂' }));
    expect(await signalsOf('manufacturer:name:宏发玩具厂')).toEqual([]);
    await file(hazardous({ brand: '己', model: 'F1', manufacturer: '宏发-玩具厂' }));
    // Labelled as the complaint that opened it spelt the name.
    expect((await signalsOf('manufacturer:name:宏发玩具厂'))[0]).toMatchObject({ item_count: 3, subject_label: '宏发-玩具厂' });
  });

  it('investigates, dismisses and starts a recall from a signal; a dismissed cluster is not raised again on the same complaints', async () => {
    const inXinxiang = { merchant: { name: '红旗母婴店', districtCode: '410702' } };
    const product = { brand: '星星', model: 'XX-1' };
    for (let i = 0; i < 3; i++) await file(hazardous(product, inXinxiang));
    const [signal] = await signalsOf('product:星星|xx1');
    const move = (id: number, body: unknown) => postJson(env.app, `/api/v1/signals/${id}/transitions`, body, regulator);
    const investigating = await move(signal!.id, { to: 'investigating' });
    expect(await readJson(investigating)).toMatchObject({ status: 'investigating' });
    const again = await move(signal!.id, { to: 'investigating' });
    expect(again.status).toBe(409);
    expect((await readJson(again)).error.details).toEqual({ current: 'investigating', allowed: ['dismissed'] });
    expect((await move(signal!.id, { to: 'recalled' })).status).toBe(400);

    const created = await postJson(
      env.app,
      '/api/v1/recalls',
      recallInput({ brand: '星星', models: ['XX-1'], signalId: signal!.id }),
      regulator,
    );
    const { recallNo } = await readJson(created);
    expect((await readJson(await env.app.request(`/api/v1/signals/${signal!.id}`, { headers: regulator }))).recallNo).toBe(recallNo);
    await postJson(env.app, `/api/v1/recalls/${recallNo}/publish`, {}, regulator);
    const recalled = await readJson(await env.app.request(`/api/v1/signals/${signal!.id}`, { headers: regulator }));
    expect(recalled).toMatchObject({ status: 'recalled', recallNo });
    expect(recalled.events.map((e: { to: string }) => e.to)).toEqual(['open', 'investigating', 'recalled']);
    expect((await postJson(env.app, '/api/v1/recalls', recallInput({ signalId: signal!.id }), regulator)).status).toBe(400);

    const other = { brand: '月亮', model: 'YY-1' };
    for (let i = 0; i < 3; i++) await file(hazardous(other, inXinxiang));
    const [moon] = await signalsOf('product:月亮|yy1');
    const dismissed = await readJson(await move(moon!.id, { to: 'dismissed', reason: '经核实为个别使用不当' }));
    expect(dismissed).toMatchObject({ status: 'dismissed' });
    await file(hazardous(other, inXinxiang));
    await file(hazardous(other, inXinxiang));
    expect(await signalsOf('product:月亮|yy1')).toHaveLength(1); // 2 new complaints since the dismissal: below the threshold
    await file(hazardous(other, inXinxiang));
    const both = await signalsOf('product:月亮|yy1');
    expect(both).toHaveLength(2);
    expect(both.find((s) => s.status === 'open')).toMatchObject({ item_count: 3 });
  });
});

describe('the signal check itself', () => {
  let env: TestEnv;
  let ctx: WorkerContext;
  beforeAll(async () => {
    env = await createTestEnv({ SIGNAL_THRESHOLD: '3' });
    await seedStaff(env);
    // No workers: items are triaged here, one call at a time, and the checks run when the test says.
    ctx = {
      ...env.ctx,
      divisions: await loadDivisionIndex(env.db),
      mailer: undefined as never,
      bulkMailer: undefined as never,
      addJobs: undefined as never,
    };
  });
  afterAll(() => env.close());

  async function triaged(product: ComplaintInput['product']) {
    const filed = await readJson(
      await postJson(env.app, '/api/v1/complaints', hazardous(product, { merchant: { name: '红旗母婴店', districtCode: '410702' } })),
    );
    await triageItem(ctx, { trackingNo: filed.trackingNo });
    return env.db.selectFrom('items').select(['id', 'received_at']).where('tracking_no', '=', filed.trackingNo).executeTakeFirstOrThrow();
  }
  const backdate = async (id: number, at: Date) => {
    await env.db.updateTable('items').set({ received_at: at }).where('id', '=', id).execute();
    await env.db.updateTable('item_products').set({ received_at: at }).where('item_id', '=', id).execute();
  };

  it('counts the last 90 days: a complaint a minute inside the window counts, one a minute outside does not', async () => {
    const day = 86_400_000;
    const product = { brand: '边界', model: 'EDGE-1' };
    const inside = await triaged(product);
    const outside = await triaged(product);
    const latest = await triaged(product);
    const now = new Date();
    await backdate(inside.id, new Date(now.getTime() - 90 * day + 60_000));
    await backdate(outside.id, new Date(now.getTime() - 90 * day - 60_000));
    const below = await detectSignals(ctx, { itemId: latest.id }, now);
    expect(below).toEqual([{ subject: 'product:边界|edge1', outcome: 'below_threshold', itemCount: 2, notified: false }]);

    await backdate(outside.id, new Date(now.getTime() - 90 * day + 120_000));
    expect((await detectSignals(ctx, { itemId: latest.id }, now))[0]).toMatchObject({ outcome: 'opened', itemCount: 3, notified: true });
    // Run again: the evidence is recomputed, not added to, and nobody is told twice.
    expect((await detectSignals(ctx, { itemId: latest.id }, now))[0]).toMatchObject({
      outcome: 'unchanged',
      itemCount: 3,
      notified: false,
    });
    const notifications = await env.db.selectFrom('notifications').select('id').where('template', '=', 'defect_signal').execute();
    expect(notifications).toHaveLength(1);
  });

  it('is one signal with every item when many checks of one subject run at once', async () => {
    const items = [];
    for (let i = 0; i < 12; i++) items.push(await triaged({ brand: '并发', model: 'CC-1' }));
    const results = await Promise.all(items.map((i) => detectSignals(ctx, { itemId: i.id })));
    expect(results.flat().filter((r) => r.outcome === 'opened')).toHaveLength(1);
    const signals = await env.db.selectFrom('defect_signals').selectAll().where('subject_key', '=', 'product:并发|cc1').execute();
    expect(signals).toHaveLength(1);
    expect(signals[0]!.item_count).toBe(12);
    expect(signals[0]!.item_ids.map(Number).sort((a, b) => a - b)).toEqual(items.map((i) => i.id).sort((a, b) => a - b));
    // A new item is counted with a fresh read of the window.
    const late = await triaged({ brand: '并发', model: 'CC-1' });
    expect((await detectSignals(ctx, { itemId: late.id }))[0]).toMatchObject({ outcome: 'updated', itemCount: 13 });
    // A check of an item the signal counts already ends there, even when the window has moved on since (the item's own
    // check ran; re-reading the window on every check of a burst made a popular model's checks quadratic).
    await backdate(items[0]!.id, new Date(Date.now() - 91 * 86_400_000));
    expect((await detectSignals(ctx, { itemId: items[1]!.id }))[0]).toMatchObject({ outcome: 'unchanged', itemCount: 13 });

    // It ends there without the subject's lock: a check running meanwhile does not hold it up.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = env.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${'signal:product:并发|cc1'}, 0))`.execute(tx);
      locked();
      await held;
    });
    await isLocked;
    try {
      const check = detectSignals(ctx, { itemId: items[2]!.id });
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 3_000));
      expect(await Promise.race([check, waited])).toEqual([
        { subject: 'product:并发|cc1', outcome: 'unchanged', itemCount: 13, notified: false },
      ]);
    } finally {
      release();
      await holder;
    }
  });

  it('queues one check per hazardous item in triage’s own transaction, none for the others', async () => {
    const hazardousItem = await triaged({ brand: '队列', model: 'Q-1' });
    const filed = await readJson(await postJson(env.app, '/api/v1/complaints', harmless({ brand: '队列', model: 'Q-1' })));
    await triageItem(ctx, { trackingNo: filed.trackingNo });
    await triageItem(ctx, { trackingNo: filed.trackingNo });
    const rows = await env.db.selectFrom('outbox').select('payload').where('queue', '=', 'signals').execute();
    expect(rows.filter((r) => r.payload.itemId === hazardousItem.id)).toHaveLength(1);
    const harmlessId = (await env.db.selectFrom('items').select('id').where('tracking_no', '=', filed.trackingNo).executeTakeFirstOrThrow())
      .id;
    expect(rows.filter((r) => r.payload.itemId === harmlessId)).toHaveLength(0);
  });
});
