import { sql } from 'kysely';
import { shanghaiDate } from '../shared/calendar/index.js';
import { runningClock, type DeadlineKind } from '../shared/casework/index.js';
import type { ItemStatus } from '../shared/complaints/index.js';
import { withTransaction, type DbOrTx } from '../shared/db/index.js';
import { expireMediation } from '../shared/decisions/index.js';
import { queueNotification } from '../shared/mail/index.js';
import { regulatorsOver } from '../shared/staff/index.js';
import type { WorkerContext } from './context.js';

export interface DeadlineCheckResult {
  warnings: number;
  escalations: number;
  /** Complaints whose mediation ran out its 60 days without agreement, closed as mediation_expired. */
  mediationsEnded: number;
}

/**
 * Escalates the producer's overdue recall reports to the regulators of the recall's jurisdiction: a progress report
 * of a running recall, or the summary of a completed one, whose due day has passed. Once per recall, report and due
 * day (a later report moves the due day, and a new lapse escalates anew).
 */
async function escalateRecallReports(ctx: WorkerContext, now: Date): Promise<number> {
  const today = shanghaiDate(now);
  const overdue = await ctx.db
    .selectFrom('recalls')
    .select(['id', 'recall_no', 'title', 'status', 'jurisdiction_code', 'next_report_due', 'summary_due'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'published'), eb('next_report_due', '<', today)]),
        eb.and([eb('status', '=', 'completed'), eb('summary_due', '<', today)]),
      ]),
    )
    .execute();
  let escalations = 0;
  for (const recall of overdue) {
    const report = recall.status === 'published' ? 'progress_report' : 'summary';
    const dueOn = (report === 'progress_report' ? recall.next_report_due : recall.summary_due)!;
    await withTransaction(ctx.db, async (tx) => {
      const alert = await tx
        .insertInto('recall_alerts')
        .values({ recall_id: recall.id, report, due_on: dueOn })
        .onConflict((oc) => oc.columns(['recall_id', 'report', 'due_on']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!alert) return;
      escalations++;
      for (const r of await regulatorsOver(tx, [recall.jurisdiction_code])) {
        await queueNotification(tx, {
          dedupeKey: `recall-alert:${alert.id}:${r.id}`,
          itemId: null,
          recipient: r.email,
          template: 'recall_report_overdue',
          language: 'zh-CN',
          params: { recallNo: recall.recall_no, title: recall.title, report, dueOn },
        });
      }
    });
  }
  return escalations;
}

/** The statuses whose clock each deadline column is, e.g. mediation_ends_by ← accepted, mediating. */
const statusesByClock = Object.entries(runningClock).reduce<Partial<Record<DeadlineKind, ItemStatus[]>>>((acc, [status, clock]) => {
  (acc[clock] ??= []).push(status as ItemStatus);
  return acc;
}, {});

/**
 * The items the check must look at: those whose running clock (the deadline of their status) ends before a horizon
 * wide enough to reach the next working day across the longest holiday. Each clock is filtered on its own column, so
 * a deadline that has stopped running (accept_by once accepted) does not make an item a candidate on every run, and
 * each part is a range scan of that clock's partial index (migration 20261206110000_index_running_deadlines).
 */
export function findDeadlineCandidates(db: DbOrTx, now: Date) {
  const horizon = sql<Date>`${now}::timestamptz + interval '12 days'`;
  return db
    .selectFrom('items')
    .leftJoin('cases', 'cases.id', 'items.case_id')
    .leftJoin('staff as assignee', 'assignee.id', 'cases.claimed_by')
    .select([
      'items.id',
      'items.tracking_no',
      'items.status',
      'items.jurisdiction_code',
      'items.accept_by',
      'items.verify_by',
      'items.mediation_ends_by',
      'items.recheck_by',
      'items.case_id',
      'assignee.email as assignee_email',
      'assignee.active as assignee_active',
    ])
    .where((eb) =>
      eb.or(
        Object.entries(statusesByClock).map(([clock, statuses]) =>
          eb.and([eb('items.status', 'in', statuses), eb(`items.${clock as DeadlineKind}`, '<', horizon)]),
        ),
      ),
    );
}

/**
 * Warns the assignee one working day before an item's running deadline (the regulators when nobody holds its case)
 * and escalates an overdue item to its
 * jurisdiction's regulators (email, and a flag on the case); a mediation whose 60 days have run out is closed as
 * mediation_expired instead (expireMediation). Each (item, deadline, level, due date) fires once:
 * the alert row is unique, so running the check again changes nothing; a moved deadline can fire anew. Overdue
 * recall reports are escalated in the same run (counted among the escalations).
 */
