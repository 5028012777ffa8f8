import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../shared/crypto/index.js';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import { eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { jpegWithGps } from '../support/images.js';
import { addInspector, createCampaign, moveCampaign, nominateApproved, startSamplingEnv } from '../support/sampling.js';
import { demo, signIn } from '../support/staff.js';

/**
 * Every staff route of 你点我检: no token → 401; a role the route does not serve → 403; a campaign, nomination, task or
 * declaration outside the caller's jurisdiction → 404, never 403, so its existence does not leak.
 */
let env: TestEnv;
let stop: () => Promise<void>;
const ids = { campaign: 0, nomination: 0, task: 0, conflict: 0 };
const tokens: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  ({ env, stop } = await startSamplingEnv());
  // A regulator of 焦作市: outside 新乡市, where the campaign runs.
  await env.db
    .insertInto('staff')
    .values({
      email: 'regulator.jiaozuo@demo.local',
      name: '焦作市监管科',
      role: 'regulator',
      jurisdiction_code: '410800',
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
  await addInspector(env, 'inspector3.hongqi@demo.local', '410702');
  for (const [k, email] of Object.entries({ ...demo, jiaozuo: 'regulator.jiaozuo@demo.local', hongqi3: 'inspector3.hongqi@demo.local' })) {
    tokens[k] = await signIn(env, email);
  }
  const c = await createCampaign(env, tokens.regulator!);
  ids.campaign = c.id;
  await moveCampaign(env, tokens.regulator!, c.id, 'nominating');
  ids.nomination = await nominateApproved(env, tokens.regulator!, c.id);
  await moveCampaign(env, tokens.regulator!, c.id, 'voting');
  await moveCampaign(env, tokens.regulator!, c.id, 'selecting');
  ids.task = await eventually(async () => (await env.db.selectFrom('sampling_tasks').select('id').executeTakeFirst())?.id);
  const declared = await postJson(env.app, '/api/v1/sampling/conflicts', { nominationId: ids.nomination, reason: '亲属' }, tokens.hongqi);
  ids.conflict = (await readJson(declared)).id;
});
afterAll(() => stop());

type Who = 'admin' | 'regulator' | 'hongqi' | 'jiefang' | 'jiaozuo';
interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  path: () => string;
  body?: unknown;
  forbidden: Who[];
  /** Who, of another jurisdiction but with a role the route serves, must get a 404. */
  outsider?: Who;
}

const today = new Date().toISOString().slice(0, 10);
const results = {
  reportNo: 'R-1',
  items: [{ name: '外观', standardClause: 'GB 1', limit: '无', measured: '无', unit: '', verdict: 'pass' }],
};
const regulatorsOnly: Who[] = ['admin', 'hongqi'];
const casework: Who[] = ['admin'];

