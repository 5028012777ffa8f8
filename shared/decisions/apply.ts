import { sql, type Updateable } from 'kysely';
import { withinJurisdiction, type StaffRole } from '../access/index.js';
import { endOfShanghaiDay, shanghaiDate, timeLimits, type WorkingCalendar } from '../calendar/index.js';
import { closeCaseIfDone, queueForCategory, upsertOpenCase, type TransitionInput } from '../casework/index.js';
import { finishedStatuses, planTransition, statusLabel, TRACKING_NO_PATTERN, type Effect, type ItemStatus } from '../complaints/index.js';
import { compiledStatement, withTransaction, type DbOrTx, type ItemTable, type Tx } from '../db/index.js';
import { DomainError, invalidFields, notFound } from '../errors/index.js';
import type { Language } from '../i18n/index.js';
import { insertNotifications, notifyJobsOfInserted, type EmailTemplate, type TemplateParams } from '../mail/index.js';
import type { ServiceContext } from '../runtime/index.js';
import type { Principal } from '../staff/index.js';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** Mediation ends 60 calendar days after acceptance, not counting days paused for testing or appraisal. */
export function mediationEndDay(calendar: WorkingCalendar, acceptedDay: string, pausedDays: number): string {
  return calendar.addCalendarDays(acceptedDay, timeLimits.mediationCalendarDays + pausedDays);
}

/**
 * Everything of the item a decision is planned and computed from, as one value: the write goes through only while it is
 * unchanged (a pause and a resume in between leave the status as it was but not the paused days), and a write to
 * anything else (the "received" email clearing its sealed code) does not make the decision fail.
 */
// Instants as epoch seconds: their text does not depend on a session's TimeZone or DateStyle.
const decisionState = sql<string>`row(status, kind, verify_extended, extract(epoch FROM verify_by), extract(epoch FROM accepted_at),
  extract(epoch FROM paused_at), paused_days, jurisdiction_code, queue, priority, case_id)::text`;

/** What a decision reads of the item: its state, what the plan and the effects need, and whom to tell. */
const loadItemStatement = compiledStatement('transition_load_item', (db, v: { trackingNo: string }) =>
  db
    .selectFrom('items')
    .select([
      'id',
      'tracking_no',
      'kind',
      'category',
      'status',
      'jurisdiction_code',
      'queue',
      'priority',
      'merchant_id',
      'case_id',
      'verify_extended',
      'verify_by',
      'accepted_at',
      'decided_at',
      'mediation_ends_by',
      'paused_at',
      'paused_days',
      'reporter_email',
      'language',
      decisionState.as('state'),
    ])
    .where('tracking_no', '=', v.trackingNo),
);
type ItemRow = Awaited<ReturnType<typeof loadItemStatement>>[number];

/** What a decision changes: the item's columns, its final status, the event's data and the day the consumer is told. */
interface Changes {
  set: Partial<Pick<Updateable<ItemTable>, SettableColumn>>;
  finalStatus: ItemStatus;
  eventData: { bureauName?: string; [key: string]: unknown };
  consumerDeadline?: string;
}

/** The columns an effect may set (besides status and updated_at, which every decision sets). */
type SettableColumn =
  | 'accepted_at'
  | 'decided_at'
  | 'mediation_ends_by'
  | 'paused_days'
  | 'paused_at'
  | 'reason_code'
  | 'outcome'
  | 'verify_by'
  | 'verify_extended'
  | 'jurisdiction_code'
  | 'queue'
  | 'case_id'
  | 'accept_by';

