import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/calendar/index.js';
import { checkDeadlines } from '../../workers/deadlines.js';
import { eventually, firstDeadlineCheckDone, postJson, readJson, type TestEnv } from '../support/env.js';
import { childProductComplaint } from '../support/fixtures.js';
import { publishedRecall, recallInput, uscc } from '../support/recalls.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, signIn, startCaseworkEnv } from '../support/staff.js';

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let stop: () => Promise<void>;
let regulator: Record<string, string>;
const year = () => shanghaiDate(new Date()).slice(0, 4);

beforeAll(async () => {
  ({ env, smtp, stop } = await startCaseworkEnv());
  await firstDeadlineCheckDone(env);
  regulator = await signIn(env, demo.regulator);
});
afterAll(() => stop());

const get = (path: string, headers: Record<string, string> = {}) => env.app.request(path, { headers });
const put = (path: string, body: unknown, headers: Record<string, string>) =>
  env.app.request(path, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('drafting and publishing a recall', () => {
  it('drafts under the next number of the year; a draft is invisible to the public until published; audited', async () => {
    const created = await postJson(env.app, '/api/v1/recalls', recallInput(), regulator);
    expect(created.status).toBe(201);
    const { recallNo, status } = await readJson(created);
    expect(status).toBe('draft');
    expect(recallNo).toMatch(new RegExp(`^RC-${year()}-\\d{4}$`));

    expect((await get(`/api/v1/recalls/${recallNo}`)).status).toBe(404);
    const search = await readJson(await get('/api/v1/recalls?q=推车'));
    expect(search.items.map((r: { recallNo: string }) => r.recallNo)).not.toContain(recallNo);

    const edited = await put(`/api/v1/recalls/${recallNo}`, recallInput({ unitsAffected: 1500, batches: ['20260901'] }), regulator);
    expect(edited.status).toBe(200);
    const record = await readJson(await get(`/api/v1/recalls/${recallNo}/record`, regulator));
    expect(record).toMatchObject({ status: 'draft', unitsAffected: 1500, batches: ['20260901'], jurisdictionCode: '410700' });
    expect(record.fanOut).toBeUndefined();

    const published = await postJson(env.app, `/api/v1/recalls/${recallNo}/publish`, {}, regulator);
    expect(published.status).toBe(200);
    const state = await readJson(published);
    const calendar = env.ctx.calendar;
    const today = shanghaiDate(new Date());
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    const threeMonths = new Date(Date.UTC(y, m - 1 + 3, Math.min(d, new Date(Date.UTC(y, m + 2, 0)).getUTCDate())))
      .toISOString()
      .slice(0, 10);
    expect(state).toMatchObject({ recallNo, status: 'published', nextReportDue: calendar.nextWorkdayOnOrAfter(threeMonths) });

    const view = await readJson(await get(`/api/v1/recalls/${recallNo}`));
    expect(view).toMatchObject({
      recallNo,
      status: 'published',
      brand: '乐童',
      models: ['LT-100', 'LT-200'],
      publishedOn: today,
      remedy: 'repair',
    });
    expect((await postJson(env.app, `/api/v1/recalls/${recallNo}/publish`, {}, regulator)).status).toBe(409);
    expect((await put(`/api/v1/recalls/${recallNo}`, recallInput(), regulator)).status).toBe(409);

    const events = (await readJson(await get(`/api/v1/recalls/${recallNo}/record`, regulator))).events;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['created', 'updated', 'published']);
    expect(new Set(events.map((e: { actorId: number }) => e.actorId)).size).toBe(1);
  });

  it('numbers concurrent drafts without gaps or repeats, and a refused draft takes no number', async () => {
    const first = await readJson(await postJson(env.app, '/api/v1/recalls', recallInput(), regulator));
    const start = Number(first.recallNo.slice(-4));
    const bad = await postJson(env.app, '/api/v1/recalls', recallInput({ signalId: 999_999 }), regulator);
    expect(bad.status).toBe(400);
    const results = await Promise.all(Array.from({ length: 20 }, () => postJson(env.app, '/api/v1/recalls', recallInput(), regulator)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = (await Promise.all(results.map(readJson))).map((r) => Number(r.recallNo.slice(-4))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => start + 1 + i));
  });

  it('refuses bad input naming each field, and keeps recalls to regulators in their jurisdiction', async () => {
    const res = await postJson(
      env.app,
      '/api/v1/recalls',
      { ...recallInput(), models: ['LT-100', 'lt 100', '--'], remedy: 'pray', unitsAffected: 0, productionTo: '2026-01-01', extra: 1 },
      regulator,
    );
    expect(res.status).toBe(400);
    const fields = (await readJson(res)).error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['models.1', 'models.2', 'remedy', 'unitsAffected', 'extra']));
    expect((await postJson(env.app, '/api/v1/recalls', { ...recallInput(), title: 'a\u0000b' }, regulator)).status).toBe(400);
    // Days run from 1900 to a year from today: neither year 0 nor one past next year's today.
    const aYearAnd = (days: number) => new Date(Date.now() + (365 + days) * 86_400_000).toISOString().slice(0, 10);
    for (const startsOn of ['0000-01-01', '1899-12-31', '2026-02-30', aYearAnd(10)]) {
      const late = await postJson(env.app, '/api/v1/recalls', { ...recallInput(), startsOn }, regulator);
      expect(late.status, startsOn).toBe(400);
      expect((await readJson(late)).error.details).toEqual([expect.objectContaining({ field: 'startsOn' })]);
    }
    expect((await postJson(env.app, '/api/v1/recalls', { ...recallInput(), startsOn: aYearAnd(-10) }, regulator)).status).toBe(201);

    expect((await postJson(env.app, '/api/v1/recalls', recallInput())).status).toBe(401);
    expect((await postJson(env.app, '/api/v1/recalls', recallInput(), await signIn(env, demo.hongqi))).status).toBe(403);
    expect((await get('/api/v1/recalls/records')).status).toBe(401);

    // A regulator elsewhere sees neither the record nor may publish it.
    await env.db
      .insertInto('staff')
      .values({
        email: 'regulator.jiaozuo@demo.local',
        name: '焦作',
        password_hash: (await env.db.selectFrom('staff').select('password_hash').executeTakeFirstOrThrow()).password_hash,
        role: 'regulator',
        jurisdiction_code: '410800',
      })
      .execute();
    const other = await signIn(env, 'regulator.jiaozuo@demo.local');
    const { recallNo } = await readJson(await postJson(env.app, '/api/v1/recalls', recallInput(), regulator));
    expect((await get(`/api/v1/recalls/${recallNo}/record`, other)).status).toBe(404);
    expect((await put(`/api/v1/recalls/${recallNo}`, recallInput(), other)).status).toBe(404);
    expect((await put(`/api/v1/recalls/${recallNo}`, recallInput(), {})).status).toBe(401);
    expect((await put(`/api/v1/recalls/${recallNo}`, recallInput(), await signIn(env, demo.hongqi))).status).toBe(403);
    expect((await postJson(env.app, `/api/v1/recalls/${recallNo}/publish`, {}, other)).status).toBe(404);
    expect((await readJson(await get('/api/v1/recalls/records', other))).total).toBe(0);
    expect((await get('/api/v1/recalls/RC-1/record', regulator)).status).toBe(404);
    expect((await get("/api/v1/recalls/RC-2026-0001'%20OR%201=1")).status).toBe(404);
  });
});

