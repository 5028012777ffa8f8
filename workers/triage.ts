import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { withTransaction, type Tx } from '../shared/db/connection.js';
import type { ItemKind } from '../shared/db/schema.js';
import { endOfShanghaiDay, shanghaiDate, timeLimits } from '../shared/domain/calendar.js';
import { REPEAT_MERCHANT_WINDOW_DAYS, triagePriority, type PriorityFacts } from '../shared/domain/priority.js';
import { routeItem } from '../shared/domain/routing.js';
import { enqueue } from '../shared/queues.js';
import type { ComplaintInput } from '../shared/schemas/complaint.js';
import type { WorkerContext } from './context.js';

/** Statuses after which an item no longer counts as open against its merchant. */
const FINISHED_STATUSES = ['closed', 'rejected', 'not_filed'];

export type TriageResult = { routed: false; reason: 'already_routed' } | { routed: true; jurisdictionCode: string; priority: number };

/**
 * Routes one submitted item: jurisdiction → queue → priority → deadline → case, records the event and queues the
 * "received" email. Idempotent: the item row is locked and only a `submitted` item is routed, so a second run
 * of the same job changes nothing.
 */
export async function triageItem(ctx: WorkerContext, itemId: number): Promise<TriageResult> {
  return withTransaction(ctx.db, async (tx) => {
    const item = await tx.selectFrom('items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
    if (!item) throw new UnrecoverableError(`item ${itemId} does not exist`);
    if (item.status !== 'submitted') return { routed: false, reason: 'already_routed' } as const;

    const filed = item.merchant as ComplaintInput['merchant'];
    const merchant = await tx.selectFrom('merchants').selectAll().where('id', '=', item.merchant_id).executeTakeFirstOrThrow();
    const decision = routeItem(
      {
        category: item.category,
        districtCode: filed.districtCode ?? merchant.district_code,
        address: filed.address ?? merchant.address,
      },
      ctx.divisions,
      ctx.config.INTAKE_JURISDICTION_CODE,
    );
    const jurisdiction = await tx
      .selectFrom('jurisdictions')
      .select(['code', 'bureau_name'])
      .where('code', '=', decision.jurisdictionCode)
      .executeTakeFirst();
    if (!jurisdiction) throw new UnrecoverableError(`jurisdiction ${decision.jurisdictionCode} is not in the division table`);

    const openItems = await countOpenItemsAgainstMerchant(tx, item.merchant_id, item.received_at);
    const priority = triagePriority({ ...priorityFacts(item), openItemsAgainstMerchant: openItems });
    const deadline = deadlineFor(ctx, item.kind, item.received_at);
    const toStatus = item.kind === 'complaint' ? 'pending_acceptance' : 'pending_verification';

    const openCase = await tx
      .insertInto('cases')
      .values({
        merchant_id: item.merchant_id,
        category: item.category,
        queue: decision.queue,
        jurisdiction_code: decision.jurisdictionCode,
        status: 'open',
        priority,
        due_at: deadline.at,
      })
      .onConflict((oc) =>
        oc
          .columns(['merchant_id', 'category', 'jurisdiction_code'])
          .where('status', '=', 'open')
          .doUpdateSet({
            priority: sql`least(cases.priority, excluded.priority)`,
            due_at: sql`least(cases.due_at, excluded.due_at)`,
          }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();

    await tx
      .updateTable('items')
      .set({
        status: toStatus,
        jurisdiction_code: decision.jurisdictionCode,
        queue: decision.queue,
        priority,
        accept_by: item.kind === 'complaint' ? deadline.at : null,
        verify_by: item.kind === 'report' ? deadline.at : null,
        case_id: openCase.id,
        routed_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', item.id)
      .where('status', '=', 'submitted')
      .execute();
    await tx
      .insertInto('item_events')
      .values({
        item_id: item.id,
        actor_type: 'system',
        from_status: 'submitted',
        to_status: toStatus,
        note: `routing: ${decision.basis}`,
        data: JSON.stringify({
          jurisdictionCode: decision.jurisdictionCode,
          bureauName: jurisdiction.bureau_name,
          queue: decision.queue,
          priority,
          routed: decision.routed,
          caseId: openCase.id,
          openItemsAgainstMerchant: openItems,
        }),
      })
      .execute();

    if (item.reporter_email) {
      await queueEmail(tx, {
        dedupeKey: `item:${item.id}:received`,
        itemId: item.id,
        recipient: item.reporter_email,
        template: 'complaint_received',
        language: item.language,
        params: {
          trackingNo: item.tracking_no,
          accessCodeSealed: item.access_code_sealed,
          kind: item.kind,
          bureauName: jurisdiction.bureau_name,
          routed: decision.routed,
          deadline: deadline.day,
          trackingUrl: ctx.config.PUBLIC_URL ? `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/api/v1/complaints/${item.tracking_no}` : undefined,
        },
      });
    }
    return { routed: true, jurisdictionCode: decision.jurisdictionCode, priority } as const;
  });
}

function deadlineFor(ctx: WorkerContext, kind: ItemKind, receivedAt: Date) {
  const days = kind === 'complaint' ? timeLimits.complaintAcceptWorkingDays : timeLimits.reportVerifyWorkingDays;
  const day = ctx.calendar.addWorkingDays(shanghaiDate(receivedAt), days);
  return { day, at: endOfShanghaiDay(day) };
}

function priorityFacts(item: {
  category: PriorityFacts['category'];
  harm: { injury: PriorityFacts['injury']; childInvolved: boolean } | null;
  evidence: Record<string, unknown> | null;
  screening: Record<string, unknown> | null;
}): Omit<PriorityFacts, 'openItemsAgainstMerchant'> {
  const e = item.evidence ?? {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  return {
    category: item.category,
    injury: item.harm?.injury,
    childInvolved: item.harm?.childInvolved,
    hazards: item.category === 'child_product' ? strings(e.hazards) : undefined,
    ebikeIssues: item.category === 'ebike' ? strings(e.issues) : undefined,
    hasCccMark: typeof e.hasCccMark === 'boolean' ? e.hasCccMark : undefined,
    scaleRatio: typeof item.screening?.ratio === 'number' ? item.screening.ratio : undefined,
  };
}

async function countOpenItemsAgainstMerchant(tx: Tx, merchantId: number, receivedAt: Date): Promise<number> {
  const row = await tx
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('received_at', '>', new Date(receivedAt.getTime() - REPEAT_MERCHANT_WINDOW_DAYS * 86_400_000))
    .where('received_at', '<=', receivedAt)
    .where('status', 'not in', FINISHED_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One notification row per dedupe key, then its job through the outbox; a second call is a no-op. */
export async function queueEmail(
  tx: Tx,
  n: {
    dedupeKey: string;
    itemId: number | null;
    recipient: string;
    template: string;
    language: 'zh-CN' | 'en';
    params: Record<string, unknown>;
  },
): Promise<void> {
  const row = await tx
    .insertInto('notifications')
    .values({
      dedupe_key: n.dedupeKey,
      item_id: n.itemId,
      recipient: n.recipient,
      template: n.template,
      language: n.language,
      params: JSON.stringify(n.params),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) await enqueue(tx, 'notify', { notificationId: row.id });
}
