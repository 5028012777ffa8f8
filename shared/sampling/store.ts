import { randomBytes } from 'node:crypto';
import { sql, type Selectable, type Updateable } from 'kysely';
import { shanghaiDate, type IsoDate } from '../calendar/index.js';
import { seal } from '../crypto/index.js';
import type { DbOrTx, SamplingCampaignTable, Tx } from '../db/index.js';
import { enqueue } from '../queue/index.js';
import { seedCommitment } from './draw.js';
import { isRepeatSampling, repeatSamplingAllowedFrom } from './time-limits.js';
import type { SamplingEventRecord } from './schemas.js';
import type { CampaignPhase, PhaseActor } from './vocabulary.js';

/** The database side of the sampling rules that both the API and the workers apply: the audit trail, phase steps, vote counts. */

export type CampaignRow = Selectable<SamplingCampaignTable>;

export async function recordSamplingEvent(
  db: DbOrTx,
  e: { campaignId: number; actorId?: number | null; taskId?: number | null; nominationId?: number | null } & SamplingEventRecord,
) {
  await db
    .insertInto('sampling_events')
    .values({
      campaign_id: e.campaignId,
      task_id: e.taskId ?? null,
      nomination_id: e.nominationId ?? null,
      actor_id: e.actorId ?? null,
      action: e.action,
      data: JSON.stringify(e.data),
    })
    .execute();
}

/**
 * Takes one phase step that the caller has planned (planPhaseChange) on a campaign row it has locked. The update is
 * conditional on the phase it was planned from, so of two concurrent steps exactly one happens; its effects and its
 * audit event are written in the same transaction: entering voting commits to a fresh secret seed, entering
 * selecting queues the selection job, publishing queues the results emails. Returns the updated row, or undefined
 * when the campaign had moved meanwhile.
 */
export async function applyPhaseChange(
  tx: Tx,
  input: { campaign: CampaignRow; to: CampaignPhase; actor: PhaseActor; actorId: number | null; secret: string; now: Date },
): Promise<CampaignRow | undefined> {
  const { campaign: c, to, now } = input;
  const set: Updateable<SamplingCampaignTable> = { phase: to, updated_at: now };
  let commitment: string | undefined;
  if (to === 'voting' && c.seed_sealed === null) {
    const seed = randomBytes(32).toString('hex');
    commitment = seedCommitment(seed);
    Object.assign(set, { seed_sealed: seal(input.secret, seed), seed_commitment: commitment, committed_at: now });
  }
  if (to === 'published') set.published_at = now;
  const updated = await tx
    .updateTable('sampling_campaigns')
    .set(set)
    .where('id', '=', c.id)
    .where('phase', '=', c.phase)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return undefined;
  await recordSamplingEvent(tx, {
    campaignId: c.id,
    action: 'phase_changed',
    actorId: input.actorId,
    data: { from: c.phase, to, by: input.actor },
  });
  if (commitment) await recordSamplingEvent(tx, { campaignId: c.id, action: 'seed_committed', data: { seedCommitment: commitment } });
  if (to === 'selecting') await enqueue(tx, 'sampling-campaign', { campaignId: c.id, step: 'select' });
  if (to === 'published') await enqueue(tx, 'sampling-campaign', { campaignId: c.id, step: 'mail_results' });
  return updated;
}

/**
 * The distinct voters of a nomination and of the duplicates merged into it: a voter who voted for both counts once.
 * The merge recounts with it (holding the nominations' locks) to set the kept nomination's counter.
 */
export async function recountVotes(db: DbOrTx, nominationId: number): Promise<number> {
  const { n } = await db
    .selectFrom('sampling_votes as v')
    .innerJoin('sampling_nominations as n', 'n.id', 'v.nomination_id')
    .select(sql<number>`count(DISTINCT v.voter_id)::int`.as('n'))
    .where((eb) => eb.or([eb('n.id', '=', nominationId), eb('n.merged_into_id', '=', nominationId)]))
    .executeTakeFirstOrThrow();
  return n;
}

/** This bureau's latest sampling of the same product of the same merchant, if any. */
export async function lastSampling(db: DbOrTx, k: { bureau: string; merchantKey: string; productKey: string }) {
  const row = await db
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_campaigns as c', 'c.id', 't.campaign_id')
    .innerJoin('merchants as m', 'm.id', 't.merchant_id')
    .select(['t.id', 't.campaign_id', 't.collected_at', 't.created_at'])
    .where('m.merchant_key', '=', k.merchantKey)
    .where('t.product_key', '=', k.productKey)
    .where('c.jurisdiction_code', '=', k.bureau)
    .orderBy((eb) => eb.fn.coalesce('t.collected_at', 't.created_at'), 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { taskId: row.id, campaignId: row.campaign_id, sampledOn: shanghaiDate(row.collected_at ?? row.created_at) };
}

/**
 * The sampling within the last 6 months that makes sampling this product of this merchant again a repeat for this
 * bureau (which the rules forbid, follow-up re-checks apart), if any.
 */
export async function recentSampling(db: DbOrTx, k: { bureau: string; merchantKey: string; productKey: string }, today: IsoDate) {
  const last = await lastSampling(db, k);
  return last && isRepeatSampling(last.sampledOn, today) ? { ...last, allowedFrom: repeatSamplingAllowedFrom(last.sampledOn) } : undefined;
}
