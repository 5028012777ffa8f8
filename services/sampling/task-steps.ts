import { shanghaiDate } from '../../shared/calendar/index.js';
import { normalizeMerchantName } from '../../shared/complaints/index.js';
import { withTransaction, type Tx } from '../../shared/db/index.js';
import { DomainError, invalidFields } from '../../shared/errors/index.js';
import { queueNotification } from '../../shared/mail/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  deliveredOn,
  finaliseTask,
  objectionInTime,
  objectionWindowEnd,
  overallVerdict,
  recordSamplingEvent,
  finalItems,
  retestRefundDue,
  type CollectionInput,
  type DeliveryMethod,
  type LabResultsInput,
  type ObjectionParty,
  type RetestResultsInput,
  type TaskStatus,
} from '../../shared/sampling/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { addSamplingTaskAttachment, listSamplingTaskAttachments, readSamplingTaskAttachment } from '../attachments/index.js';
import { requireTaskWorker, taskForStaff } from './scope.js';
import { noticeFacts, taskDetail } from './tasks.js';

const toFen = (cny: number) => Math.round(cny * 100);

/** Locks the task, checks scope, who may act and its status; the rest of a step runs in the same transaction. */
async function taskStep(
  ctx: ServiceContext,
  tx: Tx,
  input: { staff: Principal; taskId: number; from: readonly TaskStatus[]; worker?: boolean; closedCode?: 'objection_window_closed' },
) {
  const { task, isDrawnInspector } = await taskForStaff(tx, input.staff, input.taskId, true);
  if (input.worker) requireTaskWorker(input.staff, isDrawnInspector);
  if (!input.from.includes(task.status)) {
    if (input.closedCode && task.status === 'final')
      throw new DomainError(input.closedCode, 'the result is already final', { current: task.status });
    throw new DomainError('conflict', `not possible while the task is ${task.status}`, { current: task.status, allowed: input.from });
  }
  return task;
}

const finaliseDeps = (ctx: ServiceContext) => ({ calendar: ctx.calendar, secret: ctx.config.AUTH_SECRET, now: new Date() });

/** The drawn inspectors record how the sample was bought: sample and seal numbers, quantities with the reserve, lab, price. */
export async function recordCollection(
  ctx: ServiceContext,
  { staff, taskId, input }: { staff: Principal; taskId: number; input: CollectionInput },
) {
  return withTransaction(ctx.db, async (tx) => {
    const task = await taskStep(ctx, tx, { staff, taskId, from: ['awaiting_collection', 'collected'], worker: true });
    await tx
      .updateTable('sampling_tasks')
      .set({
        status: 'collected',
        sample_no: input.sampleNo,
        quantity: input.quantity,
        reserve_quantity: input.reserveQuantity,
        seal_no: input.sealNo,
        lab_name: input.labName,
        price_paid_fen: toFen(input.pricePaidCny),
        collected_at: new Date(input.collectedAt),
        collected_by: staff.id,
        merchant_email: input.merchantEmail ?? null,
        manufacturer: input.manufacturer
          ? JSON.stringify({ name: input.manufacturer.name, email: input.manufacturer.email ?? null })
          : null,
        updated_at: new Date(),
      })
      .where('id', '=', task.id)
      .execute();
    await recordSamplingEvent(tx, {
      campaignId: task.campaign_id,
      taskId: task.id,
      actorId: staff.id,
      action: 'collection_recorded',
      data: { sampleNo: input.sampleNo, sealNo: input.sealNo, corrected: task.status === 'collected' },
    });
    return taskDetail(ctx, tx, task.id);
  });
}

/**
 * The lab's results: the verdict is derived (any failed item fails the sample), the merchant (and the manufacturer
 * when its address is known) is notified, by email when an address is known — the window then runs from today —
 * otherwise by a letter printed from the task, whose window starts when its delivery is recorded.
 */
