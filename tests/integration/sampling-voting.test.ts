import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signVoterToken } from '../../shared/sampling/index.js';
import { eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import {
  campaignBody,
  codeFor,
  createCampaign,
  fromClient,
  moveCampaign,
  nominateApproved,
  nominationBody,
  startSamplingEnv,
  vote,
  voterToken,
} from '../support/sampling.js';
import { demo, signIn } from '../support/staff.js';

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSamplingEnv>>['smtp'];
let stop: () => Promise<void>;
let regulator: Record<string, string>;

beforeAll(async () => {
  // A fast clock, so that the scheduler test below sees campaigns move at their window times. The bursts below queue
  // 200 requests on the pool: on a loaded machine their wait can pass the 5 s default, which answers 503 by design
  // (tests/integration/faults.test.ts); here the count is what is tested, so they may wait longer.
  ({ env, smtp, stop } = await startSamplingEnv({ SAMPLING_CLOCK_MS: '400', DB_CONNECT_TIMEOUT_MS: '60000' }));
  regulator = await signIn(env, demo.regulator);
});
afterAll(() => stop());

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
const nominate = (campaignId: number, body: unknown, client = 1) =>
  postJson(env.app, `/api/v1/sampling/campaigns/${campaignId}/nominations`, body, fromClient(client));
const publicNominations = async (campaignId: number) =>
  (await readJson(await env.app.request(`/api/v1/sampling/campaigns/${campaignId}/nominations`))).items as Array<{
    id: number;
    votes: number;
  }>;
const votesOf = async (campaignId: number, nominationId: number) =>
  (await publicNominations(campaignId)).find((n) => n.id === nominationId)?.votes;

/** A campaign in its voting phase with the given number of approved nominations. */
async function votingCampaign(nominations: number, overrides: Record<string, unknown> = {}) {
  const c = await createCampaign(env, regulator, overrides);
  await moveCampaign(env, regulator, c.id, 'nominating');
  const ids: number[] = [];
  for (let i = 0; i < nominations; i++) {
    ids.push(
      await nominateApproved(env, regulator, c.id, { productName: `产品 ${i}`, merchant: { name: `商户 ${i}`, districtCode: '410702' } }),
    );
  }
  await moveCampaign(env, regulator, c.id, 'voting');
  return { id: c.id, nominations: ids };
}

describe('phase rules', () => {
  it('a draft is not public and takes no nominations; the nomination window closes on time', async () => {
    const c = await createCampaign(env, regulator);
    expect((await env.app.request(`/api/v1/sampling/campaigns/${c.id}`)).status).toBe(404);
    expect((await nominate(c.id, nominationBody())).status).toBe(404);
    const list = await readJson(await env.app.request('/api/v1/sampling/campaigns'));
    expect(list.items.map((x: { id: number }) => x.id)).not.toContain(c.id);

    await moveCampaign(env, regulator, c.id, 'nominating');
    expect((await nominate(c.id, nominationBody())).status).toBe(201);
    await env.db
      .updateTable('sampling_campaigns')
      .set({ nomination_opens_at: ago(7200), nomination_closes_at: ago(1) })
      .where('id', '=', c.id)
      .execute();
    const late = await nominate(c.id, nominationBody());
    expect(late.status).toBe(409);
    expect((await readJson(late)).error.code).toBe('phase_closed');
  });

  it('refuses a nomination outside the campaign’s jurisdiction, naming the field', async () => {
    const c = await createCampaign(env, regulator, { jurisdictionCode: '410702', categories: ['child_product'] });
    await moveCampaign(env, regulator, c.id, 'nominating');
    for (const districtCode of ['410711', '410802', '410700', '999999']) {
      const res = await nominate(c.id, nominationBody({ merchant: { name: '外地商户', districtCode } }));
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.details).toEqual([expect.objectContaining({ field: 'merchant.districtCode' })]);
    }
    const wrongCategory = await nominate(c.id, nominationBody({ category: 'ebike' }));
    expect(wrongCategory.status).toBe(400);
    expect((await readJson(wrongCategory)).error.details[0].field).toBe('category');
    // One category: it may be left out.
    const { category: _c, ...withoutCategory } = nominationBody();
    expect((await nominate(c.id, withoutCategory)).status).toBe(201);
    const bad = await nominate(c.id, { ...nominationBody(), productName: '', nominator: { notifyResults: true }, extra: 1 });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'extra',
      'nominator.email',
      'productName',
    ]);
  });

  it('takes no vote before the voting window and none after it', async () => {
    const c = await createCampaign(env, regulator);
    await moveCampaign(env, regulator, c.id, 'nominating');
    const nominationId = await nominateApproved(env, regulator, c.id);
    const early = await postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email: 'early@example.com' }, fromClient(2));
    expect(early.status).toBe(409);
    expect((await readJson(early)).error.code).toBe('phase_closed');
    // A token cannot exist before voting opens; even a well-signed one is refused by the phase.
    const signed = signVoterToken(env.config.AUTH_SECRET, { voterId: 1, campaignId: c.id, expiresAt: new Date(Date.now() + 60_000) });
    expect((await readJson(await vote(env, nominationId, signed))).error.code).toBe('phase_closed');

    await moveCampaign(env, regulator, c.id, 'voting');
    const token = await voterToken(env, smtp, c.id, 'ontime@example.com', { client: 3 });
    expect((await vote(env, nominationId, token)).status).toBe(201);

    const late = await voterToken(env, smtp, c.id, 'late@example.com', { client: 4 });
    await env.db
      .updateTable('sampling_campaigns')
      .set({
        nomination_opens_at: ago(4 * 3600),
        nomination_closes_at: ago(3 * 3600),
        voting_opens_at: ago(2 * 3600),
        voting_closes_at: ago(1),
      })
      .where('id', '=', c.id)
      .execute();
    const res = await vote(env, nominationId, late);
    expect(res.status).toBe(409);
    expect((await readJson(res)).error.code).toBe('phase_closed');
    expect(
      (await postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email: 'later@example.com' }, fromClient(5))).status,
    ).toBe(409);
  });

  it('moves campaigns at their window times on the scheduler, committing to the seed when voting opens', async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const c = await createCampaign(env, regulator, {
      nominationOpensAt: at(1000),
      nominationClosesAt: at(3000),
      votingOpensAt: at(3000),
      votingClosesAt: at(5000),
    });
    const phase = async () =>
      (await readJson(await env.app.request(`/api/v1/sampling/staff/campaigns/${c.id}`, { headers: regulator }))) as {
        phase: string;
        draw: { seedCommitment: string | null };
        events: Array<{ action: string; data: { from?: string; to?: string; by?: string } }>;
      };
    expect((await phase()).phase).toBe('draft');
    await eventually(async () => (await phase()).phase === 'nominating', 10_000);
    const voting = await eventually(async () => {
      const p = await phase();
      return p.phase === 'voting' && p;
    }, 10_000);
    expect(voting.draw.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    const done = await eventually(async () => {
      const p = await phase();
      return p.phase === 'sampling' && p;
    }, 15_000);
    const steps = done.events.filter((e) => e.action === 'phase_changed').map((e) => `${e.data.from}→${e.data.to} by ${e.data.by}`);
    expect(steps).toEqual([
      'draft→nominating by clock',
      'nominating→voting by clock',
      'voting→selecting by clock',
      'selecting→sampling by selection',
    ]);
    expect(done.events.filter((e) => e.action === 'seed_committed')).toHaveLength(1);
  });
});

