import { sql } from 'kysely';
import { jurisdictionPrefix, withinJurisdiction } from '../../shared/access/index.js';
import { withTransaction, type DbOrTx } from '../../shared/db/index.js';
import { DomainError, invalidFields } from '../../shared/errors/index.js';
import type { Language } from '../../shared/i18n/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  applyPhaseChange,
  DRAW_ALGORITHM,
  nominationStatuses,
  phaseLabel,
  planPhaseChange,
  recordSamplingEvent,
  windowProblems,
  type CampaignInput,
  type CampaignListQuery,
  type CampaignPatch,
  type CampaignPhase,
  type CampaignRow,
  type CampaignView,
  type SelectionProblem,
  type StaffCampaignView,
} from '../../shared/sampling/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { samplingEvents } from './events.js';
import { campaignForStaff, publicCampaign } from './scope.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

async function jurisdictionName(db: DbOrTx, code: string) {
  const j = await db.selectFrom('jurisdictions').select('full_name').where('code', '=', code).executeTakeFirst();
  return j?.full_name ?? code;
}

export function campaignView(c: CampaignRow, jurisdiction: string, lang: Language): CampaignView {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    jurisdictionCode: c.jurisdiction_code,
    jurisdictionName: jurisdiction,
    categories: c.categories,
    nominationOpensAt: c.nomination_opens_at.toISOString(),
    nominationClosesAt: c.nomination_closes_at.toISOString(),
    votingOpensAt: c.voting_opens_at.toISOString(),
    votingClosesAt: c.voting_closes_at.toISOString(),
    quota: c.quota,
    votesPerVoter: c.votes_per_voter,
    phase: c.phase,
    phaseLabel: phaseLabel(c.phase, lang),
    draw: {
      algorithm: DRAW_ALGORITHM,
      seedCommitment: c.seed_commitment,
      committedAt: iso(c.committed_at),
      revealedAt: iso(c.revealed_at),
    },
    publishedAt: iso(c.published_at),
    createdAt: c.created_at.toISOString(),
  };
}

/** A campaign's jurisdiction must be an existing division in the regulator's own subtree. */
async function checkJurisdiction(db: DbOrTx, staff: Principal, code: string) {
  const exists = await db.selectFrom('jurisdictions').select('code').where('code', '=', code).executeTakeFirst();
  if (!exists || !withinJurisdiction(staff.jurisdictionCode, code)) {
    throw invalidFields({ field: 'jurisdictionCode', message: 'not a division within your jurisdiction' });
  }
}