/**
 * Applies one decision to an item through the state machine. The write is conditional on the item being as it was read
 * (decisionState), so of two concurrent decisions exactly one wins and none is computed from a stale read (a pause and
 * a resume in between leave the status as it was); the other is a 409. One read, then one statement that writes the
 * item, its events and the consumer's email (a transfer also opens or joins a case in the new county first, in a
 * transaction with the write); then, when the item left its case finished or for another one, the case closes if
 * nothing in it is open any more (closeCaseIfDone, which must see this decision committed).
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
  // A number that cannot exist (a page's path may carry %00) is unknown, not a query PostgreSQL would refuse.
  if (!TRACKING_NO_PATTERN.test(trackingNo)) throw notFound('complaint');
  const [item] = await loadItemStatement(ctx.db, { trackingNo });
  if (!item || !withinJurisdiction(staff.jurisdictionCode, item.jurisdiction_code)) throw notFound('complaint');
  return decideOn(ctx, item, { type: 'staff', id: staff.id, role: staff.role }, input, language, new Date());
}

/**
 * Ends a complaint's mediation once its 60 days (days paused for testing not counted) have run out without agreement:
 * the system closes it as mediation_expired and the consumer is told, with where else to turn. False when there is
 * nothing to end: the item moved on, its period still runs, or a decision made meanwhile won.
 */
export async function expireMediation(ctx: ServiceContext, trackingNo: string, now: Date): Promise<boolean> {
  const [item] = await loadItemStatement(ctx.db, { trackingNo });
  if (!item || !mediationRunning(item.status) || !item.mediation_ends_by || item.mediation_ends_by >= now) return false;
  try {
    await decideOn(ctx, item, { type: 'system' }, { to: 'closed', outcome: 'mediation_expired' }, item.language, now);
    return true;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'conflict') return false;
    throw e;
  }
}

const mediationRunning = (status: ItemStatus) => status === 'accepted' || status === 'mediating';

/** Who a decision's events name: a member of staff with their role, or the system where the law ends a period. */
type Actor = { type: 'staff'; id: number; role: StaffRole } | { type: 'system' };

/** Plans a decision on the item as it was read, applies it, and closes the case it left when nothing in it is open. */
async function decideOn(ctx: ServiceContext, item: ItemRow, actor: Actor, input: TransitionInput, language: Language, now: Date) {
  const today = shanghaiDate(now);
  const role = actor.type === 'staff' ? actor.role : 'system';
  const plan = planTransition({ kind: item.kind, from: item.status, role, verifyExtended: item.verify_extended, ...input });
  if (!plan.ok) {
    if (plan.error === 'forbidden') throw new DomainError('forbidden', 'your role may not make this decision');
    if (plan.error === 'invalid') throw invalidFields({ field: plan.field, message: plan.message });
    throw new DomainError('conflict', `cannot move from ${item.status} to ${input.to}`, { current: item.status, allowed: plan.allowed });
  }

  const decide = async (db: DbOrTx, changes: Changes) => {
    const steps: ItemStatus[] = changes.finalStatus === plan.to ? [plan.to] : [plan.to, changes.finalStatus];
    const caseId = changes.set.case_id === undefined ? item.case_id : changes.set.case_id;
    // A column given as undefined is not set (null is: a resume clears paused_at).
    const columns = (Object.keys(changes.set) as SettableColumn[]).filter((c) => changes.set[c] !== undefined).sort();
    const statement = decisionStatement(columns);
    const [updated] = await statement(db, {
      ...Object.fromEntries(columns.map((c) => [`set_${c}`, changes.set[c]])),
      itemId: item.id,
      state: item.state,
      finalStatus: changes.finalStatus,
      now,
      actorType: actor.type,
      actorId: actor.type === 'staff' ? actor.id : null,
      eventFrom: [item.status, ...steps.slice(0, -1)],
      eventTo: steps,
      reasonCode: input.reasonCode ?? null,
      note: input.note ?? null,
      eventData: JSON.stringify({
        ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
        ...(input.outcome ? { outcome: input.outcome } : {}),
        ...changes.eventData,
      }),
      mailRecipient: item.reporter_email,
      mailLanguage: item.language,
      mailParams: JSON.stringify({
        trackingNo: item.tracking_no,
        kind: item.kind,
        status: plan.to === 'transferred' ? 'transferred' : changes.finalStatus,
        reasonCode: input.reasonCode,
        outcome: input.outcome,
        bureauName: changes.eventData.bureauName,
        deadline: changes.consumerDeadline,
        extended: plan.effect === 'extend_verification',
        trackingUrl: `${ctx.config.baseUrl}/track`,
      } satisfies TemplateParams<'status_changed'>),
    });
    if (!updated) throw new DomainError('conflict', 'the item changed meanwhile; reload it', { current: 'changed' });
    // The case the item was in may close when the item leaves it, finished or for another case (once committed).
    const leftCase = (finishedStatuses as readonly ItemStatus[]).includes(changes.finalStatus) || caseId !== item.case_id;
    return { updated, leftCase };
  };

  const { updated, leftCase } =
    plan.effect === 'transfer'
      ? await withTransaction(ctx.db, async (tx) => decide(tx, await transferChanges(ctx, tx, item, input.toDistrictCode!, today)))
      : await decide(ctx.db, effectChanges(ctx.calendar, plan.effect, item, input, now, today));
  if (leftCase && item.case_id !== null) await closeCaseIfDone(ctx.db, item.case_id);
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
}