describe('verified voters', () => {
  it('keeps only a keyed hash of an address that did not opt in, and forgets it in the sent email', async () => {
    const c = await votingCampaign(1);
    const plain = 'hashed.voter@example.com';
    await voterToken(env, smtp, c.id, plain, { client: 10 });
    await voterToken(env, smtp, c.id, 'kept.voter@example.com', { client: 11, notifyResults: true });
    const voters = await env.db.selectFrom('sampling_voters').selectAll().where('campaign_id', '=', c.id).orderBy('id').execute();
    expect(voters.map((v) => [v.email, v.notify_results])).toEqual([
      [null, false],
      ['kept.voter@example.com', true],
    ]);
    expect(JSON.stringify(voters)).not.toContain(plain);
    await eventually(async () => {
      const rows = await env.db
        .selectFrom('notifications')
        .select(['recipient', 'status'])
        .where('template', '=', 'sampling_voter_code')
        .execute();
      return rows.every((r) => r.status === 'sent') && rows;
    });
    const stored = await env.db.selectFrom('notifications').selectAll().where('template', '=', 'sampling_voter_code').execute();
    expect(JSON.stringify(stored)).not.toContain(plain);
    expect(JSON.stringify(stored)).not.toContain('accessCodeSealed');
  });

  it('allows 5 tries per code, expires codes after 15 minutes, and uses each code once', async () => {
    const c = await votingCampaign(1);
    const email = 'guesser@example.com';
    await postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email }, fromClient(20));
    const code = await codeFor(smtp, email);
    const wrong = code === '000000' ? '000001' : '000000';
    const verify = (value: string) =>
      postJson(env.app, '/api/v1/sampling/voters/verify', { campaignId: c.id, email, code: value }, fromClient(20));
    const tries = await Promise.all(Array.from({ length: 8 }, () => verify(wrong)));
    expect(tries.map((r) => r.status)).toEqual(Array(8).fill(401));
    const left = await Promise.all(tries.map(async (r) => (await readJson(r)).error.details.triesLeft as number));
    expect(left.filter((n) => n > 0).sort()).toEqual([1, 2, 3, 4]); // 5 tries counted, then none
    expect((await verify(code)).status).toBe(401); // even the right code, once the tries are used

    await postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email }, fromClient(20));
    const fresh = await codeFor(smtp, email, 1);
    expect((await verify(fresh)).status).toBe(200);
    expect((await verify(fresh)).status).toBe(401); // single use

    await postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email: 'slow@example.com' }, fromClient(21));
    const slow = await codeFor(smtp, 'slow@example.com');
    await env.db
      .updateTable('sampling_voters')
      .set({ code_expires_at: new Date(Date.now() - 1) })
      .where('campaign_id', '=', c.id)
      .execute();
    const expired = await postJson(
      env.app,
      '/api/v1/sampling/voters/verify',
      { campaignId: c.id, email: 'slow@example.com', code: slow },
      { ...fromClient(21), 'accept-language': 'en' },
    );
    expect(expired.status).toBe(401);
    expect((await readJson(expired)).error.message).toBe('the code has expired; request a new one');
  });

  it('limits codes per address and requests per client', async () => {
    const c = await votingCampaign(1);
    const ask = (email: string, client: number) =>
      postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email }, fromClient(client));
    const perAddress = [];
    for (let i = 0; i < 4; i++) perAddress.push((await ask('busy@example.com', 100 + i)).status);
    expect(perAddress).toEqual([202, 202, 202, 429]);
    const refused = await ask('busy@example.com', 200);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await readJson(refused)).error.code).toBe('rate_limited');

    const perClient = [];
    for (let i = 0; i < 11; i++) perClient.push((await ask(`person${i}@example.com`, 300)).status);
    expect(perClient.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(perClient[10]).toBe(429);
  });
});