export async function recordResults(
  ctx: ServiceContext,
  { staff, taskId, input }: { staff: Principal; taskId: number; input: LabResultsInput },
) {
  const now = new Date();
  const today = shanghaiDate(now);
  return withTransaction(ctx.db, async (tx) => {
    const task = await taskStep(ctx, tx, { staff, taskId, from: ['collected'], worker: true });
    const verdict = overallVerdict(input.items);
    await tx
      .insertInto('sampling_results')
      .values({
        task_id: task.id,
        stage: 'first',
        report_no: input.reportNo,
        lab_name: input.labName ?? task.lab_name!,
        items: JSON.stringify(input.items),
        verdict,
        recorded_by: staff.id,
      })
      .execute();
    const byEmail = task.merchant_email !== null;
    await tx
      .updateTable('sampling_tasks')
      .set({
        status: 'notified',
        verdict,
        notice_method: byEmail ? 'email' : 'letter',
        notified_at: now,
        delivery_method: byEmail ? 'email' : null,
        delivered_on: byEmail ? today : null,
        objection_window_ends_on: byEmail ? objectionWindowEnd(ctx.calendar, today) : null,
        updated_at: now,
      })
      .where('id', '=', task.id)
      .execute();
    const facts = await noticeFacts(tx, task.id);
    const recipients = [
      ...(task.merchant_email ? [{ who: 'merchant' as const, email: task.merchant_email }] : []),
      ...(task.manufacturer?.email ? [{ who: 'manufacturer' as const, email: task.manufacturer.email }] : []),
    ];
    for (const r of recipients) {
      await queueNotification(tx, {
        dedupeKey: `sampling-task:${task.id}:notice:${r.who}`,
        itemId: null,
        recipient: r.email,
        template: 'sampling_result_notice',
        language: 'zh-CN',
        params: { ...facts, merchantName: r.who === 'merchant' ? facts.merchantName : task.manufacturer!.name },
      });
    }
    await recordSamplingEvent(tx, {
      campaignId: task.campaign_id,
      taskId: task.id,
      actorId: staff.id,
      action: 'results_recorded',
      data: { reportNo: input.reportNo, verdict, notice: byEmail ? 'email' : 'letter', notified: recipients.map((r) => r.who) },
    });
    return taskDetail(ctx, tx, task.id);
  });
}

/**
 * Records when the result reached the merchant (a signed receipt, the post, or a public posting, which counts as
 * delivery 30 days later); the objection window runs from that day.
 */
export async function recordDelivery(
  ctx: ServiceContext,
  { staff, taskId, method, on }: { staff: Principal; taskId: number; method: DeliveryMethod; on: string },
) {
  return withTransaction(ctx.db, async (tx) => {
    const task = await taskStep(ctx, tx, { staff, taskId, from: ['notified'] });
    if (on < shanghaiDate(task.notified_at!)) throw invalidFields({ field: 'on', message: 'must not be before the result was issued' });
    const delivered = deliveredOn(method, on);
    const windowEnd = objectionWindowEnd(ctx.calendar, delivered);
    await tx
      .updateTable('sampling_tasks')
      .set({ delivery_method: method, delivered_on: delivered, objection_window_ends_on: windowEnd, updated_at: new Date() })
      .where('id', '=', task.id)
      .execute();
    await recordSamplingEvent(tx, {
      campaignId: task.campaign_id,
      taskId: task.id,
      actorId: staff.id,
      action: 'delivery_recorded',
      data: { method, on, deliveredOn: delivered, objectionWindowEndsOn: windowEnd },
    });
    return taskDetail(ctx, tx, task.id);
  });
}

/**
 * The merchant or manufacturer objects and asks for a re-test. Accepted when received within 15 days of delivery
 * (day 15 counts, day 16 does not; a day 15 that is a day off moves to the next working day).
 */
export async function recordObjection(
  ctx: ServiceContext,
  {
    staff,
    taskId,
    receivedOn,
    by,
    grounds,
    disputedItems,
  }: { staff: Principal; taskId: number; receivedOn: string; by: ObjectionParty; grounds: string; disputedItems?: string[] | undefined },
) {
  return withTransaction(ctx.db, async (tx) => {
    const task = await taskStep(ctx, tx, { staff, taskId, from: ['notified'], closedCode: 'objection_window_closed' });
    if (receivedOn < shanghaiDate(task.notified_at!))
      throw invalidFields({ field: 'receivedOn', message: 'must not be before the result was issued' });
    if (task.delivered_on && !objectionInTime(ctx.calendar, task.delivered_on, receivedOn)) {
      throw new DomainError('objection_window_closed', `objections had to be received by ${task.objection_window_ends_on}`, {
        deliveredOn: task.delivered_on,
        objectionWindowEndsOn: task.objection_window_ends_on,
      });
    }
    const first = await firstResult(tx, task.id);
    const names = new Set(first.items.map((i) => i.name));
    const unknown = disputedItems?.filter((n) => !names.has(n)) ?? [];
    if (unknown.length) {
      throw invalidFields({ field: 'disputedItems', message: `not test items of report ${first.report_no}: ${unknown.join(', ')}` });
    }
    // Naming none disputes the whole report (as an objection did before items could be named).
    const disputed = disputedItems ?? first.items.map((i) => i.name);
    await tx
      .updateTable('sampling_tasks')
      .set({
        status: 'retest_pending',
        objection_received_on: receivedOn,
        objection_by: by,
        objection_grounds: grounds,
        objection_items: disputed,
        updated_at: new Date(),
      })
      .where('id', '=', task.id)
      .execute();
    await recordSamplingEvent(tx, {
      campaignId: task.campaign_id,
      taskId: task.id,
      actorId: staff.id,
      action: 'objection_recorded',
      data: { receivedOn, by, disputedItems: disputed },
    });
    return taskDetail(ctx, tx, task.id);
  });
}

const waivable: readonly TaskStatus[] = ['notified', 'retest_pending'];

