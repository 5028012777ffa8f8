import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { jurisdictionPrefix, withinJurisdiction } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import {
  caseQueues,
  recordCaseEvent,
  type CaseEventAction,
  type CaseEventData,
  type CaseDetail,
  type CaseEventView,
  type CaseListQuery,
  type CaseQueue,
} from '../../shared/casework/index.js';
import { compiledStatement, withTransaction, type CaseTable, type DbOrTx } from '../../shared/db/index.js';
import { DomainError, invalidFields, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import type { Selectable } from 'kysely';
import { caseAttachmentView } from '../attachments/index.js';
import { caseInScope, maskEmail, maskName, maskPhone } from './scope.js';

const dayOrNull = (d: Date | null) => (d ? shanghaiDate(d) : null);
/** Timestamps selected inside a JSON array arrive as ISO 8601 text with microseconds and an offset. */
const isoInstant = (text: string) => new Date(text).toISOString();
const dayOfText = (text: string | null) => (text ? shanghaiDate(new Date(text)) : null);

/** The queues a staff member works: an inspector's specialties, every queue for a regulator. */
function queuesOf(staff: Principal): readonly CaseQueue[] {
  return staff.role === 'inspector' ? staff.specialties : caseQueues;
}

const summary = (c: Selectable<CaseTable>) => ({
  id: c.id,
  queue: c.queue,
  category: c.category,
  jurisdictionCode: c.jurisdiction_code,
  status: c.status,
  priority: c.priority,
  dueOn: dayOrNull(c.due_at),
  claimedBy: c.claimed_by,
  claimedAt: c.claimed_at?.toISOString() ?? null,
  openedAt: c.opened_at.toISOString(),
  escalated: c.escalated_at !== null,
});

/** Cases in the caller's jurisdiction subtree, most urgent first, with reporters' contact details masked. */
export async function listCases(ctx: ServiceContext, { staff, query: q }: { staff: Principal; query: CaseListQuery }) {
  const rows = await ctx.db
    .selectFrom('cases')
    .innerJoin('merchants', 'merchants.id', 'cases.merchant_id')
    .selectAll('cases')
    .select('merchants.name as merchant_name')
    .where('cases.jurisdiction_code', 'like', `${jurisdictionPrefix(staff.jurisdictionCode)}%`)
    .where('cases.status', '=', q.status)
    .$if(q.queue !== undefined, (b) => b.where('cases.queue', '=', q.queue!))
    .$if(q.priority !== undefined, (b) => b.where('cases.priority', '=', q.priority!))
    .$if(q.claimed === 'mine', (b) => b.where('cases.claimed_by', '=', staff.id))
    .$if(q.claimed === 'unclaimed', (b) => b.where('cases.claimed_by', 'is', null))
    .orderBy('cases.priority')
    .orderBy(sql`cases.due_at nulls last`)
    .orderBy('cases.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const items = rows.length
    ? await ctx.db
        .selectFrom('items')
        .select(['case_id', 'tracking_no', 'kind', 'status', 'title', 'priority', 'reporter_name', 'reporter_phone', 'reporter_email'])
        .where(
          'case_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id')
        .execute()
    : [];
  return rows.map((c) => ({
    ...summary(c),
    merchantName: c.merchant_name,
    items: items
      .filter((i) => i.case_id === c.id)
      .map((i) => ({
        trackingNo: i.tracking_no,
        kind: i.kind,
        status: i.status,
        title: i.title,
        priority: i.priority,
        reporter: { name: maskName(i.reporter_name), phone: maskPhone(i.reporter_phone), email: maskEmail(i.reporter_email) },
      })),
  }));
}

const claimNextStatement = compiledStatement(
  'claim_next_case',
  (db, v: { staffId: number; jurisdictionPattern: string; queues: CaseQueue[] }) =>
    db
      .with('claimed', (q) =>
        q
          .updateTable('cases')
          .set({ claimed_by: v.staffId, claimed_at: sql<Date>`now()` })
          .where('id', '=', (eb) =>
            eb
              .selectFrom('cases')
              .select('id')
              // A literal, so a prepared statement's generic plan can still use the partial claim-order index.
              .where('status', '=', sql.lit('open'))
              .where('claimed_by', 'is', null)
              .where('jurisdiction_code', 'like', v.jurisdictionPattern)
              .where('queue', '=', eb.fn.any(eb.val(v.queues)))
              .orderBy('priority')
              .orderBy('due_at', (ob) => ob.asc().nullsLast())
              .orderBy('id')
              .limit(1)
              .forUpdate()
              .skipLocked(),
          )
          .returning('id'),
      )
      .insertInto('case_events')
      .columns(['case_id', 'actor_id', 'action', 'data'])
      .expression((eb) =>
        eb
          .selectFrom('claimed')
          .select([
            'claimed.id',
            eb.cast<number>(eb.val(v.staffId), 'bigint').as('actor_id'),
            eb.val<CaseEventAction>('claimed').as('action'),
            eb.cast<string>(eb.val(JSON.stringify({} satisfies CaseEventData<'claimed'>)), 'jsonb').as('data'),
          ]),
      )
      .returning('case_id'),
);

/**
 * Takes the most urgent unclaimed case in the caller's jurisdiction and queues, atomically, in one statement that
 * also records the claim: SKIP LOCKED lets concurrent callers pass over a row another is claiming, so no case is
 * ever handed out twice. The candidates come off the partial index on claimable rows (cases_claim_order_idx).
 */
export async function claimNextCase(ctx: ServiceContext, { staff, queue }: { staff: Principal; queue?: CaseQueue | undefined }) {
  const queues = queuesOf(staff);
  if (queue !== undefined && !queues.includes(queue))
    throw new DomainError('forbidden', `the ${queue} queue is not one of your specialties`);
  const wanted = queue ? [queue] : [...queues];
  if (wanted.length === 0) return undefined;
  const [claimed] = await claimNextStatement(ctx.db, {
    staffId: staff.id,
    jurisdictionPattern: `${jurisdictionPrefix(staff.jurisdictionCode)}%`,
    queues: wanted,
  });
  return claimed?.case_id;
}

export async function releaseCase(ctx: ServiceContext, { staff, caseId }: { staff: Principal; caseId: number }) {
  await withTransaction(ctx.db, async (tx) => {
    const c = await caseInScope(tx, staff, caseId, { lock: true });
    if (c.claimed_by !== staff.id && staff.role !== 'regulator')
      throw new DomainError('conflict', 'only the assignee or a regulator can release this case');
    if (c.claimed_by === null) throw new DomainError('conflict', 'the case is not claimed');
    await tx.updateTable('cases').set({ claimed_by: null, claimed_at: null }).where('id', '=', caseId).execute();
    await recordCaseEvent(tx, { caseId, actorId: staff.id, action: 'released', data: { from: c.claimed_by } });
  });
}

/** A regulator hands a case to an active inspector whose jurisdiction and specialties cover it. */
export async function assignCase(
  ctx: ServiceContext,
  { staff, caseId, inspectorId }: { staff: Principal; caseId: number; inspectorId: number },
) {
  await withTransaction(ctx.db, async (tx) => {
    const c = await caseInScope(tx, staff, caseId, { lock: true });
    if (c.status !== 'open') throw new DomainError('conflict', 'the case is closed');
    const inspector = await tx.selectFrom('staff').selectAll().where('id', '=', inspectorId).executeTakeFirst();
    const fits =
      inspector?.active &&
      inspector.role === 'inspector' &&
      withinJurisdiction(inspector.jurisdiction_code, c.jurisdiction_code) &&
      inspector.specialties.includes(c.queue);
    if (!fits)
      throw invalidFields({ field: 'inspectorId', message: 'not an active inspector covering this case’s jurisdiction and queue' });
    await tx.updateTable('cases').set({ claimed_by: inspectorId, claimed_at: new Date() }).where('id', '=', caseId).execute();
    await recordCaseEvent(tx, { caseId, actorId: staff.id, action: 'assigned', data: { from: c.claimed_by, to: inspectorId } });
  });
}

/**
 * A case with its merchant, items, inspections, attachments and events, in one statement (one JSON array per
 * child table). Timestamps inside the arrays arrive as ISO text.
 */
const loadCaseStatement = compiledStatement('load_case', (db, v: { caseId: number }) =>
  db
    .selectFrom('cases')
    .selectAll('cases')
    .select((eb) => [
      jsonObjectFrom(
        eb
          .selectFrom('merchants')
          .select(['name', 'uscc', 'district_code', 'address', 'online_shop_url'])
          .whereRef('merchants.id', '=', 'cases.merchant_id'),
      )
        .$notNull()
        .as('merchant'),
      jsonArrayFrom(
        eb
          .selectFrom('items')
          .select((ib) => [
            'items.id',
            'items.tracking_no',
            'items.kind',
            'items.category',
            'items.status',
            'items.title',
            'items.description',
            'items.occurred_on',
            'items.priority',
            'items.product',
            'items.evidence',
            'items.harm',
            'items.screening',
            'items.warnings',
            'items.outcome',
            'items.reason_code',
            'items.verify_extended',
            'items.reporter_name',
            'items.reporter_phone',
            'items.reporter_email',
            'items.language',
            ib.ref('items.received_at').$castTo<string>().as('received_at'),
            ib.ref('items.accept_by').$castTo<string | null>().as('accept_by'),
            ib.ref('items.verify_by').$castTo<string | null>().as('verify_by'),
            ib.ref('items.mediation_ends_by').$castTo<string | null>().as('mediation_ends_by'),
            ib.ref('items.rectify_by').$castTo<string | null>().as('rectify_by'),
            ib.ref('items.recheck_by').$castTo<string | null>().as('recheck_by'),
            ib.ref('items.provincial_report_by').$castTo<string | null>().as('provincial_report_by'),
            ib.ref('items.provincial_reported_at').$castTo<string | null>().as('provincial_reported_at'),
          ])
          .whereRef('items.case_id', '=', 'cases.id')
          .orderBy('items.id'),
      ).as('items'),
      jsonArrayFrom(
        eb
          .selectFrom('inspections')
          .select((ib) => [
            'inspections.id',
            'inspections.item_id',
            'inspections.type',
            'inspections.verdict',
            'inspections.data',
            'inspections.notes',
            'inspections.inspector_id',
            ib.ref('inspections.created_at').$castTo<string>().as('created_at'),
          ])
          .whereRef('inspections.case_id', '=', 'cases.id')
          .orderBy('inspections.id'),
      ).as('inspections'),
      jsonArrayFrom(
        eb
          .selectFrom('attachments')
          .innerJoin('items', 'items.id', 'attachments.item_id')
          .select((ab) => [
            'attachments.id',
            'attachments.content_type',
            'attachments.size_bytes',
            'attachments.uploaded_by',
            ab.ref('attachments.created_at').$castTo<string>().as('created_at'),
            'items.tracking_no',
          ])
          .whereRef('items.case_id', '=', 'cases.id')
          .orderBy('attachments.id'),
      ).as('attachments'),
      jsonArrayFrom(
        eb
          .selectFrom('case_events')
          .select((cb) => [
            cb.ref('case_events.at').$castTo<string>().as('at'),
            'case_events.actor_id',
            'case_events.action',
            'case_events.data',
          ])
          .whereRef('case_events.case_id', '=', 'cases.id')
          .orderBy('case_events.id'),
      ).as('case_events'),
      jsonArrayFrom(
        eb
          .selectFrom('item_events')
          .innerJoin('items', 'items.id', 'item_events.item_id')
          .select((ib) => [
            ib.ref('item_events.at').$castTo<string>().as('at'),
            'item_events.actor_type',
            'item_events.actor_id',
            'item_events.from_status',
            'item_events.to_status',
            'item_events.reason_code',
            'item_events.note',
            'items.tracking_no',
          ])
          .whereRef('items.case_id', '=', 'cases.id')
          .orderBy('item_events.id'),
      ).as('item_events'),
    ])
    .where('cases.id', '=', v.caseId),
);

async function loadCase(db: DbOrTx, caseId: number) {
  const [c] = await loadCaseStatement(db, { caseId });
  return c;
}

type LoadedCase = NonNullable<Awaited<ReturnType<typeof loadCase>>>;

/** A loaded case in the caller's jurisdiction subtree; outside it, the same 404 as a missing one. */
async function loadCaseInScope(db: DbOrTx, staff: Principal, caseId: number): Promise<LoadedCase> {
  const c = await loadCase(db, caseId);
  if (!c || !withinJurisdiction(staff.jurisdictionCode, c.jurisdiction_code)) throw notFound('case');
  return c;
}

/**
 * The case with its items, inspections and events. Reporters' full contact details go only to the handling
 * bureau's own staff (and the assignee); each time they do, the view is recorded.
 */
export async function getCase(ctx: ServiceContext, { staff, caseId }: { staff: Principal; caseId: number }): Promise<CaseDetail> {
  const c = await loadCaseInScope(ctx.db, staff, caseId);
  const { items, merchant } = c;
  const fullContact = staff.jurisdictionCode === c.jurisdiction_code || c.claimed_by === staff.id;
  const events = caseEvents(c);
  if (fullContact && items.some((i) => i.reporter_phone || i.reporter_email || i.reporter_name)) {
    const data = { items: items.map((i) => i.tracking_no) };
    const { at } = await recordCaseEvent(ctx.db, { caseId, actorId: staff.id, action: 'contact_viewed', data });
    events.push({ at: at.toISOString(), actorId: staff.id, action: 'contact_viewed', data });
  }
  return {
    ...summary(c),
    merchant: {
      name: merchant.name,
      uscc: merchant.uscc,
      districtCode: merchant.district_code,
      address: merchant.address,
      onlineShopUrl: merchant.online_shop_url,
    },
    items: items.map((i) => ({
      trackingNo: i.tracking_no,
      kind: i.kind,
      category: i.category,
      status: i.status,
      title: i.title,
      description: i.description,
      occurredOn: i.occurred_on,
      priority: i.priority,
      // Stored from the validated intake body.
      product: i.product,
      evidence: i.evidence as CaseDetail['items'][number]['evidence'],
      harm: i.harm,
      screening: i.screening as CaseDetail['items'][number]['screening'],
      warnings: i.warnings,
      receivedAt: isoInstant(i.received_at),
      deadlines: {
        acceptBy: dayOfText(i.accept_by),
        verifyBy: dayOfText(i.verify_by),
        mediationEndsBy: dayOfText(i.mediation_ends_by),
        rectifyBy: dayOfText(i.rectify_by),
        recheckBy: dayOfText(i.recheck_by),
        provincialReportBy: dayOfText(i.provincial_report_by),
      },
      provincialReportedAt: i.provincial_reported_at === null ? null : isoInstant(i.provincial_reported_at),
      outcome: i.outcome,
      reasonCode: i.reason_code,
      verifyExtended: i.verify_extended,
      reporter: fullContact
        ? { name: i.reporter_name, phone: i.reporter_phone, email: i.reporter_email, language: i.language }
        : { name: maskName(i.reporter_name), phone: maskPhone(i.reporter_phone), email: maskEmail(i.reporter_email), language: i.language },
    })),
    // The data column holds what recordInspection computed for that type (the schemas' result shapes).
    inspections: c.inspections.map(
      (x) =>
        ({
          id: x.id,
          type: x.type,
          verdict: x.verdict,
          data: x.data,
          notes: x.notes,
          inspectorId: x.inspector_id,
          trackingNo: items.find((i) => i.id === x.item_id)?.tracking_no ?? null,
          createdAt: isoInstant(x.created_at),
        }) as CaseDetail['inspections'][number],
    ),
    attachments: c.attachments.map(caseAttachmentView),
    contactDetails: fullContact ? 'full' : 'masked',
    events,
  };
}

/** Every change on a case and its items, oldest first: decisions, claims, inspections and contact views. */
function caseEvents(c: Pick<LoadedCase, 'case_events' | 'item_events'>): CaseEventView[] {
  return [
    // Stored through recordCaseEvent, whose data is typed by the action.
    ...c.case_events.map((e) => ({ at: isoInstant(e.at), actorId: e.actor_id, action: e.action, data: e.data }) as CaseEventView),
    ...c.item_events.map((e): CaseEventView => ({
      at: isoInstant(e.at),
      actorId: e.actor_id,
      action: 'transition',
      data: {
        trackingNo: e.tracking_no,
        from: e.from_status,
        to: e.to_status,
        reasonCode: e.reason_code,
        note: e.note,
        actorType: e.actor_type,
      },
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
}

export async function listCaseEvents(ctx: ServiceContext, { staff, caseId }: { staff: Principal; caseId: number }) {
  return caseEvents(await loadCaseInScope(ctx.db, staff, caseId));
}

/** Active inspectors who could take a case: its jurisdiction and queue are theirs (for a regulator's reassignment). */
export async function listAssignableInspectors(ctx: ServiceContext, { staff, caseId }: { staff: Principal; caseId: number }) {
  const c = await caseInScope(ctx.db, staff, caseId);
  const rows = await ctx.db
    .selectFrom('staff')
    .select(['id', 'name', 'jurisdiction_code'])
    .where('role', '=', 'inspector')
    .where('active', '=', true)
    .where(sql<boolean>`${c.queue} = ANY(specialties)`)
    .orderBy('name')
    .execute();
  return rows
    .filter((r) => withinJurisdiction(r.jurisdiction_code, c.jurisdiction_code))
    .map((r) => ({ id: r.id, name: r.name, jurisdictionCode: r.jurisdiction_code }));
}
