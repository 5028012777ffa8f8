import { jurisdictionPrefix } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import type { DbOrTx, SamplingResultTable } from '../../shared/db/index.js';
import { DomainError } from '../../shared/errors/index.js';
import type { Language } from '../../shared/i18n/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  resultNotice,
  resultNoticeLetter,
  retestRefundDue,
  type ResultNoticeFacts,
  type ResultView,
  type TaskDetail,
  type TaskStatus,
} from '../../shared/sampling/index.js';
import type { Principal } from '../../shared/staff/index.js';
import type { Selectable } from 'kysely';
import { listSamplingTaskAttachments } from '../attachments/index.js';
import { samplingEvents } from './events.js';
import { taskForStaff } from './scope.js';

const fromFen = (fen: number | null) => (fen === null ? null : fen / 100);

/** Tasks in the caller's jurisdiction subtree, or only those the caller was drawn for (`mine`). */
export async function listTasks(
  ctx: ServiceContext,
  {
    staff,
    mine,
    campaignId,
    status,
  }: { staff: Principal; mine: boolean; campaignId?: number | undefined; status?: TaskStatus | undefined },
) {
  const rows = await ctx.db
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_nominations as n', 'n.id', 't.nomination_id')
    .select(['t.id', 't.campaign_id', 't.nomination_id', 'n.product_name', 'n.merchant_name', 't.district_code', 't.status', 't.verdict'])
    .where('t.district_code', 'like', `${jurisdictionPrefix(staff.jurisdictionCode)}%`)
    .$if(mine, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('sampling_task_inspectors as i')
            .select('i.task_id')
            .whereRef('i.task_id', '=', 't.id')
            .where('i.staff_id', '=', staff.id),
        ),
      ),
    )
    .$if(campaignId !== undefined, (q) => q.where('t.campaign_id', '=', campaignId!))
    .$if(status !== undefined, (q) => q.where('t.status', '=', status!))
    .orderBy('t.campaign_id', 'desc')
    .orderBy('t.rank')
    .limit(500)
    .execute();
  return {
    items: rows.map((t) => ({
      id: t.id,
      campaignId: t.campaign_id,
      nominationId: t.nomination_id,
      productName: t.product_name,
      merchantName: t.merchant_name,
      districtCode: t.district_code,
      status: t.status,
      ...(t.verdict ? { verdict: t.verdict } : {}),
    })),
  };
}

const resultView = (r: Selectable<SamplingResultTable>): ResultView => ({
  reportNo: r.report_no,
  labName: r.lab_name,
  items: r.items,
  verdict: r.verdict,
  recordedAt: r.recorded_at.toISOString(),
  recordedBy: r.recorded_by,
});

/** A task with its draw, collection, results, notice, objection, re-test, finality, follow-up and audit trail. */
export async function getTask(ctx: ServiceContext, { staff, taskId }: { staff: Principal; taskId: number }): Promise<TaskDetail> {
  await taskForStaff(ctx.db, staff, taskId);
  return taskDetail(ctx, ctx.db, taskId);
}

