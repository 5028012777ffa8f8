import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { childProductComplaint, ebikeReport, scaleComplaint } from '../support/fixtures.js';
import {
  checkedResponses,
  expectNoServerError,
  hostileQueryValue,
  hostileSegment,
  injectedBody,
  runs,
  type Injected,
} from '../support/hostile.js';
import { publishedRecall, recallInput } from '../support/recalls.js';
import { campaignBody, createCampaign, fromClient, moveCampaign, nominationBody, startSamplingEnv } from '../support/sampling.js';
import { demo, signIn } from '../support/staff.js';

/**
 * No body, path or query string makes the API answer 5xx: arbitrary JSON, and valid bodies with one field replaced by
 * NUL, unpaired surrogates, bidi overrides, joiners, emoji, very long text, days PostgreSQL refuses or that lie outside
 * 1900 .. a year from today, numbers beyond a column, and path segments such as %00, %ff, %C0%80 and ..%2F. Over 10,000 bodies
 * in all (FUZZ_RUNS_SCALE scales them).
 */

let env: TestEnv;
let stop: () => Promise<void>;
const auth: Record<'admin' | 'regulator' | 'hongqi', Record<string, string>> = { admin: {}, regulator: {}, hongqi: {} };
const ids = { trackingNo: '', accessCode: '', caseId: 0, campaignId: 0, staffId: 0, recallNo: '' };

beforeAll(async () => {
  ({ env, stop } = await startSamplingEnv({ RATE_LIMIT_MULTIPLIER: '1000000', RATE_LIMIT_INTAKE_PER_MINUTE: '1000000' }));
  auth.admin = await signIn(env, demo.admin);
  auth.regulator = await signIn(env, demo.regulator);
  auth.hongqi = await signIn(env, demo.hongqi);

  const filed = await readJson(await postJson(env.app, '/api/v1/complaints', scaleComplaint()));
  ids.trackingNo = filed.trackingNo;
  ids.accessCode = filed.accessCode;
  await eventually(async () => {
    const res = await env.app.request(`/api/v1/complaints/${ids.trackingNo}`, { headers: { 'x-access-code': ids.accessCode } });
    return (await readJson(res)).status !== 'submitted';
  });
  const claimed = await postJson(env.app, '/api/v1/cases/claim', { queue: 'metrology' }, auth.hongqi);
  expect(claimed.status).toBe(200);
  ids.caseId = (await readJson(claimed)).id;

  ids.campaignId = (await createCampaign(env, auth.regulator)).id;
  await moveCampaign(env, auth.regulator, ids.campaignId, 'nominating');
  ids.recallNo = await publishedRecall(env, auth.regulator);

  const created = await postJson(env.app, '/api/v1/staff', staffBody(), auth.admin);
  expect(created.status).toBe(201);
  ids.staffId = (await readJson(created)).id;
  // What follows checks answers only: the workers need not handle the thousands of items it files.
  await env.stopWorkers();
}, 120_000);
afterAll(() => stop());

const TIMEOUT = 180_000;

let staffSerial = 0;
function staffBody() {
  return {
    email: `fuzz${staffSerial++}@demo.local`,
    name: '模糊测试员',
    role: 'inspector',
    jurisdictionCode: '410702',
    specialties: ['metrology'],
    password: 'correct horse battery',
  };
}

const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  env.app.request(path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A property over injected bodies: one request each, checked by the common rule. */
async function fuzzBodies<T>(
  make: () => T,
  send: (body: T) => Response | Promise<Response>,
  numRuns: number,
  allowed: (status: number) => boolean = () => true,
) {
  await fc.assert(
    fc.asyncProperty(injectedBody(make), async ({ body, field }: Injected<T>) => {
      const { status } = await expectNoServerError(await send(body), JSON.stringify(body).slice(0, 300), field);
      expect(allowed(status), `status ${status}`).toBe(true);
    }),
    { numRuns },
  );
}

/** A query string with one parameter hostile (or repeated, or unknown), the rest valid. */
function hostileQuery(valid: Record<string, string>) {
  const keys = Object.keys(valid);
  return fc.tuple(fc.constantFrom(...keys), hostileQueryValue, fc.constantFrom('replace', 'repeat', 'unknown')).map(([key, value, how]) => {
    const parts = Object.entries(valid).map(([k, v]) => [k, encodeURIComponent(v)]);
    if (how === 'replace') parts.find(([k]) => k === key)![1] = value;
    else if (how === 'repeat') parts.push([key, value]);
    else parts.push([`x${value}`, value]);
    return { qs: parts.map(([k, v]) => `${k}=${v}`).join('&'), field: how === 'unknown' ? undefined : `query.${key}` };
  });
}

async function fuzzQuery(path: string, valid: Record<string, string>, numRuns: number, headers: () => Record<string, string> = () => ({})) {
  await fc.assert(
    fc.asyncProperty(hostileQuery(valid), async ({ qs, field }) => {
      const url = `${path}?${qs}`;
      await expectNoServerError(await env.app.request(url, { headers: headers() }), url.slice(0, 300), field);
    }),
    { numRuns },
  );
}

async function fuzzSegments(
  method: string,
  template: (segment: string) => string,
  numRuns: number,
  opts: { headers?: () => Record<string, string>; body?: () => unknown } = {},
) {
  await fc.assert(
    fc.asyncProperty(hostileSegment, async (segment) => {
      const url = template(segment);
      await expectNoServerError(await request(method, url, opts.body?.(), opts.headers?.() ?? {}), `${method} ${url.slice(0, 300)}`);
    }),
    { numRuns },
  );
}

/* ---- intake: arbitrary bodies (the first properties, kept) ---- */

const valid = [scaleComplaint(), ebikeReport(), childProductComplaint()];
const paths = (v: unknown, prefix: string[] = []): string[][] =>
  v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])]) : [];