/** A regulator creates a campaign as a draft: editable, not public, opened by the clock at nominationOpensAt. */
export async function createCampaign(
  ctx: ServiceContext,
  { staff, input, language }: { staff: Principal; input: CampaignInput; language: Language },
) {
  return withTransaction(ctx.db, async (tx) => {
    await checkJurisdiction(tx, staff, input.jurisdictionCode);
    const row = await tx
      .insertInto('sampling_campaigns')
      .values({
        title: input.title,
        description: input.description,
        jurisdiction_code: input.jurisdictionCode,
        categories: input.categories,
        nomination_opens_at: new Date(input.nominationOpensAt),
        nomination_closes_at: new Date(input.nominationClosesAt),
        voting_opens_at: new Date(input.votingOpensAt),
        voting_closes_at: new Date(input.votingClosesAt),
        quota: input.quota,
        votes_per_voter: input.votesPerVoter,
        created_by: staff.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordSamplingEvent(tx, { campaignId: row.id, action: 'campaign_created', actorId: staff.id, data: {} });
    return campaignView(row, await jurisdictionName(tx, row.jurisdiction_code), language);
  });
}

const patchColumns = {
  title: 'title',
  description: 'description',
  jurisdictionCode: 'jurisdiction_code',
  categories: 'categories',
  nominationOpensAt: 'nomination_opens_at',
  nominationClosesAt: 'nomination_closes_at',
  votingOpensAt: 'voting_opens_at',
  votingClosesAt: 'voting_closes_at',
  quota: 'quota',
  votesPerVoter: 'votes_per_voter',
} as const satisfies Record<keyof CampaignPatch, keyof CampaignRow>;

/** Changes a draft; once nominations open the campaign's terms are fixed. */
export async function updateCampaign(
  ctx: ServiceContext,
  { staff, campaignId, patch, language }: { staff: Principal; campaignId: number; patch: CampaignPatch; language: Language },
) {
  return withTransaction(ctx.db, async (tx) => {
    const c = await campaignForStaff(tx, staff, campaignId, 'update');
    if (c.phase !== 'draft') throw new DomainError('conflict', 'only a draft campaign can be changed', { current: c.phase });
    if (patch.jurisdictionCode !== undefined) await checkJurisdiction(tx, staff, patch.jurisdictionCode);
    const set: Record<string, unknown> = { updated_at: new Date() };
    for (const [field, value] of Object.entries(patch) as Array<[keyof CampaignPatch, unknown]>) {
      set[patchColumns[field]] = field.endsWith('At') ? new Date(value as string) : value;
    }
    const merged = { ...c, ...set };
    const problems = windowProblems({
      nominationOpensAt: merged.nomination_opens_at,
      nominationClosesAt: merged.nomination_closes_at,
      votingOpensAt: merged.voting_opens_at,
      votingClosesAt: merged.voting_closes_at,
    });
    if (problems.length) throw invalidFields(...problems);
    const row = await tx.updateTable('sampling_campaigns').set(set).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow();
    await recordSamplingEvent(tx, {
      campaignId: c.id,
      action: 'campaign_updated',
      actorId: staff.id,
      data: { fields: Object.keys(patch) },
    });
    return campaignView(row, await jurisdictionName(tx, row.jurisdiction_code), language);
  });
}

function campaignList(db: DbOrTx, q: CampaignListQuery) {
  return db
    .selectFrom('sampling_campaigns as c')
    .innerJoin('jurisdictions as j', 'j.code', 'c.jurisdiction_code')
    .selectAll('c')
    .select('j.full_name as jurisdiction_name')
    .$if(q.phase !== undefined, (b) => b.where('c.phase', '=', q.phase!))
    .orderBy('c.voting_closes_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(q.limit)
    .offset(q.offset);
}

/** Campaigns the public can see (no drafts), the most recent first. */
export async function listPublicCampaigns(ctx: ServiceContext, { query, language }: { query: CampaignListQuery; language: Language }) {
  const rows = await campaignList(ctx.db, query).where('c.phase', '<>', 'draft').execute();
  return { items: rows.map((r) => campaignView(r, r.jurisdiction_name, language)) };
}

export async function getPublicCampaign(ctx: ServiceContext, { campaignId, language }: { campaignId: number; language: Language }) {
  const c = await publicCampaign(ctx.db, campaignId);
  return campaignView(c, await jurisdictionName(ctx.db, c.jurisdiction_code), language);
}

/** Every campaign of the caller's jurisdiction subtree, drafts included. */
export async function listManagedCampaigns(
  ctx: ServiceContext,
  { staff, query, language }: { staff: Principal; query: CampaignListQuery; language: Language },
) {
  const rows = await campaignList(ctx.db, query)
    .where('c.jurisdiction_code', 'like', `${jurisdictionPrefix(staff.jurisdictionCode)}%`)
    .execute();
  return { items: rows.map((r) => campaignView(r, r.jurisdiction_name, language)) };
}

/** The staff view: the campaign with its counts, the selection problem if any, and its audit trail. */
export async function getStaffCampaign(
  ctx: ServiceContext,
  { staff, campaignId, language }: { staff: Principal; campaignId: number; language: Language },
): Promise<StaffCampaignView> {
  const c = await campaignForStaff(ctx.db, staff, campaignId);
  return staffCampaignView(ctx.db, c, language);
}

async function staffCampaignView(db: DbOrTx, c: CampaignRow, language: Language): Promise<StaffCampaignView> {
  const [byStatus, voters, votes, tasks, events] = await Promise.all([
    db
      .selectFrom('sampling_nominations')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('campaign_id', '=', c.id)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('sampling_voters')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('campaign_id', '=', c.id)
      .where('verified_at', 'is not', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sampling_votes')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('campaign_id', '=', c.id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sampling_tasks')
      .select([sql<number>`count(*)::int`.as('n'), sql<number>`count(*) FILTER (WHERE status = 'final')::int`.as('final')])
      .where('campaign_id', '=', c.id)
      .executeTakeFirstOrThrow(),
    samplingEvents(db, { campaignId: c.id }),
  ]);
  const nominations = Object.fromEntries(nominationStatuses.map((s) => [s, byStatus.find((r) => r.status === s)?.n ?? 0])) as Record<
    (typeof nominationStatuses)[number],
    number
  >;
  return {
    ...campaignView(c, await jurisdictionName(db, c.jurisdiction_code), language),
    createdBy: c.created_by,
    selectionProblem: c.selection_problem as SelectionProblem | null,
    counts: { nominations, voters: voters.n, votes: votes.n, tasks: tasks.n, finalTasks: tasks.final },
    events,
  };
}

/**
 * A regulator moves a campaign one phase forward by hand (the clock does the same at the window times). Publication
 * is refused while any result is not final; selecting → sampling belongs to the selection job.
 */
export async function transitionCampaign(
  ctx: ServiceContext,
  { staff, campaignId, to, language }: { staff: Principal; campaignId: number; to: CampaignPhase; language: Language },
) {
  return withTransaction(ctx.db, async (tx) => {
    const c = await campaignForStaff(tx, staff, campaignId, 'update');
    const plan = planPhaseChange(c.phase, to, 'staff');
    if (!plan.ok) {
      const message =
        c.phase === 'selecting' && to === 'sampling'
          ? 'the selection job moves the campaign to sampling once the tasks and their draws exist'
          : `cannot move from ${c.phase} to ${to}`;
      throw new DomainError('conflict', message, { current: c.phase, allowed: plan.allowed });
    }
    if (to === 'published') {
      const pending = await tx
        .selectFrom('sampling_tasks')
        .select(['id', 'status'])
        .where('campaign_id', '=', c.id)
        .where('status', '<>', 'final')
        .orderBy('id')
        .execute();
      if (pending.length > 0) {
        throw new DomainError('results_not_final', `${pending.length} result(s) are not final yet`, {
          tasks: pending.map((t) => ({ taskId: t.id, status: t.status })),
        });
      }
    }
    const updated = await applyPhaseChange(tx, {
      campaign: c,
      to: plan.to,
      actor: 'staff',
      actorId: staff.id,
      secret: ctx.config.AUTH_SECRET,
      now: new Date(),
    });
    if (!updated) throw new DomainError('conflict', 'the campaign changed meanwhile; reload it');
    return staffCampaignView(tx, updated, language);
  });
}
