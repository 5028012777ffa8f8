import { sql } from 'kysely';
import { jurisdictionPrefix, withinJurisdiction } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import {
  caseQueues,
  recordCaseEvent,
  type CaseDetail,
  type CaseEventView,
  type CaseListQuery,
  type CaseQueue,
} from '../../shared/casework/index.js';
import { withTransaction, type CaseTable } from '../../shared/db/index.js';
import { DomainError, invalidFields } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import type { Selectable } from 'kysely';
import { listCaseAttachments } from '../attachments/index.js';
import { caseInScope, maskEmail, maskName, maskPhone } from './scope.js';

const dayOrNull = (d: Date | null) => (d ? shanghaiDate(d) : null);

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

/**
 * Takes the most urgent unclaimed case in the caller's jurisdiction and queues, atomically: SKIP LOCKED lets
 * concurrent callers pass over a row another is claiming, so no case is ever handed out twice.
 */
export async function claimNextCase(ctx: ServiceContext, { staff, queue }: { staff: Principal; queue?: CaseQueue | undefined }) {
  const queues = queuesOf(staff);
  if (queue !== undefined && !queues.includes(queue))
    throw new DomainError('forbidden', `the ${queue} queue is not one of your specialties`);
  const wanted = queue ? [queue] : [...queues];
  if (wanted.length === 0) return undefined;
  return withTransaction(ctx.db, async (tx) => {
    const claimed = await sql<{ id: number }>`
      UPDATE cases SET claimed_by = ${staff.id}, claimed_at = now()
      WHERE id = (
        SELECT id FROM cases
        WHERE status = 'open' AND claimed_by IS NULL
          AND jurisdiction_code LIKE ${`${jurisdictionPrefix(staff.jurisdictionCode)}%`}
          AND queue = ANY(${wanted}::text[])
        ORDER BY priority, due_at NULLS LAST, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id`.execute(tx);
    const id = claimed.rows[0]?.id;
    if (id === undefined) return undefined;
    await recordCaseEvent(tx, { caseId: id, actorId: staff.id, action: 'claimed', data: {} });
    return id;
  });
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
 * The case with its items, inspections and events. Reporters' full contact details go only to the handling
 * bureau's own staff (and the assignee); each time they do, the view is recorded.
 */
export async function getCase(ctx: ServiceContext, { staff, caseId }: { staff: Principal; caseId: number }): Promise<CaseDetail> {
  const c = await caseInScope(ctx.db, staff, caseId);
  const merchant = await ctx.db.selectFrom('merchants').selectAll().where('id', '=', c.merchant_id).executeTakeFirstOrThrow();
  const items = await ctx.db.selectFrom('items').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const inspections = await ctx.db.selectFrom('inspections').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const fullContact = staff.jurisdictionCode === c.jurisdiction_code || c.claimed_by === staff.id;
  if (fullContact && items.some((i) => i.reporter_phone || i.reporter_email || i.reporter_name)) {
    await recordCaseEvent(ctx.db, {
      caseId,
      actorId: staff.id,
      action: 'contact_viewed',
      data: { items: items.map((i) => i.tracking_no) },
    });
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
      receivedAt: i.received_at.toISOString(),
      deadlines: {
        acceptBy: dayOrNull(i.accept_by),
        verifyBy: dayOrNull(i.verify_by),
        mediationEndsBy: dayOrNull(i.mediation_ends_by),
        rectifyBy: dayOrNull(i.rectify_by),
        recheckBy: dayOrNull(i.recheck_by),
      },
      outcome: i.outcome,
      reasonCode: i.reason_code,
      reporter: fullContact
        ? { name: i.reporter_name, phone: i.reporter_phone, email: i.reporter_email, language: i.language }
        : { name: maskName(i.reporter_name), phone: maskPhone(i.reporter_phone), email: maskEmail(i.reporter_email), language: i.language },
    })),
    // The data column holds what recordInspection computed for that type (the schemas' result shapes).
    inspections: inspections.map(
      (x) =>
        ({
          id: x.id,
          type: x.type,
          verdict: x.verdict,
          data: x.data,
          notes: x.notes,
          inspectorId: x.inspector_id,
          trackingNo: items.find((i) => i.id === x.item_id)?.tracking_no ?? null,
          createdAt: x.created_at.toISOString(),
        }) as CaseDetail['inspections'][number],
    ),
    attachments: await listCaseAttachments(ctx, { caseId }),
    contactDetails: fullContact ? 'full' : 'masked',
    events: await caseEvents(ctx, caseId),
  };
}

/** Every change on a case and its items, oldest first: decisions, claims, inspections and contact views. */
async function caseEvents(ctx: ServiceContext, caseId: number): Promise<CaseEventView[]> {
  const [caseRows, itemRows] = await Promise.all([
    ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).execute(),
    ctx.db
      .selectFrom('item_events')
      .innerJoin('items', 'items.id', 'item_events.item_id')
      .select([
        'item_events.at',
        'item_events.actor_type',
        'item_events.actor_id',
        'item_events.from_status',
        'item_events.to_status',
        'item_events.reason_code',
        'item_events.note',
        'items.tracking_no',
      ])
      .where('items.case_id', '=', caseId)
      .execute(),
  ]);
  return [
    // Stored through recordCaseEvent, whose data is typed by the action.
    ...caseRows.map((e) => ({ at: e.at.toISOString(), actorId: e.actor_id, action: e.action, data: e.data }) as CaseEventView),
    ...itemRows.map((e): CaseEventView => ({
      at: e.at.toISOString(),
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
  await caseInScope(ctx.db, staff, caseId);
  return caseEvents(ctx, caseId);
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