/** The values of a decision's statement; the columns an effect sets come as set_<column>. */
type DecisionValues = {
  [setColumn: `set_${string}`]: unknown;
  itemId: number;
  state: string;
  finalStatus: ItemStatus;
  now: Date;
  actorType: 'staff' | 'system';
  actorId: number | null;
  eventFrom: ItemStatus[];
  eventTo: ItemStatus[];
  reasonCode: string | null;
  note: string | null;
  eventData: string;
  mailRecipient: string | null;
  mailLanguage: Language;
  mailParams: string;
};

/** One compiled statement per set of columns an effect writes (a handful in all). */
const decisionStatements = new Map<string, ReturnType<typeof buildDecisionStatement>>();
function decisionStatement(columns: SettableColumn[]) {
  const key = columns.join(',');
  let statement = decisionStatements.get(key);
  if (!statement) {
    // Numbered in the order first used: a name is per connection, and PostgreSQL keeps only 63 characters of it.
    statement = buildDecisionStatement(`transition_item_${decisionStatements.size + 1}`, columns);
    decisionStatements.set(key, statement);
  }
  return statement;
}

/**
 * u: the item, only while it is as the decision read it (decisionState); e: its events, in order; n and nj: the
 * consumer's email and its job, named after the last event.
 */
function buildDecisionStatement(name: string, columns: SettableColumn[]) {
  return compiledStatement(name, (db, v: DecisionValues) =>
    db
      .with('u', (q) =>
        q
          .updateTable('items')
          .set({
            ...(Object.fromEntries(columns.map((c) => [c, v[`set_${c}`]])) as Updateable<ItemTable>),
            status: v.finalStatus,
            updated_at: v.now,
          })
          .where('id', '=', v.itemId)
          .where(decisionState, '=', v.state)
          .returning([
            'id',
            'tracking_no',
            'status',
            'jurisdiction_code',
            'accept_by',
            'verify_by',
            'mediation_ends_by',
            'rectify_by',
            'recheck_by',
            'outcome',
            'reason_code',
          ]),
      )
      .with('e', (q) =>
        q
          .insertInto('item_events')
          .columns(['item_id', 'actor_type', 'actor_id', 'from_status', 'to_status', 'reason_code', 'note', 'data'])
          .expression((eb) =>
            eb
              .selectFrom([
                'u',
                sql<{
                  from_status: ItemStatus;
                  to_status: ItemStatus;
                  n: number;
                }>`unnest(${v.eventFrom}::text[], ${v.eventTo}::text[]) WITH ORDINALITY`.as(sql`s(from_status, to_status, n)`),
              ])
              .select([
                'u.id',
                eb.cast<'staff' | 'system'>(eb.val(v.actorType), 'text').as('actor_type'),
                eb.cast<number | null>(eb.val(v.actorId), 'bigint').as('actor_id'),
                sql<ItemStatus>`s.from_status`.as('from_status'),
                sql<ItemStatus>`s.to_status`.as('to_status'),
                eb.cast<string | null>(eb.val(v.reasonCode), 'text').as('reason_code'),
                eb.cast<string | null>(eb.val(v.note), 'text').as('note'),
                eb.cast<string>(eb.val(v.eventData), 'jsonb').as('data'),
              ])
              .orderBy(sql`s.n`),
          )
          .returning('id'),
      )
      .with('n', (q) =>
        insertNotifications(
          q,
          q
            .selectFrom('u')
            .select((eb) => [
              sql<string>`'event:' || (SELECT max(e.id) FROM e)`.as('dedupe_key'),
              'u.id as item_id',
              eb.cast<string>(eb.val(v.mailRecipient), 'text').as('recipient'),
              sql<EmailTemplate>`'status_changed'`.as('template'),
              eb.cast<Language>(eb.val(v.mailLanguage), 'text').as('language'),
              eb.cast<string>(eb.val(v.mailParams), 'jsonb').as('params'),
            ])
            .where((eb) => eb(eb.cast<string | null>(eb.val(v.mailRecipient), 'text'), 'is not', null)),
        ),
      )
      .with('nj', notifyJobsOfInserted)
      .selectFrom('u')
      .selectAll(),
  );
}

