import type { Selectable } from 'kysely';
import { withinJurisdiction } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import { merchantKey } from '../../shared/complaints/index.js';
import { withTransaction, type DbOrTx, type SamplingNominationTable } from '../../shared/db/index.js';
import { DomainError, invalidFields, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  emailHash,
  recentSampling,
  moderationOpen,
  nominationsOpen,
  productKey,
  recordSamplingEvent,
  recountVotes,
  repeatSamplingAllowedFrom,
  type ModerationInput,
  type NominationInput,
  type NominationStatus,
  type StaffNomination,
} from '../../shared/sampling/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { campaignForStaff, publicCampaign } from './scope.js';

type NominationRow = Selectable<SamplingNominationTable>;

/**
 * The public nominates a product of a merchant in the campaign's jurisdiction while nominations are open. It waits
 * for moderation; a product of a merchant this bureau sampled within 6 months is flagged to the moderator. The
 * nominator's address is kept only when they ask for the results.
 */
export async function nominate(ctx: ServiceContext, { campaignId, input }: { campaignId: number; input: NominationInput }) {
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
    // A share lock: a phase change waits for nominations in flight, and a nomination never lands after it.
    const c = await publicCampaign(tx, campaignId, 'share');
    if (!nominationsOpen({ phase: c.phase, nominationClosesAt: c.nomination_closes_at }, now)) {
      throw new DomainError('phase_closed', 'this campaign is not taking nominations now', { phase: c.phase });
    }
    const district = await tx
      .selectFrom('jurisdictions')
      .select(['code', 'level'])
      .where('code', '=', input.merchant.districtCode)
      .executeTakeFirst();
    if (!district || district.level !== 'county' || !withinJurisdiction(c.jurisdiction_code, district.code)) {
      throw invalidFields({
        field: 'merchant.districtCode',
        message: `must be a county-level district within the campaign’s jurisdiction (${c.jurisdiction_code})`,
      });
    }
    const category = input.category ?? (c.categories.length === 1 ? c.categories[0] : undefined);
    if (category === undefined || !c.categories.includes(category)) {
      throw invalidFields({ field: 'category', message: `one of the campaign’s categories: ${c.categories.join(', ')}` });
    }
    const key = merchantKey(input.merchant);
    const product = productKey(input);
    const repeat = await recentSampling(tx, { bureau: c.jurisdiction_code, merchantKey: key, productKey: product }, shanghaiDate(now));
    const notify = input.nominator?.notifyResults === true && input.nominator.email !== undefined;
    const row = await tx
      .insertInto('sampling_nominations')
      .values({
        campaign_id: c.id,
        category,
        product_name: input.productName,
        brand: input.brand ?? null,
        model: input.model ?? null,
        product_key: product,
        merchant_name: input.merchant.name,
        merchant_address: input.merchant.address ?? null,
        merchant_uscc: input.merchant.uscc ?? null,
        merchant_district_code: district.code,
        merchant_key: key,
        reason: input.reason,
        nominator_email: notify ? input.nominator!.email! : null,
        nominator_email_hash: notify ? emailHash(ctx.config.AUTH_SECRET, input.nominator!.email!) : null,
        notify_results: notify,
        language: input.nominator?.language ?? 'zh-CN',
        repeat_of_task_id: repeat?.taskId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, status: 'pending' as const };
  });
}

const publicView = (n: NominationRow) => ({
  id: n.id,
  productName: n.product_name,
  brand: n.brand,
  model: n.model,
  category: n.category,
  merchantName: n.merchant_name,
  districtCode: n.merchant_district_code,
  reason: n.reason,
  votes: n.vote_count,
  createdAt: n.created_at.toISOString(),
});