describe('progress, completion and escalation', () => {
  it('records progress reports, completes with a summary due 15 working days later, closes; each step in order only', async () => {
    const recallNo = await publishedRecall(env, regulator, { unitsAffected: 100 });
    const progress = (body: unknown) => postJson(env.app, `/api/v1/recalls/${recallNo}/progress`, body, regulator);
    const today = shanghaiDate(new Date());

    expect((await progress({ asOf: today, unitsRemedied: 101 })).status).toBe(400);
    expect((await progress({ asOf: '2999-01-01', unitsRemedied: 1 })).status).toBe(400);
    const reported = await progress({ asOf: today, unitsRemedied: 40, note: '已修理 40 台' });
    expect(reported.status).toBe(201);
    expect(await readJson(reported)).toMatchObject({ unitsRemedied: 40, unitsAffected: 100 });

    expect((await postJson(env.app, `/api/v1/recalls/${recallNo}/transitions`, { to: 'closed' }, regulator)).status).toBe(409);
    const completed = await readJson(await postJson(env.app, `/api/v1/recalls/${recallNo}/transitions`, { to: 'completed' }, regulator));
    expect(completed).toMatchObject({ status: 'completed', summaryDue: env.ctx.calendar.addWorkingDays(today, 15) });
    expect(completed.nextReportDue).toBeUndefined();
    expect((await progress({ asOf: today, unitsRemedied: 50 })).status).toBe(409);
    const closed = await postJson(env.app, `/api/v1/recalls/${recallNo}/transitions`, { to: 'closed', note: '总结报告已收到' }, regulator);
    expect((await readJson(closed)).status).toBe('closed');

    const record = await readJson(await get(`/api/v1/recalls/${recallNo}/record`, regulator));
    expect(record.progressReports).toEqual([expect.objectContaining({ asOf: today, unitsRemedied: 40, note: '已修理 40 台' })]);
    expect(record.events.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'published',
      'progress_reported',
      'completed',
      'closed',
    ]);
    expect((await readJson(await get(`/api/v1/recalls/${recallNo}`))).status).toBe('closed');
  });

  it('escalates an overdue progress report and an overdue summary to the regulators, once each', async () => {
    const running = await publishedRecall(env, regulator, { title: '进度超期的召回' });
    const completedNo = await publishedRecall(env, regulator, { title: '总结超期的召回' });
    await postJson(env.app, `/api/v1/recalls/${completedNo}/transitions`, { to: 'completed' }, regulator);
    await env.db.updateTable('recalls').set({ next_report_due: '2026-01-05' }).where('recall_no', '=', running).execute();
    await env.db.updateTable('recalls').set({ summary_due: '2026-01-06' }).where('recall_no', '=', completedNo).execute();

    const ctx = env.workers!.context;
    expect((await checkDeadlines(ctx)).escalations).toBeGreaterThanOrEqual(2);
    expect((await checkDeadlines(ctx)).escalations).toBe(0);
    const progressMail = await eventually(async () =>
      smtp.received.find((m) => m.parsed.subject === `超期督办：召回 ${running} 的召回阶段性进展报告`),
    );
    expect(progressMail.envelopeTo).toEqual([demo.regulator]);
    expect(progressMail.parsed.text).toContain('2026-01-05');
    await eventually(async () => smtp.received.find((m) => m.parsed.subject === `超期督办：召回 ${completedNo} 的召回总结报告`));

    // A new report moves the due day: the next lapse escalates anew, the old one never again.
    await postJson(env.app, `/api/v1/recalls/${running}/progress`, { asOf: shanghaiDate(new Date()), unitsRemedied: 1 }, regulator);
    expect((await checkDeadlines(ctx)).escalations).toBe(0);
    const mails = smtp.received.filter((m) => m.parsed.subject?.includes(running));
    expect(mails).toHaveLength(1);
  });
});

