import { endOfShanghaiDay, shanghaiDate } from '../calendar/index.js';
import { queueForCategory, upsertOpenCase } from '../casework/index.js';
import { newTrackingNo, type SamplingFollowUpEvidence } from '../complaints/index.js';
import { hashAccessCode, randomCode } from '../crypto/index.js';
import type { Tx } from '../db/index.js';
import { finalItems } from './results.js';
import { recordSamplingEvent } from './store.js';
import { followUpDeadlines, type PeriodCalendar } from './time-limits.js';
import type { FinalBasis, TaskStatus, TestVerdict } from './vocabulary.js';

/** A confirmed failure outranks unverified complaints (P3/P4) and yields only to injuries and fire hazards (P1). */
export const FOLLOW_UP_PRIORITY = 2;

export interface FinaliseDeps {
  calendar: PeriodCalendar;
  secret: string;
  now: Date;
}

/**
 * Makes a task's result final, conditionally on the statuses it may be final from (so the finalisation job, a
 * waiver and a re-test racing for one task finalise it once), and opens the follow-up of a failure. Returns
 * whether this call finalised it.
 */
export async function finaliseTask(
  tx: Tx,
  deps: FinaliseDeps,
  input: {
    taskId: number;
    from: readonly TaskStatus[];
    /** For the window-passed path: only when the window (which a later delivery record may move) ended before this day. */
    windowEndedBefore?: string;
    basis: FinalBasis;
    verdict: TestVerdict;
    actorId: number | null;
  },
): Promise<boolean> {
  const task = await tx
    .updateTable('sampling_tasks')
    .set({ status: 'final', final_basis: input.basis, verdict: input.verdict, finalised_at: deps.now, updated_at: deps.now })
    .where('id', '=', input.taskId)
    .where('status', 'in', [...input.from])
    .$if(input.windowEndedBefore !== undefined, (q) => q.where('objection_window_ends_on', '<', input.windowEndedBefore!))
    .returning(['id', 'campaign_id'])
    .executeTakeFirst();
  if (!task) return false;
  await recordSamplingEvent(tx, {
    campaignId: task.campaign_id,
    taskId: task.id,
    actorId: input.actorId,
    action: 'finalised',
    data: { basis: input.basis, verdict: input.verdict },
  });
  if (input.verdict === 'fail') await openFollowUp(tx, deps, task.id, input.basis);
  return true;
}

/**
 * The follow-up (后处理) of a final failure: an item of kind sampling_followup on the merchant's open case in the
 * queue of its category, in the merchant's county, with the rectification deadline (60 days) and the re-check date
 * (75 days) counted from today's order. It has no reporter and no usable access code: it is staff work.
 */