/** The changes of every effect but a transfer, which reads and writes the database (transferChanges). */
function effectChanges(
  cal: WorkingCalendar,
  effect: Exclude<Effect, 'transfer'>,
  item: ItemRow,
  input: TransitionInput,
  now: Date,
  today: string,
): Changes {
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
    case 'close': {
      // Mediation expires by law on its day; until then it ends only by agreement, failure or withdrawal.
      if (input.outcome === 'mediation_expired' && (!item.mediation_ends_by || now.getTime() <= item.mediation_ends_by.getTime())) {
        const endsBy = item.mediation_ends_by ? shanghaiDate(item.mediation_ends_by) : undefined;
        throw new DomainError('conflict', `mediation has not expired${endsBy ? `: it runs until ${endsBy}` : ''}`, {
          mediationEndsBy: endsBy,
        });
      }
      // decided_at is the bureau's first decision (accept or reject, file or not), which the legal time limit measures;
      // closing a complaint after mediation, or a case after enforcement, does not move it.
      return { ...base, set: { outcome: input.outcome ?? null, ...(item.decided_at ? {} : { decided_at: now }) } };
    }
    case 'start_mediation':
      refuseAfterMediationEnded(item, now);
      return base;
    case 'start_recheck':
      return base;
    case 'pause':
      refuseAfterMediationEnded(item, now);
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
      // The approval extends a running period; one that has ended is a missed deadline, which an extension must not hide.
      if (item.verify_by && item.verify_by.getTime() < now.getTime()) {
        const ended = shanghaiDate(item.verify_by);
        throw new DomainError('conflict', `the verification period ended on ${ended} and can no longer be extended`, { verifyBy: ended });
      }
      const day = cal.addWorkingDays(shanghaiDate(item.verify_by ?? now), timeLimits.reportVerifyWorkingDays);
      return {
        ...base,
        set: { verify_by: endOfShanghaiDay(day), verify_extended: true },
        eventData: { verifyBy: day },
        consumerDeadline: day,
      };
    }
  }
}

/** Once mediation's 60 days have run out it has ended by law: it can be closed, not carried on or paused. */
function refuseAfterMediationEnded(item: ItemRow, now: Date) {
  if (item.mediation_ends_by && item.mediation_ends_by.getTime() < now.getTime()) {
    const ended = shanghaiDate(item.mediation_ends_by);
    throw new DomainError('conflict', `mediation ended on ${ended}; it can only be closed`, { mediationEndsBy: ended });
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