/** A valid body with one field replaced by an arbitrary JSON value, or removed. */
const mutatedBody = fc
  .tuple(fc.constantFrom(...valid), fc.nat(), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }))
  .map(([base, pick, value]) => {
    const body = structuredClone(base) as Record<string, unknown>;
    const all = paths(body);
    const path = all[pick % all.length]!;
    let target = body;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    if (value === undefined) delete target[path.at(-1)!];
    else target[path.at(-1)!] = value;
    return body;
  });

async function statusOf(body: unknown, contentType = 'application/json') {
  const res = await env.app.request('/api/v1/complaints', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return (await expectNoServerError(res, typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body).slice(0, 300))).status;
}

describe('intake never answers 5xx to any body', () => {
  it(
    'arbitrary JSON values',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
          expect(await statusOf(body)).toBe(400);
        }),
        { numRuns: runs(1500) },
      );
    },
    TIMEOUT,
  );

  it(
    'valid bodies with one field changed or removed',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutatedBody, async (body) => {
          expect([201, 400]).toContain(await statusOf(body));
        }),
        { numRuns: runs(1500) },
      );
    },
    TIMEOUT,
  );

  it(
    'arbitrary text, with JSON and other content types',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.constantFrom('application/json', 'text/plain', 'application/json; charset=gbk'),
          async (text, type) => {
            expect([400, 415]).toContain(await statusOf(text, type));
          },
        ),
        { numRuns: runs(800) },
      );
    },
    TIMEOUT,
  );

  it('an empty body', async () => {
    const res = await env.app.request('/api/v1/complaints', { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const noType = await env.app.request('/api/v1/complaints', { method: 'POST' });
    expect(noType.status).toBeLessThan(500);
    expect((await postJson(env.app, '/api/v1/complaints', '')).status).toBe(400);
  });
});

/* ---- hostile text, days, numbers and path segments in every field ---- */

/** Every field intake takes, filled, so that each can be replaced. */
const fullComplaints = [
  () =>
    scaleComplaint({
      occurredOn: '2026-11-01',
      merchant: {
        name: '张三水果摊',
        districtCode: '410702',
        address: '平原路农贸市场 12 号',
        uscc: '91410702MA44XW3R1J',
        onlineShopUrl: 'https://shop.example.com/a',
        email: 'shop@example.com',
      },
      product: {
        name: '苹果',
        brand: '乐童',
        model: 'LT-100',
        batch: '20260901',
        manufacturer: '某厂',
        manufacturerUscc: '91410702MA44XW3R1J',
        cccCertificateNo: '2025011119000001',
        purchaseDate: '2026-10-01',
        pricePaidCny: 12.5,
      },
      evidence: {
        referenceMassG: 215,
        displayedMassG: 232.5,
        scaleMaxG: 15000,
        scaleIntervalG: 5,
        marketName: '平原路市场',
        stallNo: 'A-12',
      },
      harm: { injury: 'none', childInvolved: false },
      reporter: { name: '李女士', phone: '13800138000', email: 'consumer@example.com', language: 'zh-CN' },
    }),
  () => ebikeReport({ occurredOn: '2026-10-31' }),
  () => childProductComplaint({ occurredOn: '2026-09-30' }),
];

