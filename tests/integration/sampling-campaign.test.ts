import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, shanghaiDate, WorkingCalendar } from '../../shared/calendar/index.js';
import { followUpDeadlines, objectionWindowEnd } from '../../shared/sampling/index.js';
import { checkDeadlines } from '../../workers/deadlines.js';
import { runSamplingClock } from '../../workers/sampling-clock.js';
import { mailCampaignResults } from '../../workers/sampling-results-mail.js';
import { eventually, firstDeadlineCheckDone, postJson, readJson, settled, type TestEnv } from '../support/env.js';
import { jpegWithGps } from '../support/images.js';
import {
  addInspector,
  createCampaign,
  fromClient,
  moveCampaign,
  nominationBody,
  runDocsDrawCheck,
  startSamplingEnv,
  vote,
  voterToken,
} from '../support/sampling.js';
import { demo, signIn } from '../support/staff.js';

/**
 * One 你点我检 campaign from creation to the follow-up case, all over HTTP (the clock job is run by hand where the
 * test would otherwise wait for days), with every email read back from a real SMTP server.
 */

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSamplingEnv>>['smtp'];
let stop: () => Promise<void>;
const calendar = new WorkingCalendar();
const today = () => shanghaiDate(new Date());
const auth: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  ({ env, smtp, stop } = await startSamplingEnv());
  await firstDeadlineCheckDone(env);
  await addInspector(env, 'inspector3.hongqi@demo.local', '410702');
  for (const [k, email] of Object.entries({ ...demo, hongqi3: 'inspector3.hongqi@demo.local' })) auth[k] = await signIn(env, email);
});
afterAll(() => stop());

const get = async (path: string, who?: string) => env.app.request(`/api/v1${path}`, { headers: who ? auth[who] : {} });
const getJson = async (path: string, who?: string) => readJson(await get(path, who));
const post = (path: string, body: unknown, who?: string, headers: Record<string, string> = {}) =>
  postJson(env.app, `/api/v1${path}`, body, { ...(who ? auth[who] : {}), ...headers });
const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));
const clock = () => runSamplingClock(env.workers!.context);

const state: {
  campaignId: number;
  nominations: Record<'toy' | 'ebike' | 'duplicate' | 'pens' | 'spam', number>;
  commitment: string;
  tasks: Record<'toy' | 'ebike' | 'pens', number>;
} = { campaignId: 0, nominations: {} as never, commitment: '', tasks: {} as never };