describe('public search, check my product and the feed', () => {
  let stroller: string;
  let english: string;
  let ebike: string;
  beforeAll(async () => {
    stroller = await publishedRecall(env, regulator, {
      title: '贝贝乐婴儿推车折叠夹手召回',
      brand: '贝贝乐',
      models: ['BB-9'],
      batches: [],
      hazard: '折叠机构存在夹手风险。',
    });
    english = await publishedRecall(env, regulator, {
      title: 'Graco strollers recalled for brake failure',
      brand: 'Graco',
      productName: 'Modes stroller',
      manufacturer: { name: 'Newell Brands', uscc: uscc('91310000MA1FL1XX0') },
      models: ['Modes Pramette', 'GR-2000'],
      batches: ['A1', 'A2'],
      hazard: 'The rear brakes can fail, allowing the stroller to roll away.',
    });
    ebike = await publishedRecall(env, regulator, {
      title: '飞驰电动自行车电池起火召回',
      category: 'ebike',
      brand: '飞驰',
      productName: '电动自行车',
      models: ['FC-1'],
      batches: [],
      hazard: '锂电池可能过热起火。',
      remedy: 'replace',
    });
  });
  const found = async (query: string) =>
    (await readJson(await get(`/api/v1/recalls?${query}`))).items.map((r: { recallNo: string }) => r.recallNo) as string[];

  it.each([
    ['q=推车', ['stroller', 'lt']],
    ['q=婴儿推车', ['stroller']],
    ['q=夹手', ['stroller']],
    ['q=起火', ['ebike']],
    ['q=车', ['stroller', 'ebike', 'lt']],
    ['q=stroller', ['english']],
    ['q=strollers', ['english']], // English stem
    ['q=BRAKES', ['english']],
    ['q=strol', ['english']], // prefix
    ['q=gr2000', ['english']], // model key
    ['q=Ｇｒａｃｏ', ['english']], // full width
    ['q=飞驰%20FC-1', ['ebike']],
    ['q=潜水艇', []],
    ['brand=贝贝 乐', ['stroller']],
    ['model=gr 2000', ['english']],
    ['category=ebike', ['ebike']],
  ])('%s', async (query, expected) => {
    const ids = { stroller, english, ebike } as Record<string, string>;
    const got = await found(query);
    for (const name of ['stroller', 'english', 'ebike']) {
      if (expected.includes(name)) expect(got).toContain(ids[name]);
      else expect(got).not.toContain(ids[name]);
    }
    if (expected.includes('lt')) expect(got.length).toBeGreaterThan(expected.length - 1);
  });

  it('filters by publication day and pages through the results', async () => {
    const today = shanghaiDate(new Date());
    expect(await found(`from=${today}&to=${today}&category=ebike`)).toEqual([ebike]);
    expect(await found(`to=2020-01-01`)).toEqual([]);
    const page1 = await readJson(await get('/api/v1/recalls?page=1'));
    expect(page1.total).toBeGreaterThanOrEqual(3);
    expect(page1.pageSize).toBe(20);
    const beyond = await readJson(await get('/api/v1/recalls?page=500'));
    expect(beyond).toMatchObject({ items: [], total: page1.total, page: 500 });
    const bad = await get('/api/v1/recalls?page=0&category=food&from=2026-13-01');
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['query.page', 'query.category', 'query.from']),
    );
    expect(await found(`q=${encodeURIComponent("'&|!:*()")}`)).toEqual([]);
  });

  it('checks my product by brand, model and batch', async () => {
    const check = async (q: string) => (await readJson(await get(`/api/v1/recalls/check?${q}`))).matches;
    const graco = await check('brand=graco&model=GR-2000&batch=a1');
    expect(graco).toEqual([expect.objectContaining({ recallNo: english, batchMatch: 'listed', batches: ['A1', 'A2'], remedy: 'repair' })]);
    expect(await check('brand=graco&model=GR-2000&batch=B7')).toEqual([]);
    expect((await check('brand=Graco&model=gr2000'))[0]).toMatchObject({ recallNo: english, batchMatch: 'not_given' });
    expect((await check('brand=飞驰&model=fc1&batch=whatever'))[0]).toMatchObject({ recallNo: ebike, batchMatch: 'all_batches' });
    expect((await check('brand=Newell Brands&model=GR-2000'))[0]?.recallNo).toBe(english); // the maker given as the brand
    expect(await check('brand=graco&model=GR-3000')).toEqual([]);
    expect((await get('/api/v1/recalls/check?brand=graco')).status).toBe(400);
  });

  it('serves a valid Atom 1.0 feed of public recalls, newest first', async () => {
    const res = await get('/api/v1/recalls.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (name) => ['entry', 'link'].includes(name),
    }).parse(xml).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const required of ['id', 'title', 'updated', 'author']) expect(feed[required]).toBeDefined();
    expect(feed.link.find((l: Record<string, string>) => l['@rel'] === 'self')['@href']).toMatch(/\/api\/v1\/recalls\.atom$/);
    const entries = feed.entry as Array<Record<string, unknown>>;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const e of entries) {
      for (const required of ['id', 'title', 'updated', 'published', 'summary']) expect(e[required]).toBeDefined();
      expect(Number.isNaN(Date.parse(e.updated as string))).toBe(false);
    }
    const titles = entries.map((e) => String(e.title));
    expect(titles.findIndex((t) => t.startsWith(ebike))).toBeLessThan(titles.findIndex((t) => t.startsWith(english)));
    expect(titles.some((t) => t.startsWith(stroller))).toBe(true);
    const drafts = await env.db.selectFrom('recalls').select('recall_no').where('status', '=', 'draft').execute();
    for (const d of drafts) expect(xml).not.toContain(d.recall_no);
    expect(Date.parse(feed.updated)).toBe(Math.max(...entries.map((e) => Date.parse(e.updated as string))));
  });
});