describe('vote stuffing', () => {
  it('refuses a second vote, votes past K, forged, expired and other campaigns’ tokens', async () => {
    const c = await votingCampaign(3, { votesPerVoter: 2 });
    const other = await votingCampaign(1);
    const [a, b, third] = c.nominations as [number, number, number];
    const token = await voterToken(env, smtp, c.id, 'stuffer@example.com', { client: 30 });

    const first = await vote(env, a, token);
    expect(first.status).toBe(201);
    expect(await readJson(first)).toEqual({ nominationId: a, votes: 1, votesLeft: 1 });
    const again = await vote(env, a, token);
    expect(again.status).toBe(409);
    expect((await readJson(again)).error.code).toBe('already_voted');
    expect((await vote(env, b, token)).status).toBe(201);
    const over = await vote(env, third, token);
    expect(over.status).toBe(409);
    expect((await readJson(over)).error.code).toBe('vote_limit_reached');

    const secret = env.config.AUTH_SECRET;
    const [, voterId] = token.split('.');
    const forged = signVoterToken('not-the-server-secret-0123456789abcdef', {
      voterId: Number(voterId),
      campaignId: c.id,
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const expired = signVoterToken(secret, { voterId: Number(voterId), campaignId: c.id, expiresAt: new Date(Date.now() - 1000) });
    const otherToken = await voterToken(env, smtp, other.id, 'elsewhere@example.com', { client: 31 });
    const tampered = token.replace(`.${c.id}.`, `.${other.id}.`);
    for (const bad of [forged, expired, otherToken, tampered, 'garbage']) {
      const res = await vote(env, third, bad);
      expect(res.status).toBe(401);
      expect((await readJson(res)).error.code).toBe('unauthorized');
    }
    expect(await votesOf(c.id, third)).toBe(0);
    expect(await votesOf(c.id, a)).toBe(1);
  });

  it('counts 200 distinct voters voting at once exactly', async () => {
    const c = await votingCampaign(1);
    const [target] = c.nominations as [number];
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) => voterToken(env, smtp, c.id, `crowd${i}@example.com`, { client: 1000 + i })),
    );
    const results = await Promise.all(tokens.map((t, i) => vote(env, target, t, 1000 + i)));
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    expect(await votesOf(c.id, target)).toBe(200);
    const { n } = await env.db
      .selectFrom('sampling_votes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('nomination_id', '=', target)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(200);
  }, 120_000);

  it('holds one voter to one vote per nomination and K votes, however many requests race', async () => {
    const c = await votingCampaign(6, { votesPerVoter: 3 });
    const token = await voterToken(env, smtp, c.id, 'racer@example.com', { client: 40 });
    const sameNomination = await Promise.all(Array.from({ length: 6 }, () => vote(env, c.nominations[0]!, token, 40)));
    expect(sameNomination.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const spread = await Promise.all(c.nominations.slice(1).map((id) => vote(env, id, token, 40)));
    const codes = await Promise.all(spread.map(async (r) => (r.status === 201 ? 'counted' : (await readJson(r)).error.code)));
    expect(codes.filter((x) => x === 'counted')).toHaveLength(2);
    expect(codes.filter((x) => x === 'vote_limit_reached')).toHaveLength(3);
    expect(await env.db.selectFrom('sampling_votes').selectAll().where('campaign_id', '=', c.id).execute()).toHaveLength(3);
  });
});

describe('moderation', () => {
  it('merges a duplicate: its votes follow, once per voter, and voting for it counts for the one it went into', async () => {
    const c = await votingCampaign(2, { votesPerVoter: 2 });
    const [keep, duplicate] = c.nominations as [number, number];
    const both = await voterToken(env, smtp, c.id, 'both@example.com', { client: 50 });
    const onlyDup = await voterToken(env, smtp, c.id, 'dup@example.com', { client: 51 });
    const onlyKeep = await voterToken(env, smtp, c.id, 'keep@example.com', { client: 52 });
    for (const [id, t] of [
      [keep, both],
      [duplicate, both],
      [duplicate, onlyDup],
      [keep, onlyKeep],
    ] as const) {
      expect((await vote(env, id, t)).status).toBe(201);
    }
    expect(await votesOf(c.id, keep)).toBe(2);
    expect(await votesOf(c.id, duplicate)).toBe(2);

    const merged = await postJson(
      env.app,
      `/api/v1/sampling/nominations/${duplicate}/moderation`,
      { decision: 'merge', mergeInto: keep, reason: '重复提名' },
      regulator,
    );
    expect(merged.status).toBe(200);
    expect(await readJson(merged)).toMatchObject({ status: 'merged', mergedInto: keep, votes: 0 });
    expect(await votesOf(c.id, keep)).toBe(3); // both, dup and keep: "both" counts once
    expect((await publicNominations(c.id)).map((n) => n.id)).toEqual([keep]);

    const res = await vote(env, duplicate, onlyKeep); // a stale page: counts for the kept one, already voted for
    expect((await readJson(res)).error.code).toBe('already_voted');
    const late = await voterToken(env, smtp, c.id, 'late.voter@example.com', { client: 53 });
    const counted = await vote(env, duplicate, late);
    expect(await readJson(counted)).toEqual({ nominationId: keep, votes: 4, votesLeft: 1 });
    // The voter who voted for both has used one vote (one nomination now) and has one left.
    const sent = smtp.received.filter((m) => m.envelopeTo.includes('both@example.com')).length;
    await postJson(env.app, '/api/v1/sampling/voters', { campaignId: c.id, email: 'both@example.com' }, fromClient(54));
    const code = await codeFor(smtp, 'both@example.com', sent);
    const verified = await postJson(
      env.app,
      '/api/v1/sampling/voters/verify',
      { campaignId: c.id, email: 'both@example.com', code },
      fromClient(54),
    );
    expect(await readJson(verified)).toMatchObject({ votesPerVoter: 2, votesLeft: 1 });
  });

  it('keeps the count exact when a merge races with votes for both nominations', async () => {
    const c = await votingCampaign(2, { votesPerVoter: 2 });
    const [keep, duplicate] = c.nominations as [number, number];
    const tokens = await Promise.all(
      Array.from({ length: 30 }, (_, i) => voterToken(env, smtp, c.id, `race${i}@example.com`, { client: 600 + i })),
    );
    // The first half already voted for the duplicate; now everyone votes for the kept one while the merge happens.
    for (const [i, t] of tokens.slice(0, 15).entries()) expect((await vote(env, duplicate, t, 600 + i)).status).toBe(201);
    const [merged, ...votes] = await Promise.all([
      postJson(env.app, `/api/v1/sampling/nominations/${duplicate}/moderation`, { decision: 'merge', mergeInto: keep }, regulator),
      ...tokens.map((t, i) => vote(env, keep, t, 600 + i)),
    ]);
    expect(merged.status).toBe(200);
    const outcomes = await Promise.all(votes.map(async (r) => (r.status === 201 ? 'counted' : (await readJson(r)).error.code)));
    expect(outcomes.filter((o) => o !== 'counted' && o !== 'already_voted')).toEqual([]);
    const { n } = await env.db
      .selectFrom('sampling_votes as v')
      .innerJoin('sampling_nominations as x', 'x.id', 'v.nomination_id')
      .select((eb) => eb.fn.count<number>('v.voter_id').distinct().as('n'))
      .where((eb) => eb.or([eb('x.id', '=', keep), eb('x.merged_into_id', '=', keep)]))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(30);
    expect(await votesOf(c.id, keep)).toBe(30);
  });

  it('approves, rejects with a reason, refuses bad merges, and closes with the phase', async () => {
    const c = await createCampaign(env, regulator);
    await moveCampaign(env, regulator, c.id, 'nominating');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await readJson(await nominate(c.id, nominationBody({ productName: `待审 ${i}` }), 60 + i))).id);
    const [a, b, spam] = ids as [number, number, number];
    const moderate = (id: number, body: unknown) => postJson(env.app, `/api/v1/sampling/nominations/${id}/moderation`, body, regulator);
    expect((await moderate(spam, { decision: 'reject' })).status).toBe(400); // a reason is required
    expect(await readJson(await moderate(spam, { decision: 'reject', reason: '与产品质量无关' }))).toMatchObject({
      status: 'rejected',
      moderationReason: '与产品质量无关',
    });
    expect((await moderate(b, { decision: 'merge', mergeInto: a })).status).toBe(400); // a is not approved yet
    expect((await moderate(a, { decision: 'approve' })).status).toBe(200);
    expect((await moderate(a, { decision: 'approve' })).status).toBe(409);
    expect((await moderate(a, { decision: 'merge', mergeInto: a })).status).toBe(400);
    expect((await moderate(b, { decision: 'merge', mergeInto: a })).status).toBe(200);
    const queue = await readJson(await env.app.request(`/api/v1/sampling/campaigns/${c.id}/moderation`, { headers: regulator }));
    expect(queue.items.map((n: { status: string }) => n.status)).toEqual(['approved', 'merged', 'rejected']);
    expect((await publicNominations(c.id)).map((n) => n.id)).toEqual([a]);

    await moveCampaign(env, regulator, c.id, 'voting');
    await moveCampaign(env, regulator, c.id, 'selecting');
    const closed = await moderate(a, { decision: 'reject', reason: 'late' });
    expect((await readJson(closed)).error.code).toBe('phase_closed');
  });
});