describe('a whole campaign over HTTP', () => {
  it('a regulator creates a draft and opens nominations', async () => {
    const c = await createCampaign(env, auth.regulator!, { quota: 3, votesPerVoter: 2 });
    state.campaignId = c.id;
    expect(c).toMatchObject({ phase: 'draft', phaseLabel: '草稿', draw: { seedCommitment: null } });
    const opened = await moveCampaign(env, auth.regulator!, c.id, 'nominating');
    expect(opened).toMatchObject({ phase: 'nominating', counts: { tasks: 0 } });
    expect(await getJson(`/sampling/campaigns/${c.id}`)).toMatchObject({ phase: 'nominating', draw: { seedCommitment: null } });
  });

  it('the public nominates; a regulator moderates; an inspector declares a conflict with a merchant', async () => {
    const id = state.campaignId;
    const nominate = async (body: unknown, client: number) => {
      const res = await post(`/sampling/campaigns/${id}/nominations`, body, undefined, fromClient(client));
      expect(res.status).toBe(201);
      return (await readJson(res)).id as number;
    };
    state.nominations = {
      toy: await nominate(nominationBody({ nominator: { email: 'parent@example.com', notifyResults: true } }), 1),
      ebike: await nominate(
        nominationBody({
          productName: '电动自行车',
          brand: '飞驰',
          model: 'FC-1',
          category: 'ebike',
          merchant: { name: '飞驰车行', districtCode: '410702' },
          reason: '限速可以被解除。',
          nominator: { email: 'quiet@example.com' },
        }),
        2,
      ),
      duplicate: await nominate(
        nominationBody({ brand: '乐童 ', model: 'lt100', nominator: { email: 'dup@example.com', notifyResults: true } }),
        3,
      ),
      pens: await nominate(
        nominationBody({
          productName: '儿童水彩笔',
          brand: '彩虹',
          model: 'CH-24',
          merchant: { name: '牧野文具店', districtCode: '410711' },
          reason: 'Smells strongly of solvent.',
          nominator: { email: 'en@example.com', notifyResults: true, language: 'en' },
        }),
        4,
      ),
      spam: await nominate(nominationBody({ productName: '广告', merchant: { name: '某公司', districtCode: '410702' } }), 5),
    };
    const stored = await env.db
      .selectFrom('sampling_nominations')
      .select(['nominator_email'])
      .where('id', '=', state.nominations.ebike)
      .executeTakeFirstOrThrow();
    expect(stored.nominator_email).toBeNull(); // no opt-in: the address is not kept

    const moderate = (n: number, body: unknown) => post(`/sampling/nominations/${n}/moderation`, body, 'regulator');
    for (const n of [state.nominations.toy, state.nominations.ebike, state.nominations.pens])
      expect((await moderate(n, { decision: 'approve' })).status).toBe(200);
    expect((await moderate(state.nominations.duplicate, { decision: 'merge', mergeInto: state.nominations.toy })).status).toBe(200);
    expect((await moderate(state.nominations.spam, { decision: 'reject', reason: '广告' })).status).toBe(200);
    const listed = await getJson(`/sampling/campaigns/${id}/nominations`);
    expect(listed.items.map((n: { id: number }) => n.id)).toEqual([state.nominations.toy, state.nominations.ebike, state.nominations.pens]);
    expect(JSON.stringify(listed)).not.toContain('@');

    const declared = await post('/sampling/conflicts', { nominationId: state.nominations.toy, reason: '店主是我的亲属' }, 'hongqi');
    expect(declared.status).toBe(201);
    expect(await readJson(declared)).toMatchObject({ merchantName: '快乐玩具店', withdrawnAt: null });
    expect((await post('/sampling/conflicts', { nominationId: state.nominations.toy, reason: 'again' }, 'hongqi')).status).toBe(409);
    const mine = await getJson('/sampling/conflicts', 'hongqi');
    expect(mine.items).toHaveLength(1);
    expect((await getJson('/sampling/conflicts', 'regulator')).items).toHaveLength(1);
  });

  it('voting opens with a published commitment; verified voters vote', async () => {
    const id = state.campaignId;
    const voting = await moveCampaign(env, auth.regulator!, id, 'voting');
    state.commitment = voting.draw.seedCommitment;
    expect(state.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect((await getJson(`/sampling/campaigns/${id}`)).draw).toMatchObject({ seedCommitment: state.commitment, revealedAt: null });
    expect((await get(`/sampling/campaigns/${id}/draw`)).status).toBe(409);

    const parent = await voterToken(env, smtp, id, 'parent@example.com', { client: 10, notifyResults: true });
    const fan = await voterToken(env, smtp, id, 'fan@example.com', { client: 11, notifyResults: true });
    const anon = await voterToken(env, smtp, id, 'anon@example.com', { client: 12 });
    for (const [n, t] of [
      [state.nominations.toy, parent],
      [state.nominations.pens, parent],
      [state.nominations.pens, fan],
      [state.nominations.ebike, anon],
    ] as const) {
      expect((await vote(env, n, t)).status).toBe(201);
    }
    const votes = (await getJson(`/sampling/campaigns/${id}/nominations`)).items.map((n: { id: number; votes: number }) => [n.id, n.votes]);
    // Most votes first; the toy and the e-bike tie on 1, and the toy was nominated first.
    expect(votes).toEqual([
      [state.nominations.pens, 2],
      [state.nominations.toy, 1],
      [state.nominations.ebike, 1],
    ]);
  });

  it('the selection waits, with a clear reason, while a county has too few inspectors', async () => {
    const id = state.campaignId;
    await moveCampaign(env, auth.regulator!, id, 'selecting');
    const blocked = await eventually(async () => {
      const c = await getJson(`/sampling/staff/campaigns/${id}`, 'regulator');
      return c.selectionProblem !== null && c;
    });
    expect(blocked).toMatchObject({
      phase: 'selecting',
      counts: { tasks: 0 },
      selectionProblem: { tasks: [{ nominationId: state.nominations.pens, districtCode: '410711', needed: 2, available: 0 }] },
    });
    expect(blocked.selectionProblem.message).toContain('too small');
    expect((await post(`/sampling/campaigns/${id}/transitions`, { to: 'sampling' }, 'regulator')).status).toBe(409);

    for (const email of ['inspector.muye1@demo.local', 'inspector.muye2@demo.local']) {
      const created = await post(
        '/staff',
        {
          email,
          name: email.slice(10, 15),
          role: 'inspector',
          jurisdictionCode: '410711',
          specialties: ['child_safety'],
          password: 'long-enough-password',
        },
        'admin',
      );
      expect(created.status).toBe(201);
    }
    // Several clock runs at once (as on several workers): one selection.
    const runs = await Promise.all([clock(), clock(), clock()]);
    expect(runs.reduce((n, r) => n + r.selected, 0)).toBe(1);
    const c = await getJson(`/sampling/staff/campaigns/${id}`, 'regulator');
    expect(c).toMatchObject({ phase: 'sampling', selectionProblem: null, counts: { tasks: 3 } });
    expect(c.events.filter((e: { action: string }) => e.action === 'selected')).toHaveLength(1);
    expect(c.events.filter((e: { action: string }) => e.action === 'selection_blocked')).toHaveLength(1);
  });

  it('anyone can recompute the draw from the revealed seed; the conflicted inspector was never drawn', async () => {
    const id = state.campaignId;
    const draw = await getJson(`/sampling/campaigns/${id}/draw`);
    expect(draw).toMatchObject({ seedCommitment: state.commitment, algorithm: 'hmac-sha256-rejection-v1', inspectorsPerTask: 2 });
    const check = runDocsDrawCheck(draw);
    expect(check.out).not.toContain('FAIL');
    expect(check.code).toBe(0);
    expect(draw.tasks.map((t: { nominationId: number }) => t.nominationId)).toEqual([
      state.nominations.pens,
      state.nominations.toy,
      state.nominations.ebike,
    ]);
    const [pens, toy, ebike] = draw.tasks;
    state.tasks = { pens: pens.taskId, toy: toy.taskId, ebike: ebike.taskId };
    expect(toy).toMatchObject({ rosterSize: 3, excludedCount: 1 });
    expect(ebike).toMatchObject({ rosterSize: 3, excludedCount: 0 });
    expect(pens).toMatchObject({ rosterSize: 2, excludedCount: 0 });
    for (const t of draw.tasks) expect(t.drawn).toHaveLength(2);
    expect(JSON.stringify(draw)).not.toMatch(/检查员|hongqi|muye|@/);

    const roster = await getJson(`/sampling/campaigns/${id}/draw/roster`, 'regulator');
    const toyRoster = roster.tasks.find((t: { taskId: number }) => t.taskId === state.tasks.toy).roster;
    const byName = Object.fromEntries(
      toyRoster.map((r: { name: string; excluded: boolean; drawn: boolean }) => [r.name, [r.excluded, r.drawn]]),
    );
    expect(byName).toEqual({ 红旗区检查员一: [true, false], 红旗区检查员二: [false, true], 'inspector3.hongqi': [false, true] });
    expect((await get(`/sampling/campaigns/${id}/draw/roster`, 'hongqi')).status).toBe(403);
  });

  it('the drawn inspectors collect the sample with photos and record the lab results; the merchant is told', async () => {
    const mine = await getJson('/sampling/tasks?mine=1', 'hongqi2');
    expect(mine.items.map((t: { id: number }) => t.id)).toContain(state.tasks.toy);
    expect((await getJson('/sampling/tasks?mine=1', 'hongqi')).items.map((t: { id: number }) => t.id)).not.toContain(state.tasks.toy);

    const collection = {
      sampleNo: 'NDWJ-2026-001',
      quantity: 6,
      reserveQuantity: 3,
      sealNo: 'FT-0001',
      labName: '新乡市产品质量检验所',
      pricePaidCny: 89.5,
      collectedAt: new Date().toISOString(),
      merchantEmail: 'shop@example.com',
      manufacturer: { name: '乐童玩具厂', email: 'factory@example.com' },
    };
    expect((await post(`/sampling/tasks/${state.tasks.toy}/collection`, collection, 'hongqi')).status).toBe(403); // excluded, not drawn
    const collected = await post(`/sampling/tasks/${state.tasks.toy}/collection`, collection, 'hongqi2');
    expect(collected.status).toBe(200);
    expect(await readJson(collected)).toMatchObject({ status: 'collected', collection: { pricePaidCny: 89.5, reserveQuantity: 3 } });

    const form = new FormData();
    form.append('file', new File([Buffer.from(jpegWithGps())], 'seal.jpg', { type: 'image/jpeg' }));
    const photo = await env.app.request(`/api/v1/sampling/tasks/${state.tasks.toy}/attachments`, {
      method: 'POST',
      body: form,
      headers: auth.hongqi3,
    });
    expect(photo.status).toBe(201);
    const photos = await getJson(`/sampling/tasks/${state.tasks.toy}/attachments`, 'regulator');
    expect(photos).toHaveLength(1);
    const bytes = Buffer.from(await (await get(`/sampling/tasks/${state.tasks.toy}/attachments/${photos[0].id}`, 'hongqi2')).arrayBuffer());
    expect(bytes.toString('latin1')).not.toContain('GPSLatitude');

    const results = await post(
      `/sampling/tasks/${state.tasks.toy}/results`,
      {
        reportNo: 'XX-2026-0123',
        items: [
          { name: '小零件', standardClause: 'GB 6675.2-2014 4.4', limit: '不得有小零件', measured: '检出 2 件', unit: '', verdict: 'fail' },
          { name: '可迁移元素（铅）', standardClause: 'GB 6675.4-2014', limit: '≤ 90', measured: '12', unit: 'mg/kg', verdict: 'pass' },
        ],
      },
      'hongqi3',
    );
    expect(results.status).toBe(200);
    const window = objectionWindowEnd(calendar, today());
    expect(await readJson(results)).toMatchObject({
      status: 'notified',
      verdict: 'fail',
      results: { verdict: 'fail', labName: '新乡市产品质量检验所' },
      notice: { method: 'email', deliveryMethod: 'email', deliveredOn: today(), objectionWindowEndsOn: window },
    });
    const notice = await eventually(async () => mailsTo('shop@example.com')[0]);
    expect(notice.parsed.subject).toBe('产品质量监督抽查检验结果告知：乐童 益智积木 LT-100（不合格）');
    expect(notice.parsed.text).toContain('小零件（GB 6675.2-2014 4.4）');
    expect(notice.parsed.text).toContain(`即 ${window} 前`);
    expect(notice.parsed.text).toContain('不向你收取检验费用');
    const factory = await eventually(async () => mailsTo('factory@example.com')[0]);
    expect(factory.parsed.text).toContain('乐童玩具厂：');
  });

  it('a merchant without an email address gets a printable letter; its window runs from the recorded delivery', async () => {
    const task = await getJson(`/sampling/tasks/${state.tasks.ebike}`, 'regulator');
    const authByName: Record<string, string> = { 红旗区检查员一: 'hongqi', 红旗区检查员二: 'hongqi2', 'inspector3.hongqi': 'hongqi3' };
    const worker = authByName[task.inspectors[0].name]!;
    const collected = await post(
      `/sampling/tasks/${state.tasks.ebike}/collection`,
      {
        sampleNo: 'DDC-001',
        quantity: 1,
        reserveQuantity: 1,
        sealNo: 'FT-0002',
        labName: '国家电动自行车质量检验检测中心',
        pricePaidCny: 2999,
        collectedAt: new Date().toISOString(),
      },
      worker,
    );
    expect(collected.status).toBe(200);
    expect((await get(`/sampling/tasks/${state.tasks.ebike}/letter`, 'regulator')).status).toBe(409);
    const results = await post(
      `/sampling/tasks/${state.tasks.ebike}/results`,
      {
        reportNo: 'DDC-2026-7',
        items: [
          { name: '最高车速', standardClause: 'GB 17761-2024 6.1.1', limit: '≤ 25', measured: '24.6', unit: 'km/h', verdict: 'pass' },
        ],
      },
      'regulator',
    );
    expect(await readJson(results)).toMatchObject({
      verdict: 'pass',
      notice: { method: 'letter', deliveredOn: null, objectionWindowEndsOn: null },
    });
    const letter = await get(`/sampling/tasks/${state.tasks.ebike}/letter`, 'hongqi');
    expect(letter.headers.get('content-type')).toContain('text/html');
    const html = await letter.text();
    expect(html).toContain('飞驰车行：');
    expect(html).toContain('检验结论为：合格');
    const delivered = await post(`/sampling/tasks/${state.tasks.ebike}/delivery`, { method: 'in_person', on: today() }, 'regulator');
    expect(await readJson(delivered)).toMatchObject({
      notice: { deliveryMethod: 'in_person', deliveredOn: today(), objectionWindowEndsOn: objectionWindowEnd(calendar, today()) },
    });
    expect((await post(`/sampling/tasks/${state.tasks.ebike}/delivery`, { method: 'post', on: today() }, 'hongqi')).status).toBe(403);
  });

  it('publication is refused while any result is not final', async () => {
    const res = await post(`/sampling/campaigns/${state.campaignId}/transitions`, { to: 'published' }, 'regulator');
    expect(res.status).toBe(409);
    const body = await readJson(res);
    expect(body.error.code).toBe('results_not_final');
    expect(body.error.details.tasks).toHaveLength(3);
    expect((await get(`/sampling/campaigns/${state.campaignId}/results`)).status).toBe(409);
  });

  it('an objection on day 15 is accepted, on day 16 refused; the re-test at another lab is final', async () => {
    const pens = await getJson(`/sampling/tasks/${state.tasks.pens}`, 'regulator');
    const [muye] = pens.inspectors;
    const muyeAuth = await signIn(
      env,
      (await env.db.selectFrom('staff').select('email').where('id', '=', muye.id).executeTakeFirstOrThrow()).email,
      'long-enough-password',
    );
    const step = (path: string, body: unknown, headers = auth.regulator!) =>
      postJson(env.app, `/api/v1/sampling/tasks/${state.tasks.pens}/${path}`, body, headers);
    expect(
      (
        await step(
          'collection',
          {
            sampleNo: 'SCB-1',
            quantity: 10,
            reserveQuantity: 10,
            sealNo: 'FT-3',
            labName: '新乡市产品质量检验所',
            pricePaidCny: 12,
            collectedAt: new Date().toISOString(),
            merchantEmail: 'muye@example.com',
          },
          muyeAuth,
        )
      ).status,
    ).toBe(200);
    const failItem = {
      name: '可迁移元素（铅）',
      standardClause: 'GB 21027-2020 4.4',
      limit: '≤ 90',
      measured: '130',
      unit: 'mg/kg',
      verdict: 'fail',
    };
    expect((await step('results', { reportNo: 'SCB-2026-1', items: [failItem] }, muyeAuth)).status).toBe(200);
    await eventually(async () => mailsTo('muye@example.com')[0]);

    // The result reached the merchant 16 or more days ago: find a day D whose day 15 is a working day.
    let delivered = addDays(today(), -16);
    while (objectionWindowEnd(calendar, delivered) !== addDays(delivered, 15)) delivered = addDays(delivered, -1);
    await env.db
      .updateTable('sampling_tasks')
      .set({
        notified_at: new Date(`${delivered}T09:00:00+08:00`),
        delivered_on: delivered,
        objection_window_ends_on: addDays(delivered, 15),
      })
      .where('id', '=', state.tasks.pens)
      .execute();
    const day16 = await step('objection', { receivedOn: addDays(delivered, 16), by: 'merchant', grounds: '对检测方法有异议' });
    expect(day16.status).toBe(409);
    expect((await readJson(day16)).error).toMatchObject({
      code: 'objection_window_closed',
      details: { objectionWindowEndsOn: addDays(delivered, 15) },
    });
    const day15 = await step('objection', { receivedOn: addDays(delivered, 15), by: 'merchant', grounds: '对检测方法有异议' });
    expect(day15.status).toBe(200);
    expect(await readJson(day15)).toMatchObject({
      status: 'retest_pending',
      objection: { by: 'merchant', receivedOn: addDays(delivered, 15) },
    });

    const sameLab = await step('retest-results', { reportNo: 'R-1', labName: '新乡市 产品质量检验所', items: [failItem] });
    expect((await readJson(sameLab)).error.details[0].field).toBe('labName');
    const retest = await step('retest-results', {
      reportNo: 'R-2026-9',
      labName: '河南省产品质量检验研究院',
      feePaidCny: 1200,
      items: [{ ...failItem, measured: '60', verdict: 'pass' }],
    });
    expect(retest.status).toBe(200);
    expect(await readJson(retest)).toMatchObject({
      status: 'final',
      verdict: 'pass',
      final: { basis: 'retested', verdict: 'pass' },
      retest: { reportNo: 'R-2026-9', feePaidCny: 1200, refundDue: true },
      followUpCaseId: null,
    });
  });

  it('a waiver makes a result final at once; the clock finalises a result whose window passed and opens its follow-up', async () => {
    const waived = await post(`/sampling/tasks/${state.tasks.ebike}/waiver`, { receivedOn: today() }, 'regulator');
    expect(await readJson(waived)).toMatchObject({
      status: 'final',
      final: { basis: 'waived', verdict: 'pass' },
      waiver: { receivedOn: today() },
    });

    expect((await clock()).finalised).toBe(0); // the toy's window is still open
    await env.db
      .updateTable('sampling_tasks')
      .set({ delivered_on: addDays(today(), -20), objection_window_ends_on: addDays(today(), -1) })
      .where('id', '=', state.tasks.toy)
      .execute();
    const runs = await Promise.all([clock(), clock(), clock()]);
    expect(runs.reduce((n, r) => n + r.finalised, 0)).toBe(1);
    const toy = await getJson(`/sampling/tasks/${state.tasks.toy}`, 'regulator');
    expect(toy).toMatchObject({ status: 'final', final: { basis: 'window_passed', verdict: 'fail' } });
    expect(toy.followUpCaseId).toEqual(expect.any(Number));
    const late = await post(
      `/sampling/tasks/${state.tasks.toy}/objection`,
      { receivedOn: today(), by: 'manufacturer', grounds: '迟到的异议' },
      'regulator',
    );
    expect((await readJson(late)).error.code).toBe('objection_window_closed');
    expect(await env.db.selectFrom('items').select('id').where('kind', '=', 'sampling_followup').execute()).toHaveLength(1);
  });

  it('publishes results without personal data and emails each opted-in nominator and voter once', async () => {
    const id = state.campaignId;
    const published = await moveCampaign(env, auth.regulator!, id, 'published');
    expect(published).toMatchObject({ phase: 'published', publishedAt: expect.any(String) });
    const results = await getJson(`/sampling/campaigns/${id}/results`);
    expect(results.map((r: { taskId: number; verdict: string; retested: boolean }) => [r.taskId, r.verdict, r.retested])).toEqual([
      [state.tasks.pens, 'pass', true],
      [state.tasks.toy, 'fail', false],
      [state.tasks.ebike, 'pass', false],
    ]);
    expect(results[0]).toMatchObject({
      reportNo: 'R-2026-9',
      merchantName: '牧野文具店',
      districtCode: '410711',
      publishedAt: published.publishedAt,
      followUp: null,
    });
    // A failure shows its follow-up and where it stands; a pass has none.
    expect(results[1].followUp).toMatchObject({
      status: 'pending_rectification',
      rectifyBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      recheckBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(JSON.stringify(results)).not.toMatch(/@|检查员|inspector|亲属/);

    // parent@ nominated and voted: one email. fan@ voted, en@ nominated (in English). quiet@ and anon@ did not opt in;
    // dup@'s nomination was merged away but it asked for the results too.
    const expected = ['parent@example.com', 'fan@example.com', 'en@example.com', 'dup@example.com'];
    const resultsMails = () => smtp.received.filter((m) => /抽检结果已公布|Results published/.test(m.parsed.subject ?? ''));
    await eventually(async () => resultsMails().length >= expected.length);
    expect(await mailCampaignResults(env.workers!.context, id)).toEqual({ queued: 0 });
    await settled(env); // every results mail queued has gone out
    expect(
      resultsMails()
        .flatMap((m) => m.envelopeTo)
        .sort(),
    ).toEqual([...expected].sort());
    for (const m of [...mailsTo('quiet@example.com'), ...mailsTo('anon@example.com')]) expect(m.parsed.subject).toMatch(/验证码/);

    const en = resultsMails().find((m) => m.envelopeTo.includes('en@example.com'))!;
    expect(en.parsed.subject).toBe(`Results published: ${(await getJson(`/sampling/campaigns/${id}`)).title}`);
    expect(en.parsed.text).toContain('3 samples, 1 failed');
    const zh = resultsMails().find((m) => m.envelopeTo.includes('parent@example.com'))!;
    expect(zh.parsed.text).toContain('乐童 益智积木 LT-100（快乐玩具店）：不合格');
    const header = (key: string) => zh.parsed.headers.find((h) => h.key === key)?.value;
    expect(header('list-unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/api\/v1\/sampling\/unsubscribe\/[\w.-]+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const url = new URL(/<(http[^>]+)>/.exec(header('list-unsubscribe')!)![1]!);
    expect(zh.parsed.text).toContain(url.toString());
    const oneClick = await env.app.request(url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await readJson(oneClick)).toEqual({ unsubscribed: true });
    expect(
      await env.db.selectFrom('sampling_voters').select(['email', 'notify_results']).where('notify_results', '=', true).execute(),
    ).toEqual([{ email: 'fan@example.com', notify_results: true }]);
    expect((await env.app.request(`${url.pathname.slice(0, -4)}AAAA`, { method: 'POST' })).status).toBe(404);
  });

  it('the follow-up is worked as a case: claimed, inspected, re-checked and closed', async () => {
    const toy = await getJson(`/sampling/tasks/${state.tasks.toy}`, 'regulator');
    const claimed = await post('/cases/claim', { queue: 'child_safety' }, 'hongqi');
    expect(claimed.status).toBe(200);
    const theCase = await readJson(claimed);
    expect(theCase.id).toBe(toy.followUpCaseId);
    const { rectifyBy, recheckBy } = followUpDeadlines(calendar, today());
    expect(theCase.items).toEqual([
      expect.objectContaining({
        trackingNo: toy.followUpTrackingNo,
        kind: 'sampling_followup',
        status: 'pending_rectification',
        category: 'child_product',
        deadlines: { acceptBy: null, verifyBy: null, mediationEndsBy: null, rectifyBy, recheckBy, provincialReportBy: null },
        evidence: expect.objectContaining({ samplingTaskId: state.tasks.toy, reportNo: 'XX-2026-0123' }),
        reporter: { name: null, phone: null, email: null, language: 'zh-CN' },
      }),
    ]);
    expect(theCase).toMatchObject({ queue: 'child_safety', jurisdictionCode: '410702', priority: 2, dueOn: recheckBy });

    const trackingNo = toy.followUpTrackingNo as string;
    // The re-check date is a running clock: once past, the follow-up is escalated to the regulators like any item.
    const { recheck_by } = await env.db
      .selectFrom('items')
      .select('recheck_by')
      .where('tracking_no', '=', trackingNo)
      .executeTakeFirstOrThrow();
    await env.db
      .updateTable('items')
      .set({ recheck_by: new Date(Date.now() - 60_000) })
      .where('tracking_no', '=', trackingNo)
      .execute();
    expect(await checkDeadlines(env.workers!.context)).toMatchObject({ escalations: 1 });
    await env.db.updateTable('items').set({ recheck_by }).where('tracking_no', '=', trackingNo).execute();
    const overdue = await eventually(async () => mailsTo(demo.regulator).find((m) => m.parsed.subject === `超期督办：${trackingNo}`));
    expect(overdue.parsed.text).toContain('复查期限');
    expect((await getJson(`/cases/${theCase.id}`, 'hongqi')).escalated).toBe(true);
    const inspected = await post(
      `/cases/${theCase.id}/inspections`,
      { type: 'product_hazard_check', trackingNo, hazardsFound: [], notes: '已下架，整改到位' },
      'hongqi',
    );
    expect(inspected.status).toBe(201);
    const wrongOutcome = await post(`/complaints/${trackingNo}/transitions`, { to: 'closed', outcome: 'rectified' }, 'hongqi');
    expect(wrongOutcome.status).toBe(400); // rectified only after the re-check
    expect(await readJson(await post(`/complaints/${trackingNo}/transitions`, { to: 'rechecking' }, 'hongqi'))).toMatchObject({
      status: 'rechecking',
      statusLabel: '复查中',
      deadlines: { rectifyBy, recheckBy },
    });
    const closed = await post(`/complaints/${trackingNo}/transitions`, { to: 'closed', outcome: 'rectified', note: '复查合格' }, 'hongqi');
    expect(await readJson(closed)).toMatchObject({ status: 'closed', outcome: 'rectified' });
    expect((await getJson(`/cases/${theCase.id}`, 'hongqi')).status).toBe('closed');
  });

  it('flags a new nomination of a product this bureau sampled within 6 months, and the campaign closes', async () => {
    const next = await createCampaign(env, auth.regulator!);
    await moveCampaign(env, auth.regulator!, next.id, 'nominating');
    const again = await post(`/sampling/campaigns/${next.id}/nominations`, nominationBody({ model: 'LT 100' }), undefined, fromClient(99));
    expect(again.status).toBe(201);
    const queue = await getJson(`/sampling/campaigns/${next.id}/moderation`, 'regulator');
    expect(queue.items[0].repeatSampling).toMatchObject({ taskId: state.tasks.toy, campaignId: state.campaignId, sampledOn: today() });
    // Not twice within 6 months: approval is refused, naming the day it becomes allowed.
    const repeatId = (await readJson(again)).id as number;
    const refused = await post(`/sampling/nominations/${repeatId}/moderation`, { decision: 'approve' }, 'regulator');
    expect(refused.status).toBe(409);
    expect(await readJson(refused)).toMatchObject({
      error: { code: 'conflict', details: { repeatOfTaskId: state.tasks.toy, sampledOn: today(), allowedFrom: addMonths(today(), 6) } },
    });
    // One approved before that sampling happened gives its place at the selection to the next one.
    await env.db.updateTable('sampling_nominations').set({ status: 'approved', vote_count: 5 }).where('id', '=', repeatId).execute();
    const other = await post(
      `/sampling/campaigns/${next.id}/nominations`,
      nominationBody({ productName: '积木', brand: '方块', model: 'FK-1', merchant: { name: '方块玩具店', districtCode: '410702' } }),
      undefined,
      fromClient(98),
    );
    const otherId = (await readJson(other)).id as number;
    expect((await post(`/sampling/nominations/${otherId}/moderation`, { decision: 'approve' }, 'regulator')).status).toBe(200);
    // The same product of the same merchant nominated again and approved without being merged: sampled once.
    const sameAgain = await post(
      `/sampling/campaigns/${next.id}/nominations`,
      nominationBody({ productName: '积木', brand: '方块', model: 'FK 1', merchant: { name: '方块玩具店', districtCode: '410702' } }),
      undefined,
      fromClient(97),
    );
    const sameAgainId = (await readJson(sameAgain)).id as number;
    expect((await post(`/sampling/nominations/${sameAgainId}/moderation`, { decision: 'approve' }, 'regulator')).status).toBe(200);
    await moveCampaign(env, auth.regulator!, next.id, 'voting');
    await moveCampaign(env, auth.regulator!, next.id, 'selecting');
    await eventually(async () => (await getJson(`/sampling/staff/campaigns/${next.id}`, 'regulator')).phase === 'sampling');
    const selected = await getJson(`/sampling/staff/campaigns/${next.id}`, 'regulator');
    expect(selected.counts.tasks).toBe(1);
    expect(selected.events.find((e: { action: string }) => e.action === 'selected').data).toMatchObject({
      tasks: [{ nominationId: otherId, rank: 1 }],
      skippedRepeats: [{ nominationId: repeatId, repeatOfTaskId: state.tasks.toy, sampledOn: today() }],
    });
    // The public draw says why the better-voted nomination was not sampled.
    expect((await getJson(`/sampling/campaigns/${next.id}/draw`)).passedOver).toEqual([
      { nominationId: repeatId, reason: 'sampled_within_6_months', sampledOn: today() },
    ]);
    expect(await (await env.app.request(`/sampling/${next.id}`)).text()).toContain('依规不再抽检');
    expect((await getJson(`/sampling/campaigns/${state.campaignId}/draw`)).passedOver).toEqual([]);

    const closed = await moveCampaign(env, auth.regulator!, state.campaignId, 'closed');
    const steps = closed.events
      .filter((e: { action: string }) => e.action === 'phase_changed')
      .map((e: { data: { to: string; by: string } }) => `${e.data.to} by ${e.data.by}`);
    expect(steps).toEqual([
      'nominating by staff',
      'voting by staff',
      'selecting by staff',
      'sampling by selection',
      'published by staff',
      'closed by staff',
    ]);
    expect((await getJson(`/sampling/campaigns/${state.campaignId}/results`)).length).toBe(3);
  });
});