describe('a new complaint about a recalled product', () => {
  it('lists the recall in relatedRecalls and the acknowledgement says what to do; the merchant’s email is kept', async () => {
    const recallNo = await publishedRecall(env, regulator, {
      title: '安安牌积木小零件召回',
      brand: '安安',
      models: ['AA-7'],
      batches: ['B1'],
      remedy: 'refund',
      remedyInstructions: '停止使用，凭购买凭证到原购买处退货退款。',
    });
    const email = 'parent.aa@example.com';
    const body = childProductComplaint({
      merchant: { name: '安安玩具店', districtCode: '410802', email: 'Shop.AA@example.com' },
      product: { name: '积木', brand: '安 安', model: 'ＡＡ－７', batch: 'b1' },
      reporter: { email, language: 'zh-CN' },
    });
    const res = await postJson(env.app, '/api/v1/complaints', body);
    const filed = await readJson(res);
    expect(filed.relatedRecalls).toEqual([{ recallNo, title: '安安牌积木小零件召回', remedy: 'refund' }]);
    const otherBatch = await readJson(
      await postJson(env.app, '/api/v1/complaints', childProductComplaint({ product: { brand: '安安', model: 'AA-7', batch: 'B2' } })),
    );
    expect(otherBatch.relatedRecalls).toEqual([]);

    const mail = await eventually(async () => smtp.received.find((m) => m.envelopeTo.includes(email)));
    expect(mail.parsed.text).toContain(`您投诉的产品正在召回（${recallNo}`);
    expect(mail.parsed.text).toContain('停止使用，凭购买凭证到原购买处退货退款。');
    const merchant = await env.db.selectFrom('merchants').select('email').where('name', '=', '安安玩具店').executeTakeFirstOrThrow();
    expect(merchant.email).toBe('Shop.AA@example.com');
    // The acknowledgement was this consumer's notice: the recall's fan-out does not send a second one.
    const notices = await env.db
      .selectFrom('recall_notices')
      .innerJoin('recalls', 'recalls.id', 'recall_notices.recall_id')
      .select(['recall_notices.status', 'recall_notices.kind'])
      .where('recalls.recall_no', '=', recallNo)
      .where('recipient', '=', email)
      .execute();
    expect(notices).toEqual([{ status: 'included', kind: 'consumer' }]);
  });
});