const firstResult = (tx: Tx, taskId: number) =>
  tx.selectFrom('sampling_results').selectAll().where('task_id', '=', taskId).where('stage', '=', 'first').executeTakeFirstOrThrow();

const sameLab = (a: string, b: string) => normalizeMerchantName(a) === normalizeMerchantName(b);

/** The re-test on the reserve sample at another lab: its result is final; the fee is refunded when it differs. */
export async function recordRetest(
  ctx: ServiceContext,
  { staff, taskId, input }: { staff: Principal; taskId: number; input: RetestResultsInput },
) {
  return withTransaction(ctx.db, async (tx) => {
    const task = await taskStep(ctx, tx, { staff, taskId, from: ['retest_pending'] });
    const first = await firstResult(tx, task.id);
    if (input.labName !== undefined && first.lab_name !== null && sameLab(input.labName, first.lab_name)) {
      throw invalidFields({ field: 'labName', message: 'the re-test is made by another laboratory than the first' });
    }
    // The re-test covers the disputed items, no fewer and no others (an objection recorded before they were named
    // disputed the whole report).
    const disputed = task.objection_items ?? first.items.map((i) => i.name);
    const retested = input.items.map((i) => i.name);
    if (retested.length !== disputed.length || !disputed.every((n) => retested.includes(n))) {
      throw invalidFields({ field: 'items', message: `the re-test reports the disputed items, each once: ${disputed.join(', ')}` });
    }
    // Final: the first report with the disputed items as re-tested; an undisputed failure still fails the sample.
    // The re-test's own row keeps what that laboratory found.
    const verdict = overallVerdict(finalItems(first.items, input.items));
    const retestVerdict = overallVerdict(input.items);
    await tx
      .insertInto('sampling_results')
      .values({
        task_id: task.id,
        stage: 'retest',
        report_no: input.reportNo,
        lab_name: input.labName ?? null,
        items: JSON.stringify(input.items),
        verdict: retestVerdict,
        fee_paid_fen: input.feePaidCny === undefined ? null : toFen(input.feePaidCny),
        recorded_by: staff.id,
      })
      .execute();
    await recordSamplingEvent(tx, {
      campaignId: task.campaign_id,
      taskId: task.id,
      actorId: staff.id,
      action: 'retest_recorded',
      data: { reportNo: input.reportNo, verdict, refundDue: retestRefundDue(first.items, input.items) },
    });
    await finaliseTask(tx, finaliseDeps(ctx), { taskId: task.id, from: ['retest_pending'], basis: 'retested', verdict, actorId: staff.id });
    return taskDetail(ctx, tx, task.id);
  });
}

/**
 * The merchant waives the objection in writing, or withdraws one already made before the re-test: the first result
 * is final at once.
 */
export async function recordWaiver(
  ctx: ServiceContext,
  { staff, taskId, receivedOn }: { staff: Principal; taskId: number; receivedOn: string },
) {
  return withTransaction(ctx.db, async (tx) => {
    const task = await taskStep(ctx, tx, { staff, taskId, from: waivable });
    if (receivedOn < shanghaiDate(task.notified_at!))
      throw invalidFields({ field: 'receivedOn', message: 'must not be before the result was issued' });
    await tx.updateTable('sampling_tasks').set({ waiver_received_on: receivedOn }).where('id', '=', task.id).execute();
    await recordSamplingEvent(tx, {
      campaignId: task.campaign_id,
      taskId: task.id,
      actorId: staff.id,
      action: 'waiver_recorded',
      data: { receivedOn },
    });
    await finaliseTask(tx, finaliseDeps(ctx), {
      taskId: task.id,
      from: waivable,
      basis: 'waived',
      verdict: task.verdict!,
      actorId: staff.id,
    });
    return taskDetail(ctx, tx, task.id);
  });
}

/** A photo of the collection (sample, seal, receipt) by a drawn inspector or a regulator, with the casework photo rules. */
export async function addTaskPhoto(ctx: ServiceContext, { staff, taskId, bytes }: { staff: Principal; taskId: number; bytes: Uint8Array }) {
  // Checked before the bytes are stored, and again under the row lock with the count cap.
  const { isDrawnInspector } = await taskForStaff(ctx.db, staff, taskId);
  requireTaskWorker(staff, isDrawnInspector);
  return addSamplingTaskAttachment(ctx, {
    taskId,
    staffId: staff.id,
    bytes,
    lockTask: async (tx) => {
      await taskForStaff(tx, staff, taskId, true);
    },
  });
}

export async function listTaskPhotos(ctx: ServiceContext, { staff, taskId }: { staff: Principal; taskId: number }) {
  await taskForStaff(ctx.db, staff, taskId);
  return listSamplingTaskAttachments(ctx, { taskId });
}

export async function readTaskPhoto(
  ctx: ServiceContext,
  { staff, taskId, attachmentId }: { staff: Principal; taskId: number; attachmentId: number },
) {
  await taskForStaff(ctx.db, staff, taskId);
  return readSamplingTaskAttachment(ctx, { taskId, attachmentId });
}
