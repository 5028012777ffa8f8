import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { seal } from '../../shared/crypto/index.js';
import { withTransaction, type DbOrTx } from '../../shared/db/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import { queueNotification } from '../../shared/mail/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  emailHash,
  newVoterCode,
  readVoterToken,
  signVoterToken,
  voterCodeHash,
  voterCodeMatches,
  voterLimits,
  votingOpen,
  type CampaignRow,
  type VoterCodeRequest,
} from '../../shared/sampling/index.js';
import { publicCampaign } from './scope.js';

/** Per-address limit on code emails, on top of the per-client limit of the route: 3 codes per 15 minutes. */
export const CODES_PER_ADDRESS = { perWindow: 3, windowSeconds: 15 * 60 } as const;

function requireVoting(c: CampaignRow, now: Date) {
  if (!votingOpen({ phase: c.phase, votingClosesAt: c.voting_closes_at }, now)) {
    throw new DomainError('phase_closed', 'this campaign is not taking votes now', { phase: c.phase });
  }
}

/**
 * Sends a 6-digit code to an address so its owner can vote. Only the address's keyed hash is stored unless its
 * owner asks for the results; the code is stored as a keyed hash too, and the notification forgets the address once
 * sent. A new request replaces the previous code and its tries.
 */
export async function requestVoterCode(ctx: ServiceContext, { input }: { input: VoterCodeRequest }) {
  const now = new Date();
  const secret = ctx.config.AUTH_SECRET;
  const c = await publicCampaign(ctx.db, input.campaignId);
  requireVoting(c, now);
  const hash = emailHash(secret, input.email);
  const limit = await ctx.rateLimits.hit('sampling-voter-code-address', CODES_PER_ADDRESS.perWindow, hash, CODES_PER_ADDRESS.windowSeconds);
  if (!limit.allowed) {
    throw new DomainError('rate_limited', 'too many codes for this address; try again later', {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const code = newVoterCode();
  const expiresAt = new Date(now.getTime() + voterLimits.codeTtlMinutes * 60_000);
  const notify = input.notifyResults === true;
  await withTransaction(ctx.db, async (tx) => {
    const voter = await tx
      .insertInto('sampling_voters')
      .values({
        campaign_id: c.id,
        email_hash: hash,
        email: notify ? input.email : null,
        notify_results: notify,
        language: input.language ?? 'zh-CN',
      })
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'email_hash']).doUpdateSet({
          email: sql`excluded.email`,
          notify_results: sql`excluded.notify_results`,
          language: sql`excluded.language`,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('sampling_voters')
      .set({ code_hash: voterCodeHash(secret, voter.id, code), code_expires_at: expiresAt, code_attempts: 0 })
      .where('id', '=', voter.id)
      .execute();
    await queueNotification(tx, {
      dedupeKey: `sampling-voter-code:${voter.id}:${randomUUID()}`,
      itemId: null,
      recipient: input.email,
      template: 'sampling_voter_code',
      language: input.language ?? 'zh-CN',
      params: { campaignTitle: c.title, accessCodeSealed: seal(secret, code) },
    });
  });
  return { sent: true as const, expiresAt: expiresAt.toISOString() };
}

async function votesUsed(tx: DbOrTx, voterId: number): Promise<number> {
  const { n } = await tx
    .selectFrom('sampling_votes as v')
    .innerJoin('sampling_nominations as n', 'n.id', 'v.nomination_id')
    .select(sql<number>`count(DISTINCT coalesce(n.merged_into_id, n.id))::int`.as('n'))
    .where('v.voter_id', '=', voterId)
    .executeTakeFirstOrThrow();
  return n;
}

/**
 * Exchanges the emailed code for a voter token. A code is single-use, expires after 15 minutes and allows 5 tries;
 * the try is counted by a conditional update before the comparison, so parallel guesses cannot exceed it.
 */
export async function verifyVoter(ctx: ServiceContext, { campaignId, email, code }: { campaignId: number; email: string; code: string }) {
  const now = new Date();
  const secret = ctx.config.AUTH_SECRET;
  const c = await publicCampaign(ctx.db, campaignId);
  requireVoting(c, now);
  const voter = await ctx.db
    .selectFrom('sampling_voters')
    .select(['id', 'code_hash', 'code_expires_at'])
    .where('campaign_id', '=', c.id)
    .where('email_hash', '=', emailHash(secret, email))
    .executeTakeFirst();
  if (!voter?.code_hash || !voter.code_expires_at)
    throw new DomainError('unauthorized', 'no code is waiting for this address; request one');
  if (voter.code_expires_at <= now) throw new DomainError('unauthorized', 'the code has expired; request a new one', { triesLeft: 0 });
  const tried = await ctx.db
    .updateTable('sampling_voters')
    .set({ code_attempts: sql`code_attempts + 1` })
    .where('id', '=', voter.id)
    .where('code_hash', '=', voter.code_hash)
    .where('code_attempts', '<', voterLimits.codeTries)
    .returning('code_attempts')
    .executeTakeFirst();
  if (!tried) throw new DomainError('unauthorized', 'too many wrong codes; request a new one', { triesLeft: 0 });
  if (!voterCodeMatches(secret, voter.id, code, voter.code_hash)) {
    throw new DomainError('unauthorized', 'wrong code', { triesLeft: voterLimits.codeTries - tried.code_attempts });
  }
  const used = await ctx.db
    .updateTable('sampling_voters')
    .set({ code_hash: null, code_expires_at: null, verified_at: sql`coalesce(verified_at, now())` })
    .where('id', '=', voter.id)
    .where('code_hash', '=', voter.code_hash)
    .returning('id')
    .executeTakeFirst();
  if (!used) throw new DomainError('unauthorized', 'this code has just been used; request a new one');
  const expiresAt = new Date(Math.min(now.getTime() + voterLimits.tokenTtlHours * 3_600_000, c.voting_closes_at.getTime()));
  return {
    voterToken: signVoterToken(secret, { voterId: voter.id, campaignId: c.id, expiresAt }),
    expiresAt: expiresAt.toISOString(),
    votesPerVoter: c.votes_per_voter,
    votesLeft: Math.max(0, c.votes_per_voter - (await votesUsed(ctx.db, voter.id))),
  };
}

/**
 * One vote of a verified voter for an approved nomination (a vote for a merged duplicate counts for the nomination it
 * went into). Exact under concurrency: the voter's row is locked, then the nomination's, and only then are the rules
 * checked (one vote per nomination, duplicates included; at most K per campaign) and the counter incremented; a merge
 * holds the same nomination locks, and a phase change waits for the share lock every vote holds on the campaign.
 */
export async function castVote(ctx: ServiceContext, { voterToken, nominationId }: { voterToken: string; nominationId: number }) {
  const now = new Date();
  const check = readVoterToken(ctx.config.AUTH_SECRET, voterToken, now);
  if (!check.ok)
    throw new DomainError('unauthorized', check.reason === 'expired' ? 'the voter token has expired; verify again' : 'invalid voter token');
  const { claims } = check;
  return withTransaction(ctx.db, async (tx) => {
    const clicked = await tx
      .selectFrom('sampling_nominations')
      .select(['id', 'campaign_id', 'merged_into_id'])
      .where('id', '=', nominationId)
      .executeTakeFirst();
    if (!clicked) throw notFound('nomination');
    if (clicked.campaign_id !== claims.campaignId) throw new DomainError('unauthorized', 'this voter token is for another campaign');
    const c = await publicCampaign(tx, clicked.campaign_id, 'share');
    requireVoting(c, now);
    const voter = await tx
      .selectFrom('sampling_voters')
      .select(['id', 'verified_at'])
      .where('id', '=', claims.voterId)
      .where('campaign_id', '=', c.id)
      .forUpdate()
      .executeTakeFirst();
    if (!voter?.verified_at) throw new DomainError('unauthorized', 'invalid voter token');
    const target = await tx
      .selectFrom('sampling_nominations')
      .select(['id', 'status', 'merged_into_id', 'vote_count'])
      .where('id', '=', clicked.merged_into_id ?? clicked.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (target.merged_into_id !== null) throw new DomainError('conflict', 'the nomination was merged meanwhile; vote again');
    if (target.status !== 'approved') throw notFound('nomination');

    const votedFor = await tx
      .selectFrom('sampling_votes as v')
      .innerJoin('sampling_nominations as n', 'n.id', 'v.nomination_id')
      .select('v.nomination_id')
      .where('v.voter_id', '=', voter.id)
      .where((eb) => eb.or([eb('n.id', '=', target.id), eb('n.merged_into_id', '=', target.id)]))
      .executeTakeFirst();
    if (votedFor) throw new DomainError('already_voted', 'you have already voted for this nomination', { nominationId: target.id });
    const used = await votesUsed(tx, voter.id);
    if (used >= c.votes_per_voter) {
      throw new DomainError('vote_limit_reached', `each voter has ${c.votes_per_voter} vote(s) in this campaign`, {
        votesPerVoter: c.votes_per_voter,
      });
    }
    await tx.insertInto('sampling_votes').values({ voter_id: voter.id, nomination_id: target.id, campaign_id: c.id }).execute();
    const counted = await tx
      .updateTable('sampling_nominations')
      .set({ vote_count: sql`vote_count + 1` })
      .where('id', '=', target.id)
      .returning('vote_count')
      .executeTakeFirstOrThrow();
    return { nominationId: target.id, votes: counted.vote_count, votesLeft: c.votes_per_voter - used - 1 };
  });
}