describe('campaigns', () => {
  it('are created as drafts by regulators within their jurisdiction, editable only as drafts', async () => {
    const bad = await postJson(env.app, '/api/v1/sampling/campaigns', campaignBody({ jurisdictionCode: '410800' }), regulator);
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details[0].field).toBe('jurisdictionCode');
    const badWindows = await postJson(
      env.app,
      '/api/v1/sampling/campaigns',
      campaignBody({ votingOpensAt: new Date(Date.now() + 30 * 60_000).toISOString() }),
      regulator,
    );
    expect((await readJson(badWindows)).error.details.map((d: { field: string }) => d.field)).toEqual(['votingOpensAt']);

    const c = await createCampaign(env, regulator);
    expect(c.phase).toBe('draft');
    const patch = (body: unknown) =>
      env.app.request(`/api/v1/sampling/campaigns/${c.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...regulator },
        body: JSON.stringify(body),
      });
    expect(await readJson(await patch({ quota: 5, title: '改过的标题' }))).toMatchObject({ quota: 5, title: '改过的标题', phase: 'draft' });
    expect((await patch({ votingClosesAt: new Date(Date.now() + 90 * 60_000).toISOString() })).status).toBe(400);
    const inspector = await signIn(env, demo.hongqi);
    expect((await postJson(env.app, '/api/v1/sampling/campaigns', campaignBody(), inspector)).status).toBe(403);
    await moveCampaign(env, regulator, c.id, 'nominating');
    expect((await patch({ quota: 6 })).status).toBe(409);
    const skip = await postJson(env.app, `/api/v1/sampling/campaigns/${c.id}/transitions`, { to: 'selecting' }, regulator);
    expect(skip.status).toBe(409);
    expect((await readJson(skip)).error.details).toEqual({ current: 'nominating', allowed: ['voting'] });
  });
});

describe('hostile input', () => {
  let client = 70_000;
  const next = () => fromClient(client++);

  it('never answers a random nomination, code request, verification or vote with a 5xx', async () => {
    const open = await createCampaign(env, regulator);
    await moveCampaign(env, regulator, open.id, 'nominating');
    const voting = await votingCampaign(1);
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          productName: fc.string({ maxLength: 300 }),
          merchant: fc.record(
            { name: fc.string(), districtCode: fc.oneof(fc.constant('410702'), fc.string({ maxLength: 8 })) },
            { requiredKeys: [] },
          ),
          reason: fc.string({ unit: 'binary', maxLength: 50 }),
          category: fc.string({ maxLength: 20 }),
          nominator: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.jsonValue(), fc.stringMatching(/^[\x21-\x7e]{0,120}$/), async (nomination, other, token) => {
        const responses = [
          await postJson(env.app, `/api/v1/sampling/campaigns/${open.id}/nominations`, nomination, next()),
          await postJson(env.app, '/api/v1/sampling/voters', other, next()),
          await postJson(env.app, '/api/v1/sampling/voters/verify', other, next()),
          await vote(env, voting.nominations[0]!, token, client++),
        ];
        for (const r of responses) expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
    expect(await votesOf(voting.id, voting.nominations[0]!)).toBe(0);
  }, 120_000);
});
