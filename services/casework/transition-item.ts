import type { Selectable, Updateable } from 'kysely';
import { withinJurisdiction } from '../../shared/access/index.js';
import { endOfShanghaiDay, shanghaiDate, timeLimits, type WorkingCalendar } from '../../shared/calendar/index.js';
import { queueForCategory, upsertOpenCase, type TransitionInput } from '../../shared/casework/index.js';
import {
  finishedStatuses,
  planTransition,
  statusLabel,
  TRACKING_NO_PATTERN,
  type Effect,
  type ItemStatus,
} from '../../shared/complaints/index.js';
import { withTransaction, type ItemTable, type Tx } from '../../shared/db/index.js';
import { DomainError, invalidFields, notFound } from '../../shared/errors/index.js';
import type { Language } from '../../shared/i18n/index.js';
import { queueNotification } from '../../shared/mail/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** Mediation ends 60 calendar days after acceptance, not counting days paused for testing or appraisal. */
export function mediationEndDay(calendar: WorkingCalendar, acceptedDay: string, pausedDays: number): string {
  return calendar.addCalendarDays(acceptedDay, timeLimits.mediationCalendarDays + pausedDays);
}

type ItemRow = Selectable<ItemTable>;

/** What a decision changes: the item's columns, its final status, the event's data and the day the consumer is told. */
interface Changes {
  set: Updateable<ItemTable>;
  finalStatus: ItemStatus;
  eventData: { bureauName?: string; [key: string]: unknown };
  consumerDeadline?: string;
}

/**
 * Applies one decision to an item through the state machine. The update is conditional on the status it was
 * planned from, so of two concurrent decisions exactly one wins; the other is a 409.
 */
