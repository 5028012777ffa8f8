import { sql } from 'kysely';
import { shanghaiDate } from '../shared/domain/calendar.js';
import { jurisdictionPrefix } from '../shared/domain/jurisdiction-scope.js';
import { queueNotification } from '../shared/notifications.js';
import type { WorkerContext } from './context.js';

type Deadline = 'accept_by' | 'verify_by' | 'mediation_ends_by';

/** The clock that runs in each status; paused_for_testing has none (testing time does not count). */
const clockFor: Record<string, Deadline> = {
  pending_acceptance: 'accept_by',
  pending_verification: 'verify_by',
  accepted: 'mediation_ends_by',
  mediating: 'mediation_ends_by',
};

export interface DeadlineCheckResult {
  warnings: number;
  escalations: number;
}

/**
 * Warns the assignee one working day before an item's running deadline and escalates an overdue item to its
 * jurisdiction's regulators (email, and a flag on the case). Each (item, deadline, level, due date) fires once:
 * the alert row is unique, so running the check again changes nothing; a moved deadline can fire anew.
 */
export async function checkDeadlines(ctx: WorkerContext, now = new Date()): Promise<DeadlineCheckResult> {
  const today = shanghaiDate(now);
  const warnUntil = ctx.calendar.addWorkingDays(today, 1);
  const candidates = await ctx.db
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
      'items.case_id',
      'assignee.email as assignee_email',
      'assignee.active as assignee_active',
    ])
    .where('items.status', 'in', Object.keys(clockFor))
    // Wide enough to reach the next working day across the longest holiday.
    .where(sql<boolean>`coalesce(items.accept_by, items.verify_by, items.mediation_ends_by) < ${now}::timestamptz + interval '12 days'`)
    .execute();

  const result: DeadlineCheckResult = { warnings: 0, escalations: 0 };
  for (const item of candidates) {
    const deadline = clockFor[item.status]!;
    const due = item[deadline];
    if (!due || !item.jurisdiction_code) continue;
    const overdue = now > due;
    const level = overdue ? 'overdue' : shanghaiDate(due) <= warnUntil ? 'warning' : undefined;
    if (!level) continue;
    await ctx.db.transaction().execute(async (tx) => {
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
          await queueNotification(tx, { dedupeKey: `alert:${alert.id}`, itemId: item.id, recipient: item.assignee_email, template: 'deadline_warning', language: 'zh-CN', params });
        }
        return;
      }
      result.escalations++;
      if (item.case_id !== null) {
        await tx.updateTable('cases').set({ escalated_at: now }).where('id', '=', item.case_id).where('escalated_at', 'is', null).execute();
      }
      const regulators = await tx
        .selectFrom('staff')
        .select(['id', 'email', 'jurisdiction_code'])
        .where('role', '=', 'regulator')
        .where('active', '=', true)
        .execute();
      for (const r of regulators.filter((s) => item.jurisdiction_code!.startsWith(jurisdictionPrefix(s.jurisdiction_code)))) {
        await queueNotification(tx, { dedupeKey: `alert:${alert.id}:${r.id}`, itemId: item.id, recipient: r.email, template: 'deadline_overdue', language: 'zh-CN', params });
      }
    });
  }
  return result;
}
