import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJobPayload } from '../../shared/queue/index.js';
import type { IntakeResponse } from '../../shared/complaints/index.js';
import { createTestEnv, readJson, postJson, type TestEnv } from '../support/env.js';
import { childProductComplaint, ebikeReport, scaleComplaint } from '../support/fixtures.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const file = (body: unknown, headers?: Record<string, string>) => postJson(env.app, '/api/v1/complaints', body, headers);
const counts = async () => ({
  items: Number(
    (
      await env.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  outbox: Number(
    (
      await env.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
});

describe('POST /api/v1/complaints', () => {
  it('stores a scale complaint with its screening, first event and triage outbox row in one go', async () => {
    const res = await file(scaleComplaint());
    expect(res.status).toBe(201);
    const body = (await readJson(res)) as IntakeResponse;
    expect(body).toMatchObject({
      status: 'submitted',
      screening: { deviationG: 17.5, mpeG: 5, ratio: 3.5, exceedsTolerance: true, favours: 'merchant' },
      relatedRecalls: [],
    });
    expect(body.trackingNo).toMatch(/^T\d{8}[A-Z2-9]{8}$/);
    expect(body.accessCode).toMatch(/^[A-Z2-9]{8}$/);

    const item = await env.db.selectFrom('items').selectAll().where('tracking_no', '=', body.trackingNo).executeTakeFirstOrThrow();
    expect(item.status).toBe('submitted');
    expect(item.access_code_hash).not.toContain(body.accessCode);
    expect(JSON.stringify(item)).not.toContain(body.accessCode);
    const events = await env.db.selectFrom('item_events').selectAll().where('item_id', '=', item.id).execute();
    expect(events).toMatchObject([{ from_status: null, to_status: 'submitted', actor_type: 'consumer' }]);
    const outbox = await env.db.selectFrom('outbox').selectAll().where('queue', '=', 'triage').execute();
    // The payload written in SQL is exactly the shape the worker validates.
    expect(outbox.map((o) => parseJobPayload('triage', o.payload))).toContainEqual({ trackingNo: item.tracking_no });
  });

  it.each([
    ['an e-bike report', ebikeReport()],
    ['a children’s product complaint', childProductComplaint()],
    ['another goods complaint', { ...scaleComplaint(), category: 'other', evidence: undefined }],
    ['a complaint without evidence, harm or reporter', { ...scaleComplaint(), evidence: undefined, reporter: undefined }],
  ])('accepts %s', async (_name, body) => {
    const res = await file(body);
    expect(res.status).toBe(201);
    expect(await readJson(res)).not.toHaveProperty('screening');
  });

  it('accepts a 12-digit CCC certificate number with a warning', async () => {
    const res = await file(ebikeReport({ product: { brand: '飞驰', model: 'FC-1', cccCertificateNo: '200401160000' } }));
    expect(res.status).toBe(201);
    expect((await readJson(res)).warnings).toEqual([
      expect.objectContaining({ field: 'product.cccCertificateNo', code: 'legacy_ccc_format' }),
    ]);
  });

  it('merges repeat merchants by USCC, else by normalised name and district', async () => {
    await file(ebikeReport({ merchant: { name: '飞驰车行（总店）', uscc: '91410702MA44XW3R1J' } }));
    await file(scaleComplaint({ merchant: { name: ' 张三 水果摊 ', districtCode: '410702' } }));
    const merchants = await env.db.selectFrom('merchants').select(['merchant_key']).execute();
    const keys = merchants.map((m) => m.merchant_key);
    expect(keys.filter((k) => k === 'uscc:91410702MA44XW3R1J')).toHaveLength(1);
    expect(keys.filter((k) => k === 'name:张三水果摊|410702')).toHaveLength(1);
  });
});

describe('bad input', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['unknown category', { ...scaleComplaint(), category: 'food' }, ['category']],
    ['bad USCC check character', scaleComplaint({ merchant: { name: 'x', uscc: '91110108551385082A' } }), ['merchant.uscc']],
    ['bad phone', scaleComplaint({ reporter: { phone: '12345' } }), ['reporter.phone']],
    ['landline instead of mobile', scaleComplaint({ reporter: { phone: '010-12345678' } }), ['reporter.phone']],
    ['bad email', scaleComplaint({ reporter: { email: 'not-an-email' } }), ['reporter.email']],
    ['oversize title', scaleComplaint({ title: 'x'.repeat(201) }), ['title']],
    [
      'wrong types',
      { ...scaleComplaint(), title: 42, harm: { injury: 'severe', childInvolved: 'yes' } },
      ['title', 'harm.injury', 'harm.childInvolved'],
    ],
    ['unknown keys', { ...scaleComplaint(), priority: 1, merchant: { name: 'x', owner: 'y' } }, ['priority', 'merchant.owner']],
    [
      'evidence of another category',
      { ...scaleComplaint(), evidence: { hasCccMark: true, issues: [] } },
      ['evidence.referenceMassG', 'evidence.displayedMassG', 'evidence.hasCccMark', 'evidence.issues'],
    ],
    [
      'reference above the scale maximum',
      scaleComplaint({ evidence: { referenceMassG: 20000, displayedMassG: 20000, scaleMaxG: 15000 } }),
      ['evidence.referenceMassG'],
    ],
    ['bad CCC number', ebikeReport({ product: { cccCertificateNo: '123' } }), ['product.cccCertificateNo']],
    [
      'unknown hazard code',
      childProductComplaint({ evidence: { productType: 'toy', hazards: ['lead'] } } as never),
      ['evidence.hazards.0'],
    ],
    ['future occurrence date', scaleComplaint({ occurredOn: '2999-01-01' }), ['occurredOn']],
    ...['0000-01-01', '1899-12-31', '2026-02-30', '+275760-09-13', '', 'infinity', 'epoch'].map((day): [string, unknown, string[]] => [
      `occurrence date ${JSON.stringify(day)}`,
      scaleComplaint({ occurredOn: day }),
      ['occurredOn'],
    ]),
    ['purchase date in year 0', scaleComplaint({ product: { purchaseDate: '0000-01-01' } }), ['product.purchaseDate']],
    ['NUL in the title', scaleComplaint({ title: 'a\u0000b' }), ['title']],
    ['NUL before a valid mobile number', scaleComplaint({ reporter: { phone: '\u000013800138000' } }), ['reporter.phone']],
    [
      'NUL in the shop address',
      scaleComplaint({ merchant: { name: 'x', onlineShopUrl: 'https://shop.example.com/\u0000a' } }),
      ['merchant.onlineShopUrl'],
    ],
    ['a lone surrogate in the merchant name', scaleComplaint({ merchant: { name: '\ud800' } }), ['merchant.name']],
    ['missing fields', { kind: 'complaint', category: 'scale' }, ['title', 'description', 'merchant']],
    ['a JSON array', [1, 2], ['(body)']],
  ];

  it.each(cases)('%s → 400 naming every bad field, nothing stored', async (_name, body, fields) => {
    const before = await counts();
    const res = await file(body);
    expect(res.status).toBe(400);
    const json = await readJson(res);
    expect(json.error.code).toBe('validation_failed');
    expect(json.error.requestId).toBeTruthy();
    const named = (json.error.details as Array<{ field: string }>).map((d) => d.field);
    for (const f of fields) expect(named).toContain(f);
    expect(await counts()).toEqual(before);
  });

  it('malformed JSON → 400', async () => {
    const res = await file('{"kind": "complaint",');
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.code).toBe('validation_failed');
  });

  it('a body over 1 MB → 413', async () => {
    const res = await file({ ...scaleComplaint(), description: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect((await readJson(res)).error.code).toBe('payload_too_large');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('content type %s → 415', async (type) => {
    const res = await env.app.request('/api/v1/complaints', {
      method: 'POST',
      headers: { 'content-type': type },
      body: JSON.stringify(scaleComplaint()),
    });
    expect(res.status).toBe(415);
    expect((await readJson(res)).error.code).toBe('unsupported_media_type');
  });

  it('an unknown endpoint → 404 envelope', async () => {
    const res = await env.app.request('/api/v1/nope');
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });
});

describe('Idempotency-Key', () => {
  it('a replay returns the first response and stores nothing more', async () => {
    const key = `idem-${Date.now()}`;
    const first = await file(scaleComplaint(), { 'idempotency-key': key });
    const before = await counts();
    const second = await file(scaleComplaint(), { 'idempotency-key': key });
    expect(second.status).toBe(201);
    expect(await readJson(second)).toEqual(await readJson(first));
    expect(await counts()).toEqual(before);
  });

  it('the same key with a different body → 409', async () => {
    const key = `idem-diff-${Date.now()}`;
    expect((await file(scaleComplaint(), { 'idempotency-key': key })).status).toBe(201);
    const res = await file(scaleComplaint({ title: '另一件事' }), { 'idempotency-key': key });
    expect(res.status).toBe(409);
    expect((await readJson(res)).error.code).toBe('idempotency_conflict');
  });

  it('concurrent requests with one key store one item and all see the same response', async () => {
    const key = `idem-race-${Date.now()}`;
    const before = await counts();
    const responses = await Promise.all(Array.from({ length: 8 }, () => file(scaleComplaint(), { 'idempotency-key': key })));
    const bodies = await Promise.all(responses.map((r) => readJson(r)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(bodies.map((b) => b.trackingNo)).size).toBe(1);
    const after = await counts();
    expect(after.items - before.items).toBe(1);
  });
});

describe('GET /api/v1/complaints/{trackingNo}', () => {
  let filed: IntakeResponse;
  beforeAll(async () => {
    filed = (await (await file(scaleComplaint())).json()) as IntakeResponse;
  });

  it('shows the item to the holder of the access code, labelled in zh-CN by default and en on request', async () => {
    const zh = await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, { headers: { 'x-access-code': filed.accessCode } });
    expect(zh.status).toBe(200);
    expect(await readJson(zh)).toMatchObject({
      trackingNo: filed.trackingNo,
      kind: 'complaint',
      category: 'scale',
      status: 'submitted',
      statusLabel: '已提交',
      deadlines: {},
      timeline: [{ status: 'submitted', statusLabel: '已提交' }],
    });
    const en = await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, {
      headers: { 'x-access-code': filed.accessCode.toLowerCase(), 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect((await readJson(en)).statusLabel).toBe('Submitted');
  });

  it('gives the same 404 for a wrong code, an unknown number and a malformed number', async () => {
    const wrong = await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, { headers: { 'x-access-code': 'WRONG234' } });
    const unknown = await env.app.request('/api/v1/complaints/T20261121AAAAAAAA', { headers: { 'x-access-code': filed.accessCode } });
    const malformed = await env.app.request('/api/v1/complaints/not-a-number', { headers: { 'x-access-code': filed.accessCode } });
    for (const res of [wrong, unknown, malformed]) {
      expect(res.status).toBe(404);
      const { error } = await readJson(res);
      expect({ code: error.code, message: error.message }).toEqual({ code: 'not_found', message: '未找到该投诉举报' });
    }
  });

  it('a tracking number with an encoded NUL is a 400 naming it, not a database error', async () => {
    const res = await env.app.request(`/api/v1/complaints/${filed.trackingNo}%00`, { headers: { 'x-access-code': filed.accessCode } });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.details).toEqual([expect.objectContaining({ field: 'param.trackingNo' })]);
  });

  it('asks for the access code when it is missing', async () => {
    const res = await env.app.request(`/api/v1/complaints/${filed.trackingNo}`);
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.details).toEqual([expect.objectContaining({ field: 'header.x-access-code' })]);
  });
});

describe('rate limits', () => {
  let limited: TestEnv;
  beforeAll(async () => {
    limited = await createTestEnv({ RATE_LIMIT_TRACKING_PER_MINUTE: '5', RATE_LIMIT_INTAKE_PER_MINUTE: '3', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 with Retry-After once a client passes its tracking limit, per client', async () => {
    const get = (ip: string) =>
      limited.app.request('/api/v1/complaints/T20261121AAAAAAAA', { headers: { 'x-access-code': 'X', 'x-forwarded-for': ip } });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await get('203.0.113.7')).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429]);
    const res = await get('203.0.113.7');
    expect((await readJson(res)).error.code).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('198.51.100.9')).status).toBe(404);
  });

  it('limits intake per client too', async () => {
    const post = () => postJson(limited.app, '/api/v1/complaints', scaleComplaint(), { 'x-forwarded-for': '203.0.113.8' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post()).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
