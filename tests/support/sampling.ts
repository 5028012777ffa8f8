import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../shared/crypto/index.js';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from './env.js';
import { startSmtpServer } from './smtp.js';
import { seedStaff } from './staff.js';

/**
 * A test database with the demo roster, running workers and a real SMTP server, with client addresses taken from
 * X-Forwarded-For (so a test can be many voters) and the sampling clock left to the test unless it asks for one.
 */
export async function startSamplingEnv(overrides: Record<string, string> = {}) {
  const smtp = await startSmtpServer();
  const env = await createTestEnv({
    SMTP_URL: smtp.url,
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    TRUST_PROXY: 'true',
    SAMPLING_CLOCK_MS: '3600000',
    ...overrides,
  });
  await seedStaff(env);
  await env.startWorkers();
  return {
    env,
    smtp,
    stop: async () => {
      await env.close();
      await smtp.close();
    },
  };
}

/** An active inspector with every specialty, signed in with the demo password. */
export async function addInspector(env: TestEnv, email: string, jurisdictionCode: string): Promise<number> {
  const row = await env.db
    .insertInto('staff')
    .values({
      email,
      name: email.split('@')[0]!,
      role: 'inspector',
      jurisdiction_code: jurisdictionCode,
      specialties: ['metrology', 'product_quality', 'child_safety', 'intake'],
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** A campaign in 新乡市 whose windows lie ahead (a test moves it by hand or moves the times). */
export function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    title: '2026 年冬季你点我检：儿童用品与电动自行车',
    description: '由市民提名并投票，票数最高的产品由我局购买抽检，结果向社会公布。',
    jurisdictionCode: '410700',
    categories: ['child_product', 'ebike'],
    nominationOpensAt: inMinutes(60),
    nominationClosesAt: inMinutes(120),
    votingOpensAt: inMinutes(120),
    votingClosesAt: inMinutes(180),
    quota: 3,
    votesPerVoter: 2,
    ...overrides,
  };
}

export function nominationBody(overrides: Record<string, unknown> = {}) {
  return {
    productName: '益智积木',
    brand: '乐童',
    model: 'LT-100',
    category: 'child_product',
    merchant: { name: '快乐玩具店', districtCode: '410702', address: '新乡市红旗区平原路 88 号' },
    reason: '小零件容易脱落，孩子可能误吞。',
    ...overrides,
  };
}

/** A distinct client address per simulated person. */
export const fromClient = (n: number) => ({ 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });

export async function createCampaign(env: TestEnv, auth: Record<string, string>, overrides: Record<string, unknown> = {}) {
  const res = await postJson(env.app, '/api/v1/sampling/campaigns', campaignBody(overrides), auth);
  if (res.status !== 201) throw new Error(`campaign not created: ${res.status} ${JSON.stringify(await readJson(res))}`);
  return (await readJson(res)) as { id: number; phase: string };
}

export async function moveCampaign(env: TestEnv, auth: Record<string, string>, id: number, to: string) {
  const res = await postJson(env.app, `/api/v1/sampling/campaigns/${id}/transitions`, { to }, auth);
  if (res.status !== 200) throw new Error(`campaign ${id} not moved to ${to}: ${res.status} ${JSON.stringify(await readJson(res))}`);
  return readJson(res);
}

let nominators = 0;

/** Nominates (each time from a new client address) and approves. */
export async function nominateApproved(
  env: TestEnv,
  auth: Record<string, string>,
  campaignId: number,
  overrides: Record<string, unknown> = {},
  client = 50_000 + nominators++,
): Promise<number> {
  const res = await postJson(
    env.app,
    `/api/v1/sampling/campaigns/${campaignId}/nominations`,
    nominationBody(overrides),
    fromClient(client),
  );
  if (res.status !== 201) throw new Error(`nomination refused: ${res.status} ${JSON.stringify(await readJson(res))}`);
  const { id } = (await readJson(res)) as { id: number };
  const approved = await postJson(env.app, `/api/v1/sampling/nominations/${id}/moderation`, { decision: 'approve' }, auth);
  if (approved.status !== 200) throw new Error(`nomination ${id} not approved: ${approved.status}`);
  return id;
}

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

/** The voting code last emailed to an address. */
export async function codeFor(smtp: Smtp, email: string, after = 0): Promise<string> {
  return eventually(async () => {
    const mails = smtp.received.filter((m) => m.envelopeTo.includes(email)).slice(after);
    const subject = mails.at(-1)?.parsed.subject;
    return subject ? /(\d{6})/.exec(subject)?.[1] : undefined;
  }, 60_000);
}

/** Requests a code for an address, reads it from the SMTP server and exchanges it for a voter token. */
export async function voterToken(
  env: TestEnv,
  smtp: Smtp,
  campaignId: number,
  email: string,
  opts: { client?: number; notifyResults?: boolean } = {},
): Promise<string> {
  const headers = fromClient(opts.client ?? 1);
  const before = smtp.received.filter((m) => m.envelopeTo.includes(email)).length;
  const requested = await postJson(
    env.app,
    '/api/v1/sampling/voters',
    { campaignId, email, ...(opts.notifyResults ? { notifyResults: true } : {}) },
    headers,
  );
  if (requested.status !== 202)
    throw new Error(`code not sent to ${email}: ${requested.status} ${JSON.stringify(await readJson(requested))}`);
  const code = await codeFor(smtp, email, before);
  const verified = await postJson(env.app, '/api/v1/sampling/voters/verify', { campaignId, email, code }, headers);
  if (verified.status !== 200) throw new Error(`not verified: ${verified.status} ${JSON.stringify(await readJson(verified))}`);
  return ((await readJson(verified)) as { voterToken: string }).voterToken;
}

export const vote = async (env: TestEnv, nominationId: number, token: string, client = 1): Promise<Response> =>
  env.app.request(`/api/v1/sampling/nominations/${nominationId}/votes`, {
    method: 'POST',
    headers: { 'x-voter-token': token, ...fromClient(client) },
  });

/** Runs the check snippet of docs/sampling-draw.md (Node's crypto only) on a published draw, as a reader would. */
export function runDocsDrawCheck(draw: unknown): { code: number; out: string } {
  const docs = readFileSync(path.resolve(import.meta.dirname, '../../docs/sampling-draw.md'), 'utf8');
  const snippet = /```js\n([\s\S]*?)```/.exec(docs)?.[1];
  if (!snippet) throw new Error('docs/sampling-draw.md has no js snippet');
  const dir = mkdtempSync(path.join(tmpdir(), 'cpt-draw-'));
  const script = path.join(dir, 'verify-draw.mjs');
  writeFileSync(script, snippet);
  try {
    return { code: 0, out: execFileSync(process.execPath, [script], { input: JSON.stringify(draw), encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
