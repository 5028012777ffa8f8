import { withTransaction } from '../shared/db/index.js';
import { applyPhaseChange, dueClockSteps, planPhaseChange } from '../shared/sampling/index.js';
import type { WorkerContext } from './context.js';
import { finaliseDueResults } from './sampling-finalise.js';
import { selectSamplingTasks } from './sampling-selection.js';

export interface SamplingClockResult {
  /** Phase steps taken at window times. */
  steps: number;
  /** Campaigns whose selection was made on this tick (blocked ones are retried on the next). */
  selected: number;
  finalised: number;
}

/**
 * The sampling clock, a scheduled job: moves campaigns whose window time has come (each step audited and applied
 * once: the row is locked and SKIP LOCKED leaves a campaign another worker is moving to that worker), makes the
 * selection of campaigns still waiting in selecting, and finalises results whose objection window has passed.
 */
export async function runSamplingClock(ctx: WorkerContext, now = new Date()): Promise<SamplingClockResult> {
  const due = await ctx.db
    .selectFrom('sampling_campaigns')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('phase', '=', 'draft'), eb('nomination_opens_at', '<=', now)]),
        eb.and([eb('phase', '=', 'nominating'), eb('voting_opens_at', '<=', now)]),
        eb.and([eb('phase', '=', 'voting'), eb('voting_closes_at', '<=', now)]),
      ]),
    )
    .execute();
  let steps = 0;
  for (const { id } of due) {
    steps += await withTransaction(ctx.db, async (tx) => {
      let campaign = await tx.selectFrom('sampling_campaigns').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
      let taken = 0;
      for (const step of campaign ? dueClockSteps(campaign.phase, windowsOf(campaign), now) : []) {
        const plan = planPhaseChange(campaign!.phase, step, 'clock');
        if (!plan.ok) break;
        campaign = await applyPhaseChange(tx, {
          campaign: campaign!,
          to: plan.to,
          actor: 'clock',
          actorId: null,
          secret: ctx.config.AUTH_SECRET,
          now,
        });
        if (!campaign) break;
        taken++;
      }
      return taken;
    });
  }

  const selecting = await ctx.db.selectFrom('sampling_campaigns').select('id').where('phase', '=', 'selecting').execute();
  let selected = 0;
  for (const { id } of selecting) if ((await selectSamplingTasks(ctx, id, now)).selected) selected++;

  return { steps, selected, finalised: await finaliseDueResults(ctx, now) };
}

const windowsOf = (c: { nomination_opens_at: Date; nomination_closes_at: Date; voting_opens_at: Date; voting_closes_at: Date }) => ({
  nominationOpensAt: c.nomination_opens_at,
  nominationClosesAt: c.nomination_closes_at,
  votingOpensAt: c.voting_opens_at,
  votingClosesAt: c.voting_closes_at,
});
