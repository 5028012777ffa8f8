import { sql } from 'kysely';
import { shanghaiDate } from '../shared/calendar/index.js';
import { normalizeMerchantName } from '../shared/complaints/index.js';
import { unseal } from '../shared/crypto/index.js';
import { withTransaction, type Tx } from '../shared/db/index.js';
import { checkUscc } from '../shared/identifiers/index.js';
import {
  applyPhaseChange,
  DrawError,
  drawInspectors,
  inspectorPseudonym,
  planPhaseChange,
  recentSampling,
  recordSamplingEvent,
  selectTopNominations,
  type SelectionProblem,
} from '../shared/sampling/index.js';
import type { WorkerContext } from './context.js';

export type SelectionResult =
  | { selected: true; tasks: number }
  | { selected: false; reason: 'not_selecting' }
  | { selected: false; reason: 'roster_too_small'; problem: SelectionProblem };

class SelectionBlocked extends Error {
  constructor(readonly problem: SelectionProblem) {
    super(problem.message);
  }
}

/**
 * The selection of a campaign whose voting has closed, in one transaction: the top `quota` approved nominations by
 * votes (ties: the earlier nomination) become tasks, each with its 双随机 draw of inspectors from the roster of the
 * merchant's county minus declared conflicts, keyed by the committed seed; then the seed is revealed and the
 * campaign moves to sampling. When a roster is too small for any task, nothing is kept: the problem is recorded on
 * the campaign for the regulators, and the clock job tries again until the roster allows. Safe to run twice or
 * concurrently: the campaign row is locked and the phase re-checked.
 */