/** The approved nominations of a campaign with their votes, most voted first (ties: the earlier nomination). */
export async function listPublicNominations(ctx: ServiceContext, { campaignId }: { campaignId: number }) {
  const c = await publicCampaign(ctx.db, campaignId);
  const rows = await ctx.db
    .selectFrom('sampling_nominations')
    .selectAll()
    .where('campaign_id', '=', c.id)
    .where('status', '=', 'approved')
    .execute();
  const items = rows.map(publicView);
  items.sort((a, b) => b.votes - a.votes || a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  return { items };
}

async function staffView(db: DbOrTx, rows: NominationRow[]): Promise<StaffNomination[]> {
  const repeatIds = [...new Set(rows.flatMap((n) => (n.repeat_of_task_id === null ? [] : [n.repeat_of_task_id])))];
  const repeats = repeatIds.length
    ? await db
        .selectFrom('sampling_tasks')
        .select(['id', 'campaign_id', 'collected_at', 'created_at'])
        .where('id', 'in', repeatIds)
        .execute()
    : [];
  return rows.map((n) => {
    const r = repeats.find((t) => t.id === n.repeat_of_task_id);
    const sampledOn = r && shanghaiDate(r.collected_at ?? r.created_at);
    return {
      ...publicView(n),
      status: n.status,
      merchantAddress: n.merchant_address,
      moderationReason: n.moderation_reason,
      mergedInto: n.merged_into_id,
      moderatedAt: n.moderated_at?.toISOString() ?? null,
      repeatSampling: r
        ? { taskId: r.id, campaignId: r.campaign_id, sampledOn: sampledOn!, allowedFrom: repeatSamplingAllowedFrom(sampledOn!) }
        : null,
    };
  });
}

/** Every nomination of a campaign for its moderators, with flags; oldest first. */
export async function listNominationsForModeration(
  ctx: ServiceContext,
  { staff, campaignId, status }: { staff: Principal; campaignId: number; status?: NominationStatus | undefined },
) {
  const c = await campaignForStaff(ctx.db, staff, campaignId);
  const rows = await ctx.db
    .selectFrom('sampling_nominations')
    .selectAll()
    .where('campaign_id', '=', c.id)
    .$if(status !== undefined, (q) => q.where('status', '=', status!))
    .orderBy('id')
    .execute();
  return { items: await staffView(ctx.db, rows) };
}

/**
 * Approve, reject with a reason, or merge a duplicate into another approved nomination of the campaign. A merged
 * nomination's votes count for the one it went into, once per voter (the kept one's counter is recounted); nominations merged
 * into it earlier follow it. Allowed while nominations and votes are being gathered.
 */
export async function moderateNomination(
  ctx: ServiceContext,
  { staff, nominationId, decision }: { staff: Principal; nominationId: number; decision: ModerationInput },
): Promise<StaffNomination> {
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
    const found = await tx
      .selectFrom('sampling_nominations')
      .select(['id', 'campaign_id'])
      .where('id', '=', nominationId)
      .executeTakeFirst();
    if (!found) throw notFound('nomination');
    const c = await campaignForStaff(tx, staff, found.campaign_id, 'share').catch(() => {
      throw notFound('nomination');
    });
    if (!moderationOpen(c.phase))
      throw new DomainError('phase_closed', 'nominations are moderated only while nominating and voting', { phase: c.phase });
    const ids = decision.decision === 'merge' ? [nominationId, decision.mergeInto].sort((a, b) => a - b) : [nominationId];
    // Row locks in id order: a merge and a vote or another merge on the same nominations take turns.
    const locked = await tx.selectFrom('sampling_nominations').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
    const n = locked.find((r) => r.id === nominationId)!;
    const allowedFrom: Record<ModerationInput['decision'], NominationStatus[]> = {
      approve: ['pending'],
      reject: ['pending', 'approved'],
      merge: ['pending', 'approved'],
    };
    if (!allowedFrom[decision.decision].includes(n.status)) {
      throw new DomainError('conflict', `a ${n.status} nomination cannot be ${decision.decision}d`, { current: n.status });
    }
    if (decision.decision === 'approve') {
      // The same bureau does not sample the same product of the same merchant twice within 6 months.
      const key = { bureau: c.jurisdiction_code, merchantKey: n.merchant_key, productKey: n.product_key };
      const repeat = await recentSampling(tx, key, shanghaiDate(now));
      if (repeat) {
        throw new DomainError(
          'conflict',
          `this bureau sampled this product of this merchant on ${repeat.sampledOn}; it may be sampled again from ${repeat.allowedFrom}`,
          { repeatOfTaskId: repeat.taskId, sampledOn: repeat.sampledOn, allowedFrom: repeat.allowedFrom },
        );
      }
    }
    let mergedInto: number | null = null;
    if (decision.decision === 'merge') {
      const target = locked.find((r) => r.id === decision.mergeInto);
      if (!target || target.id === n.id || target.campaign_id !== n.campaign_id || target.status !== 'approved') {
        throw invalidFields({ field: 'mergeInto', message: 'must be another approved nomination of the same campaign' });
      }
      mergedInto = target.id;
      await tx.updateTable('sampling_nominations').set({ merged_into_id: target.id }).where('merged_into_id', '=', n.id).execute();
    }
    const status: NominationStatus = decision.decision === 'approve' ? 'approved' : decision.decision === 'reject' ? 'rejected' : 'merged';
    const updated = await tx
      .updateTable('sampling_nominations')
      .set({
        status,
        moderation_reason: decision.reason || null,
        merged_into_id: mergedInto,
        moderated_by: staff.id,
        moderated_at: now,
        ...(mergedInto === null ? {} : { vote_count: 0 }),
      })
      .where('id', '=', n.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (mergedInto !== null) {
      await tx
        .updateTable('sampling_nominations')
        .set({ vote_count: await recountVotes(tx, mergedInto) })
        .where('id', '=', mergedInto)
        .execute();
    }
    await recordSamplingEvent(tx, {
      campaignId: n.campaign_id,
      nominationId: n.id,
      actorId: staff.id,
      action: 'nomination_moderated',
      data: {
        decision: decision.decision,
        from: n.status,
        ...(decision.reason ? { reason: decision.reason } : {}),
        ...(mergedInto ? { mergeInto: mergedInto } : {}),
      },
    });
    return (await staffView(tx, [updated]))[0]!;
  });
}