const routes: Route[] = [
  { method: 'POST', path: () => '/api/v1/sampling/campaigns', body: {}, forbidden: regulatorsOnly },
  {
    method: 'PATCH',
    path: () => `/api/v1/sampling/campaigns/${ids.campaign}`,
    body: { quota: 2 },
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/campaigns/${ids.campaign}/transitions`,
    body: { to: 'published' },
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  { method: 'GET', path: () => '/api/v1/sampling/staff/campaigns', forbidden: casework },
  { method: 'GET', path: () => `/api/v1/sampling/staff/campaigns/${ids.campaign}`, forbidden: casework, outsider: 'jiefang' },
  { method: 'GET', path: () => `/api/v1/sampling/campaigns/${ids.campaign}/moderation`, forbidden: regulatorsOnly, outsider: 'jiaozuo' },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/nominations/${ids.nomination}/moderation`,
    body: { decision: 'approve' },
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  { method: 'GET', path: () => `/api/v1/sampling/campaigns/${ids.campaign}/draw/roster`, forbidden: regulatorsOnly, outsider: 'jiaozuo' },
  { method: 'GET', path: () => '/api/v1/sampling/tasks', forbidden: casework },
  { method: 'GET', path: () => `/api/v1/sampling/tasks/${ids.task}`, forbidden: casework, outsider: 'jiefang' },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/tasks/${ids.task}/collection`,
    body: {
      sampleNo: 'S',
      quantity: 1,
      reserveQuantity: 1,
      sealNo: 'F',
      labName: 'L',
      pricePaidCny: 1,
      collectedAt: new Date().toISOString(),
    },
    forbidden: casework,
    outsider: 'jiefang',
  },
  { method: 'POST', path: () => `/api/v1/sampling/tasks/${ids.task}/results`, body: results, forbidden: casework, outsider: 'jiefang' },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/tasks/${ids.task}/delivery`,
    body: { method: 'post', on: today },
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/tasks/${ids.task}/objection`,
    body: { receivedOn: today, by: 'merchant', grounds: 'g' },
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/tasks/${ids.task}/retest-results`,
    body: results,
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/tasks/${ids.task}/waiver`,
    body: { receivedOn: today },
    forbidden: regulatorsOnly,
    outsider: 'jiaozuo',
  },
  { method: 'GET', path: () => `/api/v1/sampling/tasks/${ids.task}/letter`, forbidden: casework, outsider: 'jiefang' },
  {
    method: 'POST',
    path: () => `/api/v1/sampling/tasks/${ids.task}/attachments`,
    body: 'multipart',
    forbidden: casework,
    outsider: 'jiefang',
  },
  { method: 'GET', path: () => `/api/v1/sampling/tasks/${ids.task}/attachments`, forbidden: casework, outsider: 'jiefang' },
  { method: 'GET', path: () => `/api/v1/sampling/tasks/${ids.task}/attachments/1`, forbidden: casework, outsider: 'jiefang' },
  { method: 'POST', path: () => '/api/v1/sampling/conflicts', body: { nominationId: 1, reason: 'r' }, forbidden: casework },
  { method: 'GET', path: () => '/api/v1/sampling/conflicts', forbidden: casework },
  { method: 'POST', path: () => `/api/v1/sampling/conflicts/${ids.conflict}/withdraw`, forbidden: casework, outsider: 'jiefang' },
];

function photoForm() {
  const f = new FormData();
  f.set('file', new File([Buffer.from(jpegWithGps())], 'p.jpg', { type: 'image/jpeg' }));
  return f;
}

const call = async (r: Route, headers: Record<string, string> = {}): Promise<Response> => {
  if (r.method === 'GET') return env.app.request(r.path(), { headers });
  if (r.body === 'multipart') return env.app.request(r.path(), { method: 'POST', headers, body: photoForm() });
  return env.app.request(r.path(), {
    method: r.method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(r.body ?? {}),
  });
};

describe.each(routes)('$method $path', (route) => {
  it('401 without a token', async () => {
    const res = await call(route);
    expect(res.status).toBe(401);
    expect((await readJson(res)).error.code).toBe('unauthorized');
  });

  it('403 for a role it does not serve', async () => {
    for (const who of route.forbidden) expect((await call(route, tokens[who])).status, who).toBe(403);
  });

  it.runIf(route.outsider !== undefined)('404 for staff of another jurisdiction', async () => {
    const res = await call(route, tokens[route.outsider!]);
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });
});

describe('inspectors of the county', () => {
  it('may read a task they were not drawn for, but not record its collection, results or photos', async () => {
    const drawn = new Set(
      (await env.db.selectFrom('sampling_task_inspectors').select('staff_id').where('task_id', '=', ids.task).execute()).map(
        (r) => r.staff_id,
      ),
    );
    expect(drawn.size).toBe(2);
    const county = await env.db
      .selectFrom('staff')
      .select(['id', 'email'])
      .where('jurisdiction_code', '=', '410702')
      .where('role', '=', 'inspector')
      .execute();
    const bystander = county.find((s) => !drawn.has(s.id))!;
    const who = Object.entries({ hongqi: demo.hongqi, hongqi2: demo.hongqi2, hongqi3: 'inspector3.hongqi@demo.local' }).find(
      ([, e]) => e === bystander.email,
    )![0];
    expect((await call({ method: 'GET', path: () => `/api/v1/sampling/tasks/${ids.task}`, forbidden: [] }, tokens[who])).status).toBe(200);
    for (const route of routes.filter((r) => /collection|results$|attachments$/.test(r.path()) && r.method === 'POST')) {
      const res = await call(route, tokens[who]);
      expect(res.status, route.path()).toBe(403);
    }
    const mine = await readJson(await env.app.request('/api/v1/sampling/tasks?mine=1', { headers: tokens[who] }));
    expect(mine.items).toEqual([]);
  });

  it('may not withdraw another inspector’s declaration', async () => {
    expect((await postJson(env.app, `/api/v1/sampling/conflicts/${ids.conflict}/withdraw`, {}, tokens.hongqi2)).status).toBe(404);
    expect((await postJson(env.app, `/api/v1/sampling/conflicts/${ids.conflict}/withdraw`, {}, tokens.hongqi)).status).toBe(200);
  });
});