export async function checkDeadlines(ctx: WorkerContext, now = new Date()): Promise<DeadlineCheckResult> {
  const today = shanghaiDate(now);
  const warnUntil = ctx.calendar.addWorkingDays(today, 1);
  const candidates = await findDeadlineCandidates(ctx.db, now).execute();

  const result: DeadlineCheckResult = { warnings: 0, escalations: 0, mediationsEnded: 0 };
  for (const item of candidates) {
    const deadline: DeadlineKind = runningClock[item.status as keyof typeof runningClock];
    const due = item[deadline];
    if (!due || !item.jurisdiction_code) continue;
    const overdue = now > due;
    // Mediation's end is not a deadline the bureau missed: by law it ends there, and the consumer is told.
    if (overdue && deadline === 'mediation_ends_by') {
      if (await expireMediation(ctx, item.tracking_no, now)) result.mediationsEnded++;
      continue;
    }
    const level = overdue ? 'overdue' : shanghaiDate(due) <= warnUntil ? 'warning' : undefined;
    if (!level) continue;
    await withTransaction(ctx.db, async (tx) => {
      const alert = await tx
        .insertInto('deadline_alerts')
        .values({ item_id: item.id, deadline, level, due_at: due })
        .onConflict((oc) => oc.columns(['item_id', 'deadline', 'level', 'due_at']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!alert) return;
      const params = { trackingNo: item.tracking_no, deadline, dueOn: shanghaiDate(due), caseId: item.case_id };
      if (level === 'warning') {
        result.warnings++;
        if (item.assignee_email && item.assignee_active) {
          await queueNotification(tx, {
            dedupeKey: `alert:${alert.id}`,
            itemId: item.id,
            recipient: item.assignee_email,
            template: 'deadline_warning',
            language: 'zh-CN',
            params,
          });
          return;
        }
        // Nobody holds the case: the warning would reach no one, so it goes to those who assign.
        for (const r of await regulatorsOver(tx, [item.jurisdiction_code!])) {
          await queueNotification(tx, {
            dedupeKey: `alert:${alert.id}:${r.id}`,
            itemId: item.id,
            recipient: r.email,
            template: 'deadline_warning',
            language: 'zh-CN',
            params: { ...params, unclaimed: true },
          });
        }
        return;
      }
      result.escalations++;
      if (item.case_id !== null) {
        await tx.updateTable('cases').set({ escalated_at: now }).where('id', '=', item.case_id).where('escalated_at', 'is', null).execute();
      }
      for (const r of await regulatorsOver(tx, [item.jurisdiction_code!])) {
        await queueNotification(tx, {
          dedupeKey: `alert:${alert.id}:${r.id}`,
          itemId: item.id,
          recipient: r.email,
          template: 'deadline_overdue',
          language: 'zh-CN',
          params,
        });
      }
    });
  }
  await checkProvincialReports(ctx, now, warnUntil, result);
  result.escalations += await escalateRecallReports(ctx, now);
  return result;
}

/**
 * The report of a death or serious injury to the provincial bureau runs beside the item's status until staff record it
 * as made: the regulators are warned a working day ahead and the overdue one escalated, each once per due time.
 */
async function checkProvincialReports(ctx: WorkerContext, now: Date, warnUntil: string, result: DeadlineCheckResult) {
  const due = await ctx.db
    .selectFrom('items')
    .select(['id', 'tracking_no', 'jurisdiction_code', 'case_id', 'provincial_report_by'])
    .where('provincial_reported_at', 'is', null)
    .where('provincial_report_by', 'is not', null)
    .where('provincial_report_by', '<', sql<Date>`${now}::timestamptz + interval '12 days'`)
    .execute();
  for (const item of due) {
    const dueAt = item.provincial_report_by!;
    const level = now > dueAt ? 'overdue' : shanghaiDate(dueAt) <= warnUntil ? 'warning' : undefined;
    if (!level || !item.jurisdiction_code) continue;
    await withTransaction(ctx.db, async (tx) => {
      const alert = await tx
        .insertInto('deadline_alerts')
        .values({ item_id: item.id, deadline: 'provincial_report_by', level, due_at: dueAt })
        .onConflict((oc) => oc.columns(['item_id', 'deadline', 'level', 'due_at']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!alert) return;
      if (level === 'warning') result.warnings++;
      else {
        result.escalations++;
        if (item.case_id !== null) {
          await tx
            .updateTable('cases')
            .set({ escalated_at: now })
            .where('id', '=', item.case_id)
            .where('escalated_at', 'is', null)
            .execute();
        }
      }
      const params = {
        trackingNo: item.tracking_no,
        deadline: 'provincial_report_by' as const,
        dueOn: shanghaiDate(dueAt),
        caseId: item.case_id,
      };
      for (const r of await regulatorsOver(tx, [item.jurisdiction_code!])) {
        await queueNotification(tx, {
          dedupeKey: `alert:${alert.id}:${r.id}`,
          itemId: item.id,
          recipient: r.email,
          template: level === 'warning' ? 'deadline_warning' : 'deadline_overdue',
          language: 'zh-CN',
          params,
        });
      }
    });
  }
}