export async function taskDetail(ctx: ServiceContext, db: DbOrTx, taskId: number): Promise<TaskDetail> {
  const t = await db
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_nominations as n', 'n.id', 't.nomination_id')
    .innerJoin('sampling_campaigns as c', 'c.id', 't.campaign_id')
    .leftJoin('items as f', 'f.id', 't.follow_up_item_id')
    .selectAll('t')
    .select([
      'n.product_name',
      'n.brand',
      'n.model',
      'n.merchant_name',
      'n.merchant_address',
      'c.title as campaign_title',
      'f.case_id as follow_up_case_id',
      'f.tracking_no as follow_up_tracking_no',
    ])
    .where('t.id', '=', taskId)
    .executeTakeFirstOrThrow();
  const [inspectors, results, events] = await Promise.all([
    db
      .selectFrom('sampling_task_inspectors as i')
      .innerJoin('staff as s', 's.id', 'i.staff_id')
      .select(['s.id', 's.name', 'i.pseudonym'])
      .where('i.task_id', '=', taskId)
      .orderBy('i.position')
      .execute(),
    db.selectFrom('sampling_results').selectAll().where('task_id', '=', taskId).execute(),
    samplingEvents(db, { taskId }),
  ]);
  const first = results.find((r) => r.stage === 'first');
  const retest = results.find((r) => r.stage === 'retest');
  return {
    id: t.id,
    campaignId: t.campaign_id,
    nominationId: t.nomination_id,
    productName: t.product_name,
    merchantName: t.merchant_name,
    districtCode: t.district_code,
    status: t.status,
    ...(t.verdict ? { verdict: t.verdict } : {}),
    campaignTitle: t.campaign_title,
    rank: t.rank,
    votes: t.votes,
    brand: t.brand,
    model: t.model,
    category: t.category,
    merchantAddress: t.merchant_address,
    inspectors: inspectors.map((s) => ({ id: s.id, name: s.name, pseudonym: s.pseudonym })),
    collection:
      t.collected_at && t.collected_by !== null
        ? {
            sampleNo: t.sample_no!,
            quantity: t.quantity!,
            reserveQuantity: t.reserve_quantity!,
            sealNo: t.seal_no!,
            labName: t.lab_name!,
            pricePaidCny: fromFen(t.price_paid_fen)!,
            collectedAt: t.collected_at.toISOString(),
            collectedBy: t.collected_by,
            merchantEmail: t.merchant_email,
            manufacturer: t.manufacturer,
          }
        : null,
    results: first ? resultView(first) : null,
    notice:
      t.notice_method && t.notified_at
        ? {
            method: t.notice_method,
            issuedAt: t.notified_at.toISOString(),
            deliveryMethod: t.delivery_method,
            deliveredOn: t.delivered_on,
            objectionWindowEndsOn: t.objection_window_ends_on,
          }
        : null,
    objection:
      t.objection_received_on && t.objection_by && t.objection_grounds
        ? {
            receivedOn: t.objection_received_on,
            by: t.objection_by,
            grounds: t.objection_grounds,
            disputedItems: t.objection_items ?? first?.items.map((i) => i.name) ?? [],
          }
        : null,
    retest:
      retest && first
        ? { ...resultView(retest), feePaidCny: fromFen(retest.fee_paid_fen), refundDue: retestRefundDue(first.items, retest.items) }
        : null,
    waiver: t.waiver_received_on ? { receivedOn: t.waiver_received_on } : null,
    final:
      t.final_basis && t.finalised_at && t.verdict ? { basis: t.final_basis, at: t.finalised_at.toISOString(), verdict: t.verdict } : null,
    followUpCaseId: t.follow_up_case_id ?? null,
    followUpTrackingNo: t.follow_up_tracking_no ?? null,
    photos: await listSamplingTaskAttachments(ctx, { taskId }),
    events,
  };
}

/** What the result notice says about a task whose first result is recorded. */
export async function noticeFacts(db: DbOrTx, taskId: number): Promise<ResultNoticeFacts> {
  const t = await db
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_nominations as n', 'n.id', 't.nomination_id')
    .innerJoin('sampling_campaigns as c', 'c.id', 't.campaign_id')
    .innerJoin('jurisdictions as j', 'j.code', 'c.jurisdiction_code')
    .innerJoin('sampling_results as r', (join) => join.onRef('r.task_id', '=', 't.id').on('r.stage', '=', 'first'))
    .select([
      'j.bureau_name',
      'c.title',
      'n.merchant_name',
      'n.product_name',
      'n.brand',
      'n.model',
      't.sample_no',
      't.collected_at',
      't.notified_at',
      't.objection_window_ends_on',
      'r.lab_name',
      'r.report_no',
      'r.verdict',
      'r.items',
    ])
    .where('t.id', '=', taskId)
    .executeTakeFirstOrThrow();
  return {
    bureauName: t.bureau_name,
    campaignTitle: t.title,
    merchantName: t.merchant_name,
    productName: t.product_name,
    brand: t.brand,
    model: t.model,
    sampleNo: t.sample_no ?? '',
    collectedOn: t.collected_at ? shanghaiDate(t.collected_at) : '',
    labName: t.lab_name ?? '',
    reportNo: t.report_no,
    verdict: t.verdict,
    failedItems: t.items
      .filter((i) => i.verdict === 'fail')
      .map((i) => ({ name: i.name, standardClause: i.standardClause, limit: i.limit, measured: i.measured, unit: i.unit })),
    issuedOn: shanghaiDate(t.notified_at ?? new Date()),
    objectionWindowEndsOn: t.objection_window_ends_on,
  };
}

/** What the result notice says (subject and paragraphs), once the lab results are recorded. */
export async function getResultNotice(
  ctx: ServiceContext,
  { staff, taskId, language }: { staff: Principal; taskId: number; language: Language },
) {
  return resultNotice(language, await noticeFactsOnceNotified(ctx, staff, taskId));
}

/** The result notice as a printable letter, for a merchant without a known email address (or for the file). */
export async function getResultLetter(
  ctx: ServiceContext,
  { staff, taskId, language }: { staff: Principal; taskId: number; language: Language },
) {
  return resultNoticeLetter(language, await noticeFactsOnceNotified(ctx, staff, taskId));
}

async function noticeFactsOnceNotified(ctx: ServiceContext, staff: Principal, taskId: number) {
  const { task } = await taskForStaff(ctx.db, staff, taskId);
  if (task.notified_at === null) throw new DomainError('conflict', 'the lab results are not recorded yet', { current: task.status });
  return noticeFacts(ctx.db, taskId);
}
