import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate, WorkingCalendar } from '../../shared/calendar/index.js';
import { objectionWindowEnd } from '../../shared/sampling/index.js';
import { runSamplingClock } from '../../workers/sampling-clock.js';
import { eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { jpegWithGps } from '../support/images.js';
import { createCampaign, moveCampaign, nominateApproved, startSamplingEnv } from '../support/sampling.js';
import { demo, signIn } from '../support/staff.js';

/** The rules of a sampling task's steps, one task per merchant of 红旗区 (two inspectors: both drawn). */
let env: TestEnv;
let stop: () => Promise<void>;
let regulator: Record<string, string>;
let inspector: Record<string, string>;
const tasks: number[] = [];
const calendar = new WorkingCalendar();
const today = () => shanghaiDate(new Date());

beforeAll(async () => {
  ({ env, stop } = await startSamplingEnv());
  regulator = await signIn(env, demo.regulator);
  inspector = await signIn(env, demo.hongqi);
  const c = await createCampaign(env, regulator, { quota: 5 });
  await moveCampaign(env, regulator, c.id, 'nominating');
  for (let i = 0; i < 5; i++) {
    await nominateApproved(env, regulator, c.id, { productName: `产品 ${i}`, merchant: { name: `商户 ${i}`, districtCode: '410702' } });
  }
  await moveCampaign(env, regulator, c.id, 'voting');
  await moveCampaign(env, regulator, c.id, 'selecting');
  const rows = await eventually(async () => {
    const r = await env.db.selectFrom('sampling_tasks').select('id').where('campaign_id', '=', c.id).orderBy('rank').execute();
    return r.length === 5 && r;
  });
  tasks.push(...rows.map((r) => r.id));
});
afterAll(() => stop());

const step = (task: number, path: string, body: unknown, who = regulator) =>
  postJson(env.app, `/api/v1/sampling/tasks/${task}/${path}`, body, who);
const collection = (overrides: Record<string, unknown> = {}) => ({
  sampleNo: 'S-1',
  quantity: 4,
  reserveQuantity: 2,
  sealNo: 'F-1',
  labName: '新乡市产品质量检验所',
  pricePaidCny: 35,
  collectedAt: new Date().toISOString(),
  ...overrides,
});
const item = (verdict: 'pass' | 'fail') => ({
  name: '标识',
  standardClause: 'GB 5296.5',
  limit: '应有',
  measured: verdict === 'pass' ? '有' : '无',
  unit: '',
  verdict,
});
const results = (verdict: 'pass' | 'fail') => ({ reportNo: `R-${verdict}`, items: [item(verdict)] });
const latestFollowUpEvidence = async () =>
  (
    await env.db
      .selectFrom('items')
      .select('evidence')
      .where('kind', '=', 'sampling_followup')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  ).evidence;
const codeOf = async (res: Response) => (await readJson(res)).error?.code as string | undefined;

describe('the order of the steps', () => {
  it('refuses every step out of order with a 409 naming the status', async () => {
    const t = tasks[0]!;
    for (const [path, body] of [
      ['results', results('pass')],
      ['objection', { receivedOn: today(), by: 'merchant', grounds: 'g' }],
      ['retest-results', results('pass')],
      ['waiver', { receivedOn: today() }],
      ['delivery', { method: 'post', on: today() }],
    ] as const) {
      const res = await step(t, path, body);
      expect(res.status, path).toBe(409);
      expect((await readJson(res)).error.details.current).toBe('awaiting_collection');
    }
    expect((await env.app.request(`/api/v1/sampling/tasks/${t}/letter`, { headers: regulator })).status).toBe(409);
  });

  it('validates the collection and lets it be corrected until the results are in', async () => {
    const t = tasks[0]!;
    const bad = await step(
      t,
      'collection',
      collection({ reserveQuantity: 0, pricePaidCny: -1, collectedAt: new Date(Date.now() + 3600_000).toISOString() }),
      inspector,
    );
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'collectedAt',
      'pricePaidCny',
      'reserveQuantity',
    ]);
    expect((await step(t, 'collection', collection(), inspector)).status).toBe(200);
    const corrected = await step(t, 'collection', collection({ sealNo: 'F-2' }), inspector);
    expect(await readJson(corrected)).toMatchObject({ collection: { sealNo: 'F-2' } });
    expect((await step(t, 'results', { reportNo: 'R', items: [] })).status).toBe(400);
    expect((await step(t, 'results', { reportNo: 'R', items: [{ ...item('pass'), verdict: 'maybe' }] })).status).toBe(400);
    expect((await step(t, 'results', results('pass'))).status).toBe(200);
    expect(await codeOf(await step(t, 'collection', collection(), inspector))).toBe('conflict');
    expect(await codeOf(await step(t, 'results', results('fail')))).toBe('conflict');
  });

  it('runs a letter’s window from its recorded delivery; a public posting counts 30 days later', async () => {
    const t = tasks[0]!; // notified by letter in the test above
    await env.db
      .updateTable('sampling_tasks')
      .set({ notified_at: new Date(Date.now() - 40 * 86_400_000) })
      .where('id', '=', t)
      .execute();
    expect((await runSamplingClock(env.workers!.context)).finalised).toBe(0); // no delivery, no window, never final by itself
    expect((await step(t, 'delivery', { method: 'post', on: addDays(today(), -41) })).status).toBe(400);
    const posted = addDays(today(), -35);
    const res = await step(t, 'delivery', { method: 'public_notice', on: posted });
    const deemed = addDays(posted, 30);
    expect(await readJson(res)).toMatchObject({
      notice: {
        method: 'letter',
        deliveryMethod: 'public_notice',
        deliveredOn: deemed,
        objectionWindowEndsOn: objectionWindowEnd(calendar, deemed),
      },
    });
    // Received while the result was posted, before it counted as delivered: in time.
    expect((await step(t, 'objection', { receivedOn: addDays(posted, 3), by: 'manufacturer', grounds: '样品非我厂生产' })).status).toBe(
      200,
    );
  });

  it('lets the merchant withdraw an objection before the re-test: the first result is final, and a failure is followed up', async () => {
    const t = tasks[1]!;
    expect((await step(t, 'collection', collection({ merchantEmail: 'shop1@example.com' }), inspector)).status).toBe(200);
    expect((await step(t, 'results', results('fail'))).status).toBe(200);
    expect((await step(t, 'objection', { receivedOn: addDays(today(), -1), by: 'merchant', grounds: 'g' })).status).toBe(400); // before it was issued
    expect((await step(t, 'objection', { receivedOn: today(), by: 'merchant', grounds: '要求复检' })).status).toBe(200);
    expect(await codeOf(await step(t, 'objection', { receivedOn: today(), by: 'merchant', grounds: 'again' }))).toBe('conflict');
    const withdrawn = await step(t, 'waiver', { receivedOn: today() });
    expect(await readJson(withdrawn)).toMatchObject({
      status: 'final',
      final: { basis: 'waived', verdict: 'fail' },
      followUpCaseId: expect.any(Number),
    });
    expect(await codeOf(await step(t, 'retest-results', results('pass')))).toBe('conflict');
    expect(await codeOf(await step(t, 'objection', { receivedOn: today(), by: 'merchant', grounds: 'late' }))).toBe(
      'objection_window_closed',
    );
  });

  it('a re-test that confirms the failure is final and followed up; no refund is due', async () => {
    const t = tasks[2]!;
    await step(t, 'collection', collection({ merchantEmail: 'shop2@example.com' }), inspector);
    await step(t, 'results', results('fail'));
    await step(t, 'objection', { receivedOn: today(), by: 'merchant', grounds: '要求复检' });
    const retest = await step(t, 'retest-results', { reportNo: 'RT-1', items: [item('fail')] });
    expect(await readJson(retest)).toMatchObject({
      status: 'final',
      verdict: 'fail',
      final: { basis: 'retested', verdict: 'fail' },
      retest: { labName: null, feePaidCny: null, refundDue: false },
      followUpCaseId: expect.any(Number),
    });
    expect(await latestFollowUpEvidence()).toMatchObject({ samplingTaskId: t, reportNo: 'RT-1', retested: true });
  });

  it('re-tests the disputed items only: an undisputed failure still fails the sample, and the fee is refunded for the one that differs', async () => {
    const t = tasks[4]!;
    const named = (name: string, verdict: 'pass' | 'fail') => ({ ...item(verdict), name, standardClause: `GB 6675.2 ${name}` });
    await step(t, 'collection', collection(), inspector);
    await step(t, 'results', { reportNo: 'R-AB', items: [named('小零件', 'fail'), named('锐利边缘', 'fail'), named('标识', 'pass')] });
    // Only items of the report can be disputed.
    const wrong = await step(t, 'objection', { receivedOn: today(), by: 'merchant', grounds: 'g', disputedItems: ['噪声'] });
    expect(wrong.status).toBe(400);
    expect(await readJson(wrong)).toMatchObject({
      error: { details: [{ field: 'disputedItems', message: expect.stringContaining('噪声') }] },
    });
    const objected = await step(t, 'objection', {
      receivedOn: today(),
      by: 'merchant',
      grounds: '对小零件项目有异议',
      disputedItems: ['小零件'],
    });
    expect(await readJson(objected)).toMatchObject({ objection: { disputedItems: ['小零件'] } });
    // The re-test reports exactly the disputed items.
    for (const items of [[named('锐利边缘', 'pass')], [named('小零件', 'pass'), named('锐利边缘', 'pass')]]) {
      const refused = await step(t, 'retest-results', { reportNo: 'RT-X', items });
      expect(refused.status).toBe(400);
      expect(await readJson(refused)).toMatchObject({
        error: { details: [{ field: 'items', message: expect.stringContaining('小零件') }] },
      });
    }
    const retest = await step(t, 'retest-results', { reportNo: 'RT-A', items: [named('小零件', 'pass')] });
    expect(await readJson(retest)).toMatchObject({
      status: 'final',
      verdict: 'fail', // 锐利边缘 was not disputed and failed
      final: { basis: 'retested', verdict: 'fail' },
      retest: { reportNo: 'RT-A', refundDue: true },
      followUpCaseId: expect.any(Number),
    });
    expect(await latestFollowUpEvidence()).toMatchObject({
      samplingTaskId: t,
      reportNo: 'RT-A',
      retested: true,
      failedItems: [{ name: '锐利边缘' }],
    });
    // The follow-up names both reports: the failure that stands is the first laboratory's.
    const description = (
      await env.db
        .selectFrom('items')
        .select('description')
        .where('kind', '=', 'sampling_followup')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).description;
    expect(description).toContain('报告编号 R-AB');
    expect(description).toContain('报告编号 RT-A');
  });

  it('an objection naming no items disputes the whole report; a report names each test item once', async () => {
    const t = tasks[3]!;
    await step(t, 'collection', collection(), inspector);
    const twice = await step(t, 'results', { reportNo: 'R-2', items: [item('fail'), item('pass')] });
    expect(twice.status).toBe(400);
    await step(t, 'results', { reportNo: 'R-2', items: [item('fail'), { ...item('pass'), name: '材料' }] });
    expect(await readJson(await step(t, 'objection', { receivedOn: today(), by: 'merchant', grounds: '全部复检' }))).toMatchObject({
      objection: { disputedItems: ['标识', '材料'] },
    });
  });
});

describe('collection photos', () => {
  it('take only images, by content, and at most 10 per task', async () => {
    const t = tasks[3]!;
    const upload = async (bytes: Uint8Array, name = 'p.jpg'): Promise<Response> => {
      const form = new FormData();
      form.set('file', new File([Buffer.from(bytes)], name, { type: 'image/jpeg' }));
      return env.app.request(`/api/v1/sampling/tasks/${t}/attachments`, { method: 'POST', body: form, headers: inspector });
    };
    expect((await upload(new TextEncoder().encode('%PDF-1.4 not an image'))).status).toBe(415);
    const statuses = await Promise.all(Array.from({ length: 12 }, () => upload(jpegWithGps())));
    expect(statuses.map((r) => r.status).sort()).toEqual([...Array(10).fill(201), 409, 409]);
    const stored = await env.db.selectFrom('attachments').select('sampling_task_id').where('sampling_task_id', '=', t).execute();
    expect(stored).toHaveLength(10);
  });
});
