import { DomainError } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { DRAW_ALGORITHM, INSPECTORS_PER_TASK, samplingEventData, type DrawView } from '../../shared/sampling/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { campaignForStaff, publicCampaign } from './scope.js';

function tasksOf(ctx: ServiceContext, campaignId: number) {
  return ctx.db
    .selectFrom('sampling_tasks')
    .select(['id', 'nomination_id', 'district_code', 'draw'])
    .where('campaign_id', '=', campaignId)
    .orderBy('rank')
    .execute();
}

/**
 * The revealed draw: the seed and its commitment, the algorithm, and per task the sorted pseudonymous roster, the
 * exclusions and the drawn ids, so anyone can recompute every draw (docs/sampling-draw.md). Available once the
 * selection has revealed the seed.
 */
export async function getDraw(ctx: ServiceContext, { campaignId }: { campaignId: number }): Promise<DrawView> {
  const c = await publicCampaign(ctx.db, campaignId);
  if (!c.seed || !c.seed_commitment || !c.committed_at || !c.revealed_at) {
    throw new DomainError('conflict', 'the seed is revealed when the selection has been made', {
      phase: c.phase,
      seedCommitment: c.seed_commitment,
    });
  }
  const [tasks, selected] = await Promise.all([
    tasksOf(ctx, c.id),
    ctx.db.selectFrom('sampling_events').select('data').where('campaign_id', '=', c.id).where('action', '=', 'selected').executeTakeFirst(),
  ]);
  const skipped = samplingEventData.selected.safeParse(selected?.data).data?.skippedRepeats ?? [];
  return {
    campaignId: c.id,
    algorithm: DRAW_ALGORITHM,
    inspectorsPerTask: INSPECTORS_PER_TASK,
    seedCommitment: c.seed_commitment,
    seed: c.seed,
    committedAt: c.committed_at.toISOString(),
    revealedAt: c.revealed_at.toISOString(),
    tasks: tasks.map((t) => ({
      taskId: t.id,
      nominationId: t.nomination_id,
      districtCode: t.district_code,
      rosterSize: t.draw.roster.length,
      excludedCount: t.draw.excluded.length,
      roster: t.draw.roster.map((r) => r.pseudonym),
      excluded: t.draw.excluded,
      drawn: t.draw.drawn,
    })),
    passedOver: skipped.map((k) => ({ nominationId: k.nominationId, reason: 'sampled_within_6_months' as const, sampledOn: k.sampledOn })),
  };
}

/** For the campaign's regulators: who is behind each pseudonym of each task's roster. */
export async function getDrawRoster(ctx: ServiceContext, { staff, campaignId }: { staff: Principal; campaignId: number }) {
  const c = await campaignForStaff(ctx.db, staff, campaignId);
  const tasks = await tasksOf(ctx, c.id);
  const ids = [...new Set(tasks.flatMap((t) => t.draw.roster.map((r) => r.staffId)))];
  const names = ids.length ? await ctx.db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  return {
    tasks: tasks.map((t) => ({
      taskId: t.id,
      roster: t.draw.roster.map((r) => ({
        pseudonym: r.pseudonym,
        staffId: r.staffId,
        name: names.find((n) => n.id === r.staffId)?.name ?? '',
        excluded: t.draw.excluded.includes(r.pseudonym),
        drawn: t.draw.drawn.includes(r.pseudonym),
      })),
    })),
  };
}