export async function transitionItem(
  ctx: ServiceContext,
  {
    staff,
    trackingNo,
    transition: input,
    language,
  }: { staff: Principal; trackingNo: string; transition: TransitionInput; language: Language },
) {
  const now = new Date();
  const today = shanghaiDate(now);
  // A number that cannot exist (a page's path may carry %00) is unknown, not a query PostgreSQL would refuse.
  if (!TRACKING_NO_PATTERN.test(trackingNo)) throw notFound('complaint');
  return withTransaction(ctx.db, async (tx) => {
    const item = await tx.selectFrom('items').selectAll().where('tracking_no', '=', trackingNo).executeTakeFirst();
    if (!item || !withinJurisdiction(staff.jurisdictionCode, item.jurisdiction_code)) throw notFound('complaint');

    const plan = planTransition({ kind: item.kind, from: item.status, role: staff.role, verifyExtended: item.verify_extended, ...input });
    if (!plan.ok) {
      if (plan.error === 'forbidden') throw new DomainError('forbidden', 'your role may not make this decision');
      if (plan.error === 'invalid') throw invalidFields({ field: plan.field, message: plan.message });
      throw new DomainError('conflict', `cannot move from ${item.status} to ${input.to}`, { current: item.status, allowed: plan.allowed });
    }

    const changes = await effectChanges(ctx, tx, plan.effect, item, input, now, today);
    const updated = await tx
      .updateTable('items')
      .set({ ...changes.set, status: changes.finalStatus, updated_at: now })
      .where('id', '=', item.id)
      .where('status', '=', item.status)
      .$if(plan.effect === 'extend_verification', (q) => q.where('verify_extended', '=', false))
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new DomainError('conflict', 'the item changed meanwhile; reload it', { current: 'changed' });

    const data = {
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      ...(input.outcome ? { outcome: input.outcome } : {}),
      ...changes.eventData,
    };
    const steps: ItemStatus[] = changes.finalStatus === plan.to ? [plan.to] : [plan.to, changes.finalStatus];
    let from: ItemStatus = item.status;
    let lastEventId = 0;
    for (const to of steps) {
      const ev = await tx
        .insertInto('item_events')
        .values({
          item_id: item.id,
          actor_type: 'staff',
          actor_id: staff.id,
          from_status: from,
          to_status: to,
          reason_code: input.reasonCode ?? null,
          note: input.note ?? null,
          data: JSON.stringify(data),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      from = to;
      lastEventId = ev.id;
    }
    await closeCaseIfDone(tx, item.case_id, now);

    if (item.reporter_email) {
      await queueNotification(tx, {
        dedupeKey: `event:${lastEventId}`,
        itemId: item.id,
        recipient: item.reporter_email,
        template: 'status_changed',
        language: item.language,
        params: {
          trackingNo: item.tracking_no,
          kind: item.kind,
          status: plan.to === 'transferred' ? 'transferred' : updated.status,
          reasonCode: input.reasonCode,
          outcome: input.outcome,
          bureauName: changes.eventData.bureauName,
          deadline: changes.consumerDeadline,
          extended: plan.effect === 'extend_verification',
          trackingUrl: `${ctx.config.baseUrl}/track`,
        },
      });
    }
    return {
      trackingNo: updated.tracking_no,
      status: updated.status,
      statusLabel: statusLabel(updated.status, language),
      jurisdictionCode: updated.jurisdiction_code,
      deadlines: {
        acceptBy: updated.accept_by ? shanghaiDate(updated.accept_by) : undefined,
        verifyBy: updated.verify_by ? shanghaiDate(updated.verify_by) : undefined,
        mediationEndsBy: updated.mediation_ends_by ? shanghaiDate(updated.mediation_ends_by) : undefined,
        rectifyBy: updated.rectify_by ? shanghaiDate(updated.rectify_by) : undefined,
        recheckBy: updated.recheck_by ? shanghaiDate(updated.recheck_by) : undefined,
      },
      ...(updated.outcome ? { outcome: updated.outcome } : {}),
      ...(updated.reason_code ? { reasonCode: updated.reason_code } : {}),
    };
  });
}

async function effectChanges(
  ctx: ServiceContext,
  tx: Tx,
  effect: Effect,
  item: ItemRow,
  input: TransitionInput,
  now: Date,
  today: string,
): Promise<Changes> {
  const cal = ctx.calendar;
  const base: Changes = { set: {}, finalStatus: input.to, eventData: {} };
  switch (effect) {
    case 'accept': {
      const end = mediationEndDay(cal, today, 0);
      return {
        ...base,
        set: { accepted_at: now, decided_at: now, mediation_ends_by: endOfShanghaiDay(end), paused_days: 0 },
        eventData: { mediationEndsBy: end },
        consumerDeadline: end,
      };
    }
    case 'reject':
    case 'not_file':
      return { ...base, set: { reason_code: input.reasonCode ?? null, decided_at: now } };
    case 'file_case':
      return { ...base, set: { decided_at: now } };
    case 'close':
      return { ...base, set: { outcome: input.outcome ?? null, decided_at: now } };
    case 'start_mediation':
    case 'start_recheck':
      return base;
    case 'pause':
      return { ...base, set: { paused_at: now } };
    case 'resume': {
      const pausedDays = item.paused_days + daysBetween(shanghaiDate(item.paused_at ?? now), today);
      const end = mediationEndDay(cal, shanghaiDate(item.accepted_at ?? now), pausedDays);
      return {
        ...base,
        set: { paused_at: null, paused_days: pausedDays, mediation_ends_by: endOfShanghaiDay(end) },
        eventData: { mediationEndsBy: end, pausedDays },
        consumerDeadline: end,
      };
    }
    case 'extend_verification': {
      const day = cal.addWorkingDays(shanghaiDate(item.verify_by ?? now), timeLimits.reportVerifyWorkingDays);
      return {
        ...base,
        set: { verify_by: endOfShanghaiDay(day), verify_extended: true },
        eventData: { verifyBy: day },
        consumerDeadline: day,
      };
    }
    case 'transfer':
      return transferChanges(ctx, tx, item, input.toDistrictCode!, today);
  }
}

/** Moves the item to another county: it re-enters pending there with a new time limit counted from today. */
async function transferChanges(ctx: ServiceContext, tx: Tx, item: ItemRow, toCode: string, today: string): Promise<Changes> {
  const target = await tx
    .selectFrom('jurisdictions')
    .select(['code', 'level', 'bureau_name'])
    .where('code', '=', toCode)
    .executeTakeFirst();
  if (!target || target.level !== 'county') throw invalidFields({ field: 'toDistrictCode', message: 'not a county-level division' });
  if (toCode === item.jurisdiction_code) throw invalidFields({ field: 'toDistrictCode', message: 'the item is already there' });
  const isComplaint = item.kind === 'complaint';
  const day = ctx.calendar.addWorkingDays(today, isComplaint ? timeLimits.complaintAcceptWorkingDays : timeLimits.reportVerifyWorkingDays);
  const due = endOfShanghaiDay(day);
  const queue = item.queue === 'intake' || !item.queue ? queueForCategory(item.category) : item.queue;
  const openCase = await upsertOpenCase(tx, {
    merchantId: item.merchant_id,
    category: item.category,
    queue,
    jurisdictionCode: toCode,
    priority: item.priority ?? 4,
    dueAt: due,
  }).executeTakeFirstOrThrow();
  return {
    set: {
      jurisdiction_code: toCode,
      queue,
      case_id: openCase.id,
      ...(isComplaint ? { accept_by: due } : { verify_by: due, verify_extended: false }),
    },
    finalStatus: isComplaint ? 'pending_acceptance' : 'pending_verification',
    eventData: {
      jurisdictionCode: toCode,
      bureauName: target.bureau_name,
      fromJurisdictionCode: item.jurisdiction_code,
      caseId: openCase.id,
    },
    consumerDeadline: day,
  };
}

/** A case closes when none of its items is still open. */
async function closeCaseIfDone(tx: Tx, caseId: number | null, now: Date) {
  if (caseId === null) return;
  await tx
    .updateTable('cases')
    .set({ status: 'closed', closed_at: now, claimed_by: null })
    .where('id', '=', caseId)
    .where('status', '=', 'open')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('items')
            .select('items.id')
            .where('items.case_id', '=', caseId)
            .where('items.status', 'not in', [...finishedStatuses]),
        ),
      ),
    )
    .execute();
}