export async function selectSamplingTasks(ctx: WorkerContext, campaignId: number, now = new Date()): Promise<SelectionResult> {
  try {
    return await withTransaction(ctx.db, async (tx) => {
      const campaign = await tx.selectFrom('sampling_campaigns').selectAll().where('id', '=', campaignId).forUpdate().executeTakeFirst();
      if (campaign?.phase !== 'selecting') return { selected: false, reason: 'not_selecting' } as const;
      if (!campaign.seed_sealed) throw new Error(`campaign ${campaignId} reached selection without a committed seed`);
      const seed = unseal(ctx.config.AUTH_SECRET, campaign.seed_sealed);

      const approved = await tx
        .selectFrom('sampling_nominations')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'approved')
        .execute();
      // Best first; one sampled by this bureau within 6 months since its approval (another campaign's task) gives its place
      // to the next, and the selection's event names it.
      const today = shanghaiDate(now);
      const best = selectTopNominations(
        approved.map((row) => ({ ...row, votes: row.vote_count, createdAt: row.created_at })),
        approved.length,
      );
      const ranked: typeof best = [];
      const skippedRepeats: Array<{ nominationId: number; repeatOfTaskId: number; sampledOn: string }> = [];
      const chosen = new Set<string>();
      for (const n of best) {
        if (ranked.length >= campaign.quota) break;
        // Two nominations of one product of one merchant left unmerged: the better one is sampled, once.
        const key = `${n.merchant_key}\u0000${n.product_key}`;
        if (chosen.has(key)) continue;
        const repeat = await recentSampling(
          tx,
          { bureau: campaign.jurisdiction_code, merchantKey: n.merchant_key, productKey: n.product_key },
          today,
        );
        if (repeat) skippedRepeats.push({ nominationId: n.id, repeatOfTaskId: repeat.taskId, sampledOn: repeat.sampledOn });
        else {
          ranked.push(n);
          chosen.add(key);
        }
      }

      const blocked: SelectionProblem['tasks'] = [];
      const made: Array<{ taskId: number; nominationId: number; rank: number; votes: number }> = [];
      for (const [i, n] of ranked.entries()) {
        const merchantId = await upsertMerchant(tx, n);
        const task = await tx
          .insertInto('sampling_tasks')
          .values({
            campaign_id: campaignId,
            nomination_id: n.id,
            rank: i + 1,
            votes: n.votes,
            merchant_id: merchantId,
            district_code: n.merchant_district_code,
            category: n.category,
            product_key: n.product_key,
            draw: JSON.stringify({ roster: [], excluded: [], drawn: [] }),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        try {
          await drawForTask(ctx, tx, {
            campaignId,
            taskId: task.id,
            seed,
            districtCode: n.merchant_district_code,
            merchantKey: n.merchant_key,
          });
          made.push({ taskId: task.id, nominationId: n.id, rank: i + 1, votes: n.votes });
        } catch (err) {
          if (!(err instanceof DrawError)) throw err;
          blocked.push({ nominationId: n.id, districtCode: n.merchant_district_code, needed: err.needed, available: err.available });
        }
      }
      if (blocked.length > 0) {
        throw new SelectionBlocked({
          message: `the inspector roster is too small for ${blocked.length} task(s): each needs at least ${blocked[0]!.needed} eligible inspectors`,
          tasks: blocked,
          at: now.toISOString(),
        });
      }

      await tx
        .updateTable('sampling_campaigns')
        .set({ seed, revealed_at: now, selection_problem: null })
        .where('id', '=', campaignId)
        .execute();
      const plan = planPhaseChange(campaign.phase, 'sampling', 'selection');
      if (!plan.ok) throw new Error('the selection may only move a selecting campaign to sampling');
      await applyPhaseChange(tx, { campaign, to: plan.to, actor: 'selection', actorId: null, secret: ctx.config.AUTH_SECRET, now });
      await recordSamplingEvent(tx, {
        campaignId,
        action: 'selected',
        data: { tasks: made, ...(skippedRepeats.length ? { skippedRepeats } : {}) },
      });
      return { selected: true, tasks: made.length } as const;
    });
  } catch (err) {
    if (!(err instanceof SelectionBlocked)) throw err;
    await recordBlockedSelection(ctx, campaignId, err.problem);
    return { selected: false, reason: 'roster_too_small', problem: err.problem };
  }
}

/**
 * One task's draw: the active inspectors of the merchant's county under their campaign pseudonyms, those with a
 * declared conflict with the merchant excluded, drawn by the committed seed and the task id.
 */
async function drawForTask(
  ctx: WorkerContext,
  tx: Tx,
  t: { campaignId: number; taskId: number; seed: string; districtCode: string; merchantKey: string },
) {
  const inspectors = await tx
    .selectFrom('staff')
    .select('id')
    .where('role', '=', 'inspector')
    .where('active', '=', true)
    .where('jurisdiction_code', '=', t.districtCode)
    .execute();
  const conflicted = await tx
    .selectFrom('sampling_conflicts')
    .select('staff_id')
    .where('merchant_key', '=', t.merchantKey)
    .where('withdrawn_at', 'is', null)
    .execute();
  const pseudonymOf = new Map(inspectors.map((s) => [s.id, inspectorPseudonym(ctx.config.AUTH_SECRET, t.campaignId, s.id)]));
  const staffOf = new Map([...pseudonymOf].map(([id, p]) => [p, id]));
  const outcome = drawInspectors({
    seed: t.seed,
    taskId: t.taskId,
    roster: [...pseudonymOf.values()],
    excluded: conflicted.flatMap((c) => pseudonymOf.get(c.staff_id) ?? []),
  });
  await tx
    .updateTable('sampling_tasks')
    .set({
      draw: JSON.stringify({
        roster: outcome.roster.map((pseudonym) => ({ pseudonym, staffId: staffOf.get(pseudonym)! })),
        excluded: outcome.excluded,
        drawn: outcome.drawn,
      }),
    })
    .where('id', '=', t.taskId)
    .execute();
  await tx
    .insertInto('sampling_task_inspectors')
    .values(outcome.drawn.map((pseudonym, i) => ({ task_id: t.taskId, staff_id: staffOf.get(pseudonym)!, pseudonym, position: i + 1 })))
    .execute();
}

/** The merchant of a nomination in the merchant register (the identity cases and repeat counts use). */
async function upsertMerchant(
  tx: Tx,
  n: {
    merchant_key: string;
    merchant_name: string;
    merchant_uscc: string | null;
    merchant_district_code: string;
    merchant_address: string | null;
  },
): Promise<number> {
  const uscc = n.merchant_uscc ? checkUscc(n.merchant_uscc) : undefined;
  const row = await tx
    .insertInto('merchants')
    .values({
      merchant_key: n.merchant_key,
      uscc: uscc?.valid ? uscc.code : null,
      name: n.merchant_name,
      normalized_name: normalizeMerchantName(n.merchant_name),
      district_code: n.merchant_district_code,
      address: n.merchant_address,
    })
    .onConflict((oc) =>
      oc.column('merchant_key').doUpdateSet({
        district_code: sql`coalesce(merchants.district_code, excluded.district_code)`,
        address: sql`coalesce(merchants.address, excluded.address)`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records why the selection cannot be made yet, once per distinct problem (the clock retries every tick). */
async function recordBlockedSelection(ctx: WorkerContext, campaignId: number, problem: SelectionProblem) {
  await withTransaction(ctx.db, async (tx) => {
    const { at: _at, ...essence } = problem;
    const changed = await tx
      .updateTable('sampling_campaigns')
      .set({ selection_problem: JSON.stringify(problem) })
      .where('id', '=', campaignId)
      .where('phase', '=', 'selecting')
      .where((eb) =>
        eb.or([eb('selection_problem', 'is', null), eb(sql`selection_problem - 'at'`, '<>', sql`${JSON.stringify(essence)}::jsonb`)]),
      )
      .returning('id')
      .executeTakeFirst();
    if (changed) {
      ctx.logger.warn({ campaignId, problem }, 'sampling selection blocked: inspector roster too small');
      await recordSamplingEvent(tx, { campaignId, action: 'selection_blocked', data: essence });
    }
  });
}
