import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { jpegWithGps } from '../support/images.js';
import { demo, seedStaff, signIn } from '../support/staff.js';

/**
 * One security suite run for every staff route: no token → 401; a role the route does not allow → 403; a case or
 * item outside the caller's jurisdiction → 404, never 403, so its existence does not leak.
 */
let env: TestEnv;
let caseId: number;
let trackingNo: string;
const tokens: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
  await seedStaff(env);
  await env.startWorkers();
  const filed = await readJson(
    await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name: '安全测试', districtCode: '410702' } })),
  );
  trackingNo = filed.trackingNo;
  caseId = await eventually(
    async () =>
      (await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', trackingNo).executeTakeFirst())?.case_id ?? undefined,
  );
  for (const [k, email] of Object.entries(demo)) tokens[k] = await signIn(env, email);
});
afterAll(async () => {
  await env.close();
});

interface Route {
  method: 'GET' | 'POST';
  path: () => string;
  body?: unknown;
  /** Roles the route refuses with 403. */
  forbidden: Array<keyof typeof demo>;
  /** Whether a staff member of another county gets 404 (the route names a case or item). */
  scoped: boolean;
}

const routes: Route[] = [
  { method: 'GET', path: () => '/api/v1/auth/me', forbidden: [], scoped: false },
  { method: 'POST', path: () => '/api/v1/auth/logout', forbidden: [], scoped: false },
  { method: 'GET', path: () => '/api/v1/staff', forbidden: ['regulator', 'hongqi'], scoped: false },
  { method: 'POST', path: () => '/api/v1/staff', body: {}, forbidden: ['regulator', 'hongqi'], scoped: false },
  { method: 'POST', path: () => '/api/v1/staff/1/deactivate', forbidden: ['regulator', 'hongqi'], scoped: false },
  {
    method: 'POST',
    path: () => '/api/v1/staff/1/reset-password',
    body: { password: 'long-enough-password' },
    forbidden: ['regulator', 'hongqi'],
    scoped: false,
  },
  { method: 'GET', path: () => '/api/v1/cases', forbidden: ['admin'], scoped: false },
  { method: 'POST', path: () => '/api/v1/cases/claim', forbidden: ['admin'], scoped: false },
  { method: 'GET', path: () => `/api/v1/cases/${caseId}`, forbidden: ['admin'], scoped: true },
  { method: 'GET', path: () => `/api/v1/cases/${caseId}/events`, forbidden: ['admin'], scoped: true },
  { method: 'POST', path: () => `/api/v1/cases/${caseId}/release`, forbidden: ['admin'], scoped: true },
  { method: 'POST', path: () => `/api/v1/cases/${caseId}/assign`, body: { inspectorId: 3 }, forbidden: ['admin', 'hongqi'], scoped: false },
  {
    method: 'POST',
    path: () => `/api/v1/cases/${caseId}/inspections`,
    body: { type: 'product_hazard_check', hazardsFound: [] },
    forbidden: ['admin'],
    scoped: true,
  },
  {
    method: 'POST',
    path: () => `/api/v1/complaints/${trackingNo}/transitions`,
    body: { to: 'accepted' },
    forbidden: ['admin'],
    scoped: true,
  },
  { method: 'GET', path: () => `/api/v1/cases/${caseId}/attachments`, forbidden: ['admin'], scoped: true },
  { method: 'GET', path: () => `/api/v1/cases/${caseId}/attachments/1`, forbidden: ['admin'], scoped: true },
  { method: 'POST', path: () => `/api/v1/cases/${caseId}/attachments`, body: 'multipart', forbidden: ['admin'], scoped: true },
  { method: 'GET', path: () => '/api/v1/signals', forbidden: ['admin', 'hongqi'], scoped: false },
  { method: 'GET', path: () => '/api/v1/signals/1', forbidden: ['admin', 'hongqi'], scoped: false },
  { method: 'POST', path: () => '/api/v1/signals/1/transitions', body: { to: 'dismissed' }, forbidden: ['admin', 'hongqi'], scoped: false },
  { method: 'POST', path: () => '/api/v1/recalls', body: {}, forbidden: ['admin', 'hongqi'], scoped: false },
  { method: 'GET', path: () => '/api/v1/recalls/records', forbidden: ['admin', 'hongqi'], scoped: false },
  { method: 'GET', path: () => '/api/v1/recalls/RC-2026-0001/record', forbidden: ['admin', 'hongqi'], scoped: false },
  { method: 'POST', path: () => '/api/v1/recalls/RC-2026-0001/publish', forbidden: ['admin', 'hongqi'], scoped: false },
  {
    method: 'POST',
    path: () => '/api/v1/recalls/RC-2026-0001/progress',
    body: { asOf: '2026-01-01', unitsRemedied: 1 },
    forbidden: ['admin', 'hongqi'],
    scoped: false,
  },
  {
    method: 'POST',
    path: () => '/api/v1/recalls/RC-2026-0001/transitions',
    body: { to: 'completed' },
    forbidden: ['admin', 'hongqi'],
    scoped: false,
  },
];

function photoForm() {
  const f = new FormData();
  f.set('file', new File([jpegWithGps()], 'p.jpg', { type: 'image/jpeg' }));
  return f;
}

const call = (r: Route, headers: Record<string, string> = {}) =>
  r.method === 'GET'
    ? env.app.request(r.path(), { headers })
    : r.body === 'multipart'
      ? env.app.request(r.path(), { method: 'POST', headers, body: photoForm() })
      : postJson(env.app, r.path(), r.body ?? {}, headers);

describe.each(routes)('$method $path', (route) => {
  it('401 without a token', async () => {
    const res = await call(route);
    expect(res.status).toBe(401);
    expect((await readJson(res)).error.code).toBe('unauthorized');
  });

  it.runIf(route.forbidden.length > 0)('403 for a role it does not serve', async () => {
    for (const who of route.forbidden) {
      const res = await call(route, tokens[who]);
      expect(res.status, who).toBe(403);
    }
  });

  it.runIf(route.scoped)('404 for staff of another jurisdiction', async () => {
    const res = await call(route, tokens.jiefang); // 焦作市解放区, the case is in 新乡市红旗区
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });
});
