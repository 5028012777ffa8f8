import { addMonths, shanghaiDate } from '../../shared/calendar/index.js';
import { withTransaction } from '../../shared/db/index.js';
import { DomainError, invalidFields } from '../../shared/errors/index.js';
import { enqueue } from '../../shared/queue/index.js';
import {
  activeSignalStatuses,
  holdRecallMatchingLock,
  type ProgressInput,
  type RecallStatus,
  type RecallTransitionInput,
} from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { recallInScope, recordRecallEvent, type RecallRow } from './recall-store.js';

/** Publication, the producer's progress reports, completion and closing: each conditional on the status it starts from, each audited. */

export interface RecallState {
  recallNo: string;
  status: RecallStatus;
  unitsAffected: number;
  unitsRemedied: number;
  nextReportDue?: string;
  summaryDue?: string;
}

const stateOf = (r: RecallRow): RecallState => ({
  recallNo: r.recall_no,
  status: r.status,
  unitsAffected: r.units_affected,
  unitsRemedied: r.units_remedied,
  ...(r.next_report_due ? { nextReportDue: r.next_report_due } : {}),
  ...(r.summary_due ? { summaryDue: r.summary_due } : {}),
});

/** The next progress report: a set number of months on; a due day that is a day off moves to the next working day. */
const nextReportDue = (ctx: ServiceContext, from: string) =>
  ctx.calendar.nextWorkdayOnOrAfter(addMonths(from, ctx.config.RECALL_PROGRESS_INTERVAL_MONTHS));

function conflict(r: RecallRow, wanted: string): never {
  throw new DomainError('conflict', `the recall is ${r.status}; it must be ${wanted}`, { current: r.status });
}

/**
 * Publishes a draft. It writes the recall, the audit event and the fan-out's outbox row, whatever the number of
 * recipients: the fan-out job finds them afterwards. Holding the recall-matching lock exclusively means no complaint
 * is being matched meanwhile (see holdRecallMatchingLock).
 */
export async function publishRecall(
  ctx: ServiceContext,
  { staff, recallNo }: { staff: Principal; recallNo: string },
): Promise<RecallState> {
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
    await holdRecallMatchingLock(tx, 'exclusive');
    const recall = await recallInScope(tx, staff, recallNo, { lock: true });
    if (recall.status !== 'draft') conflict(recall, 'a draft');
    const published = await tx
      .updateTable('recalls')
      .set({ status: 'published', published_at: now, next_report_due: nextReportDue(ctx, shanghaiDate(now)), updated_at: now })
      .where('id', '=', recall.id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('recall_fanouts')
      .values({ recall_id: recall.id })
      .onConflict((oc) => oc.column('recall_id').doNothing())
      .execute();
    await enqueue(tx, 'recall-fanout', { recallId: recall.id });
    if (recall.signal_id !== null) {
      const signal = await tx
        .selectFrom('defect_signals')
        .select(['id', 'status'])
        .where('id', '=', recall.signal_id)
        .where('status', 'in', activeSignalStatuses)
        .forUpdate()
        .executeTakeFirst();
      if (signal) {
        await tx
          .updateTable('defect_signals')
          .set({ status: 'recalled', closed_at: now, updated_at: now })
          .where('id', '=', signal.id)
          .execute();
        await tx
          .insertInto('signal_events')
          .values({
            signal_id: signal.id,
            actor_id: staff.id,
            from_status: signal.status,
            to_status: 'recalled',
            data: JSON.stringify({ recallNo }),
          })
          .execute();
      }
    }
    await recordRecallEvent(tx, { recallId: recall.id, actorId: staff.id, action: 'published', data: {} });
    return stateOf(published);
  });
}

/** Records the producer's progress report; the next one falls due a set number of months later. */
export async function reportProgress(
  ctx: ServiceContext,
  { staff, recallNo, input }: { staff: Principal; recallNo: string; input: ProgressInput },
): Promise<RecallState> {
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
    const recall = await recallInScope(tx, staff, recallNo, { lock: true });
    if (recall.status !== 'published') conflict(recall, 'published (a completed recall ends with its summary)');
    if (input.unitsRemedied > recall.units_affected) {
      throw invalidFields({ field: 'unitsRemedied', message: `more than the ${recall.units_affected} units affected` });
    }
    await tx
      .insertInto('recall_progress_reports')
      .values({
        recall_id: recall.id,
        as_of: input.asOf,
        units_remedied: input.unitsRemedied,
        note: input.note || null,
        reported_by: staff.id,
      })
      .execute();
    const updated = await tx
      .updateTable('recalls')
      .set({ units_remedied: input.unitsRemedied, next_report_due: nextReportDue(ctx, shanghaiDate(now)), updated_at: now })
      .where('id', '=', recall.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordRecallEvent(tx, {
      recallId: recall.id,
      actorId: staff.id,
      action: 'progress_reported',
      data: { asOf: input.asOf, unitsRemedied: input.unitsRemedied, nextReportDue: updated.next_report_due },
    });
    return stateOf(updated);
  });
}

/**
 * Completed: the remedy programme has ended; the producer's summary falls due a set number of working days later.
 * Closed: the regulator has the summary and closes the file.
 */
export async function transitionRecall(
  ctx: ServiceContext,
  { staff, recallNo, input }: { staff: Principal; recallNo: string; input: RecallTransitionInput },
): Promise<RecallState> {
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
    const recall = await recallInScope(tx, staff, recallNo, { lock: true });
    const from: RecallStatus = input.to === 'completed' ? 'published' : 'completed';
    if (recall.status !== from) conflict(recall, from);
    const updated = await tx
      .updateTable('recalls')
      .set(
        input.to === 'completed'
          ? {
              status: 'completed',
              completed_at: now,
              next_report_due: null,
              summary_due: ctx.calendar.addWorkingDays(shanghaiDate(now), ctx.config.RECALL_SUMMARY_WORKING_DAYS),
              updated_at: now,
            }
          : { status: 'closed', closed_at: now, updated_at: now },
      )
      .where('id', '=', recall.id)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirstOrThrow();
    const note = input.note ? { note: input.note } : {};
    const event = { recallId: recall.id, actorId: staff.id };
    await recordRecallEvent(
      tx,
      input.to === 'completed'
        ? { ...event, action: 'completed', data: { ...note, ...(updated.summary_due ? { summaryDue: updated.summary_due } : {}) } }
        : { ...event, action: 'closed', data: note },
    );
    return stateOf(updated);
  });
}