async function openFollowUp(tx: Tx, deps: FinaliseDeps, taskId: number, finalBasis: FinalBasis) {
  const t = await tx
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_nominations as n', 'n.id', 't.nomination_id')
    .innerJoin('sampling_campaigns as c', 'c.id', 't.campaign_id')
    .innerJoin('sampling_results as r', (j) => j.onRef('r.task_id', '=', 't.id'))
    .select([
      't.id',
      't.campaign_id',
      't.category',
      't.merchant_id',
      't.district_code',
      't.collected_at',
      'n.product_name',
      'n.brand',
      'n.model',
      'n.merchant_name',
      'n.merchant_address',
      'n.merchant_uscc',
      'c.title as campaign_title',
      'r.report_no',
      'r.lab_name',
      'r.items',
      'r.stage',
    ])
    .where('t.id', '=', taskId)
    .orderBy('r.stage', 'desc') // 'retest' before 'first': a re-test's result is the final one
    .executeTakeFirstOrThrow();
  const orderDay = shanghaiDate(deps.now);
  const { rectifyBy, recheckBy } = followUpDeadlines(deps.calendar, orderDay);
  const queue = queueForCategory(t.category);
  const product = [t.brand, t.product_name, t.model].filter(Boolean).join(' ');
  // The final result: after a re-test, the first report with the disputed items as re-tested.
  const first =
    t.stage === 'retest'
      ? await tx
          .selectFrom('sampling_results')
          .select(['items', 'report_no', 'lab_name'])
          .where('task_id', '=', t.id)
          .where('stage', '=', 'first')
          .executeTakeFirstOrThrow()
      : t;
  const failed = finalItems(first.items, t.stage === 'retest' ? t.items : undefined).filter((i) => i.verdict === 'fail');
  const openCase = await upsertOpenCase(tx, {
    merchantId: t.merchant_id,
    category: t.category,
    queue,
    jurisdictionCode: t.district_code,
    priority: FOLLOW_UP_PRIORITY,
    dueAt: endOfShanghaiDay(recheckBy),
  }).executeTakeFirstOrThrow();
  const item = await tx
    .insertInto('items')
    .values({
      tracking_no: newTrackingNo(deps.now),
      access_code_hash: hashAccessCode(deps.secret, randomCode(24)),
      kind: 'sampling_followup',
      category: t.category,
      title: `你点我检不合格后处理：${product}`,
      description: [
        t.stage === 'retest'
          ? `“${t.campaign_title}”抽检中，${t.merchant_name}销售的${product}经检验不合格（初检：${first.lab_name ?? '检验机构'}，报告编号 ${first.report_no}；复检：${t.lab_name ?? '复检机构'}，报告编号 ${t.report_no}），结论已确定。`
          : `“${t.campaign_title}”抽检中，${t.merchant_name}销售的${product}经${t.lab_name ?? '检验机构'}检验不合格（报告编号 ${t.report_no}），结论已确定。`,
        `不合格项目：${failed.map((i) => `${i.name}（${i.standardClause}）`).join('；')}。`,
        `经营者应立即停止销售该产品，于 ${rectifyBy} 前完成整改；${recheckBy} 前复查。`,
      ].join('\n'),
      occurred_on: t.collected_at ? shanghaiDate(t.collected_at) : null,
      merchant_id: t.merchant_id,
      merchant: JSON.stringify({
        name: t.merchant_name,
        districtCode: t.district_code,
        ...(t.merchant_address ? { address: t.merchant_address } : {}),
        ...(t.merchant_uscc ? { uscc: t.merchant_uscc } : {}),
      }),
      product: JSON.stringify({ name: t.product_name, ...(t.brand ? { brand: t.brand } : {}), ...(t.model ? { model: t.model } : {}) }),
      evidence: JSON.stringify({
        samplingTaskId: t.id,
        campaignId: t.campaign_id,
        reportNo: t.report_no,
        labName: t.lab_name,
        retested: t.stage === 'retest',
        finalBasis,
        failedItems: failed,
      } satisfies SamplingFollowUpEvidence),
      language: 'zh-CN',
      status: 'pending_rectification',
      jurisdiction_code: t.district_code,
      queue,
      priority: FOLLOW_UP_PRIORITY,
      rectify_by: endOfShanghaiDay(rectifyBy),
      recheck_by: endOfShanghaiDay(recheckBy),
      case_id: openCase.id,
      received_at: deps.now,
      routed_at: deps.now,
    })
    .returning(['id', 'tracking_no'])
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('item_events')
    .values({
      item_id: item.id,
      actor_type: 'system',
      to_status: 'pending_rectification',
      note: 'sampling follow-up: stop selling, rectify, re-check',
      data: JSON.stringify({ samplingTaskId: t.id, campaignId: t.campaign_id, rectifyBy, recheckBy, caseId: openCase.id }),
    })
    .execute();
  await tx.updateTable('sampling_tasks').set({ follow_up_item_id: item.id }).where('id', '=', t.id).execute();
  await recordSamplingEvent(tx, {
    campaignId: t.campaign_id,
    taskId: t.id,
    action: 'follow_up_opened',
    data: { trackingNo: item.tracking_no, caseId: openCase.id, rectifyBy, recheckBy },
  });
}