describe('no field of a valid body makes any route answer 5xx', () => {
  it(
    'intake: each field of a complaint',
    async () => {
      for (const make of fullComplaints) {
        await fuzzBodies(
          make,
          (b) => postJson(env.app, '/api/v1/complaints', b),
          runs(900),
          (s) => s === 201 || s === 400 || s === 413,
        );
      }
    },
    TIMEOUT,
  );

  it(
    'tracking: the tracking number in the path and the access code',
    async () => {
      await fuzzSegments('GET', (s) => `/api/v1/complaints/${s}`, runs(700), { headers: () => ({ 'x-access-code': ids.accessCode }) });
      await fuzzSegments('POST', (s) => `/api/v1/complaints/${s}/transitions`, runs(300), {
        headers: () => auth.hongqi,
        body: () => ({ to: 'accepted' }),
      });
      const latin1 = fc.string({ unit: fc.constantFrom('a', '%', '\u00ff', '\u00e9', ' ', '0', '\t'), maxLength: 300 });
      await fc.assert(
        fc.asyncProperty(latin1, async (code) => {
          const res = await env.app.request(`/api/v1/complaints/${ids.trackingNo}`, { headers: { 'x-access-code': code } });
          await expectNoServerError(res, `access code ${JSON.stringify(code)}`);
        }),
        { numRuns: runs(300) },
      );
    },
    TIMEOUT,
  );

  it(
    'casework: notes, reasons and inspection fields, and case ids in paths and queries',
    async () => {
      const transition = () => ({ to: 'accepted', note: '已受理', reasonCode: 'ok', outcome: 'agreement', toDistrictCode: '410702' });
      await fuzzBodies(transition, (b) => postJson(env.app, `/api/v1/complaints/${ids.trackingNo}/transitions`, b, auth.hongqi), runs(500));
      const inspections: (() => Record<string, unknown>)[] = [
        () => ({
          type: 'scale_verification',
          trackingNo: ids.trackingNo,
          notes: '现场检定',
          scaleMaxG: 15000,
          scaleIntervalG: 5,
          loads: [{ loadG: 200, indicationG: 216 }],
        }),
        () => ({
          type: 'ccc_check',
          trackingNo: ids.trackingNo,
          notes: '现场',
          certificateNo: '2025011119000001',
          markPresent: true,
          conformityCertificatePresent: false,
        }),
        () => ({ type: 'product_hazard_check', trackingNo: ids.trackingNo, notes: '小零件', hazardsFound: ['small_parts'] }),
      ];
      for (const make of inspections) {
        await fuzzBodies(make, (b) => postJson(env.app, `/api/v1/cases/${ids.caseId}/inspections`, b, auth.hongqi), runs(250));
      }
      await fuzzSegments('GET', (s) => `/api/v1/cases/${s}`, runs(200), { headers: () => auth.hongqi });
      await fuzzSegments('GET', (s) => `/api/v1/cases/${ids.caseId}/attachments/${s}`, runs(100), { headers: () => auth.hongqi });
      await fuzzSegments('POST', (s) => `/api/v1/cases/${s}/assign`, runs(100), {
        headers: () => auth.regulator,
        body: () => ({ inspectorId: 1 }),
      });
      await fuzzBodies(
        () => ({ inspectorId: 1 }),
        (b) => postJson(env.app, `/api/v1/cases/${ids.caseId}/assign`, b, auth.regulator),
        runs(100),
      );
      await fuzzQuery(
        '/api/v1/cases',
        { queue: 'metrology', priority: '2', claimed: 'any', limit: '10', offset: '0' },
        runs(200),
        () => auth.hongqi,
      );
    },
    TIMEOUT,
  );

  it(
    'administration: staff names and ids',
    async () => {
      await fuzzBodies(staffBody, (b) => postJson(env.app, '/api/v1/staff', b, auth.admin), runs(400));
      await fuzzBodies(
        () => ({ name: '改名测试员', jurisdictionCode: '410702' }),
        (b) => request('PATCH', `/api/v1/staff/${ids.staffId}`, b, auth.admin),
        runs(400),
      );
      await fuzzSegments('PATCH', (s) => `/api/v1/staff/${s}`, runs(150), { headers: () => auth.admin, body: () => ({ name: '某人' }) });
      await fuzzQuery('/api/v1/staff/events', { staffId: String(ids.staffId) }, runs(100), () => auth.admin);
    },
    TIMEOUT,
  );

  it(
    'sampling: nominations, campaign days and ids',
    async () => {
      let client = 0;
      await fuzzBodies(
        () => ({ ...nominationBody(), nominator: { email: 'n@example.com', notifyResults: true, language: 'en' } }),
        (b) => postJson(env.app, `/api/v1/sampling/campaigns/${ids.campaignId}/nominations`, b, fromClient(1000 + client++)),
        runs(600),
      );
      await fuzzBodies(campaignBody, (b) => postJson(env.app, '/api/v1/sampling/campaigns', b, auth.regulator), runs(300));
      await fuzzSegments('GET', (s) => `/api/v1/sampling/campaigns/${s}/nominations`, runs(150));
      await fuzzSegments('POST', (s) => `/api/v1/sampling/campaigns/${s}/nominations`, runs(100), { body: () => nominationBody() });
      await fuzzQuery(`/api/v1/sampling/campaigns/${ids.campaignId}/moderation`, { status: 'pending' }, runs(100), () => auth.regulator);
      await fuzzQuery('/api/v1/sampling/campaigns', { phase: 'nominating', limit: '10', offset: '0' }, runs(100));
    },
    TIMEOUT,
  );

  it(
    'recalls: search and check query strings, recall numbers, drafts and alert subscriptions',
    async () => {
      await fuzzQuery(
        '/api/v1/recalls',
        { q: '童车', brand: '乐童', model: 'LT-100', category: 'child_product', from: '2026-01-01', to: '2026-12-01', page: '1' },
        runs(600),
      );
      await fuzzQuery('/api/v1/recalls/check', { brand: '乐童', model: 'LT-100', batch: '20260901' }, runs(400));
      await fuzzSegments('GET', (s) => `/api/v1/recalls/${s}`, runs(200));
      await fuzzBodies(
        () => recallInput(),
        (b) => postJson(env.app, '/api/v1/recalls', b, auth.regulator),
        runs(300),
      );
      await fuzzBodies(
        () => ({ asOf: '2026-11-30', unitsRemedied: 10, note: '进展' }),
        (b) => postJson(env.app, `/api/v1/recalls/${ids.recallNo}/progress`, b, auth.regulator),
        runs(200),
      );
      await fuzzBodies(
        () => ({
          email: 'alerts@example.com',
          language: 'zh-CN',
          filters: { categories: ['child_product'], brands: ['乐童'], models: ['LT-100'] },
        }),
        (b) => postJson(env.app, '/api/v1/alerts/subscriptions', b),
        runs(400),
      );
      await fuzzBodies(
        () => ({ token: 'abc.def' }),
        (b) => postJson(env.app, '/api/v1/alerts/confirm', b),
        runs(100),
      );
      await fuzzSegments('GET', (s) => `/api/v1/alerts/unsubscribe/${s}`, runs(150));
      const regulator = { headers: () => auth.regulator };
      await fuzzSegments('GET', (s) => `/api/v1/recalls/${s}/record`, runs(100), regulator);
      await fuzzSegments('POST', (s) => `/api/v1/recalls/${s}/publish`, runs(100), regulator);
      await fuzzSegments('POST', (s) => `/api/v1/recalls/${s}/progress`, runs(100), {
        ...regulator,
        body: () => ({ asOf: '2026-11-30', unitsRemedied: 1 }),
      });
      await fuzzSegments('POST', (s) => `/api/v1/recalls/${s}/transitions`, runs(100), { ...regulator, body: () => ({ to: 'completed' }) });
      await fuzzSegments('GET', (s) => `/api/v1/signals/${s}`, runs(100), regulator);
      await fuzzQuery('/api/v1/signals', { status: 'open', page: '1' }, runs(100), () => auth.regulator);
      await fuzzQuery('/api/v1/recalls/records', { status: 'published', page: '1' }, runs(100), () => auth.regulator);
      await fuzzQuery('/api/v1/jurisdictions', { q: '红旗', limit: '5' }, runs(200));
      await fuzzSegments('GET', (s) => `/api/v1/sampling/unsubscribe/${s}`, runs(100));
    },
    TIMEOUT,
  );

  it(
    'public pages: paths and query strings',
    async () => {
      // Pages answer in HTML: the rule for them is no 5xx.
      const page = async (url: string) => {
        const res = await env.app.request(url);
        checkedResponses.count++;
        expect(res.status, url.slice(0, 300)).toBeLessThan(500);
        await res.body?.cancel();
      };
      await fc.assert(
        fc.asyncProperty(
          hostileSegment,
          fc.constantFrom('/track/', '/recalls/', '/sampling/', '/report/', '/alerts/confirm?token=', '/lang?to=en&next='),
          async (segment, prefix) => {
            await page(`${prefix}${segment}`);
          },
        ),
        { numRuns: runs(500) },
      );
      await fc.assert(
        fc.asyncProperty(
          hostileQuery({
            q: '童车',
            brand: '乐童',
            model: 'LT-100',
            category: 'child_product',
            from: '2026-01-01',
            to: '2026-12-01',
            page: '1',
          }),
          async ({ qs }) => {
            await page(`/recalls?${qs}`);
          },
        ),
        { numRuns: runs(300) },
      );
      await fc.assert(
        fc.asyncProperty(hostileQuery({ brand: '乐童', model: 'LT-100', batch: '20260901' }), async ({ qs }) => {
          await page(`/recalls/check?${qs}`);
        }),
        { numRuns: runs(200) },
      );
    },
    TIMEOUT,
  );
});

/** The done-when of the hardening: no 5xx in over 10,000 bodies (a -t filter skips this check with the rest). */
it('checked over 10,000 answers in all', () => {
  const scale = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
  if (scale >= 1) expect(checkedResponses.count).toBeGreaterThan(10_000);
});
