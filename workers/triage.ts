import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { endOfShanghaiDay, shanghaiDate, timeLimits } from '../shared/calendar/index.js';
import { routeItem, upsertOpenCase } from '../shared/casework/index.js';
import {
  finishedStatuses,
  REPEAT_MERCHANT_WINDOW_DAYS,
  triagePriority,
  type ComplaintInput,
  type ItemKind,
  type PriorityFacts,
} from '../shared/complaints/index.js';
import { withTransaction, type Tx } from '../shared/db/index.js';
import type { Language } from '../shared/i18n/index.js';
import { queueNotification } from '../shared/mail/index.js';
import { enqueue } from '../shared/queue/index.js';
import {
  findActiveRecalls,
  holdRecallMatchingLock,
  itemProductOf,
  recordItemProduct,
  type ActiveRecall,
  type ItemProduct,
} from '../shared/recalls/index.js';
import type { WorkerContext } from './context.js';

export type TriageResult = { routed: false; reason: 'already_routed' } | { routed: true; jurisdictionCode: string; priority: number };

/**
 * Routes one submitted item: jurisdiction → queue → priority → deadline → case, records the event and queues the
 * "received" email. One read, then one transaction whose item update is guarded by status = 'submitted':
 * Postgres re-checks that guard after taking the row lock, so of two concurrent runs exactly one routes the item
 * and a repeated run changes nothing.
 */
export async function triageItem(ctx: WorkerContext, input: { trackingNo: string }): Promise<TriageResult> {
  const item = await ctx.db
    .selectFrom('items')
    .innerJoin('merchants', 'merchants.id', 'items.merchant_id')
    .selectAll('items')
    .select(['merchants.district_code as merchant_district_code', 'merchants.address as merchant_address'])
    .select((eb) =>
      eb
        .selectFrom('items as other')
        .select((o) => o.fn.countAll<number>().as('n'))
        .whereRef('other.merchant_id', '=', 'items.merchant_id')
        .where('other.received_at', '>', sql<Date>`items.received_at - make_interval(days => ${REPEAT_MERCHANT_WINDOW_DAYS})`)
        .whereRef('other.received_at', '<=', 'items.received_at')
        .where('other.status', 'not in', [...finishedStatuses])
        .as('open_items'),
    )
    .where('items.tracking_no', '=', input.trackingNo)
    .executeTakeFirst();
  if (!item) throw new UnrecoverableError(`item ${input.trackingNo} does not exist`);
  if (item.status !== 'submitted') return { routed: false, reason: 'already_routed' } as const;

  const filed = item.merchant as ComplaintInput['merchant'];
  const decision = routeItem(
    {
      category: item.category,
      districtCode: filed.districtCode ?? item.merchant_district_code,
      address: filed.address ?? item.merchant_address,
    },
    ctx.divisions,
    ctx.config.INTAKE_JURISDICTION_CODE,
  );
  const bureauName = ctx.divisions.bureauName(decision.jurisdictionCode);
  if (!bureauName) throw new UnrecoverableError(`jurisdiction ${decision.jurisdictionCode} is not in the division table`);

  const openItems = Number(item.open_items ?? 1);
  const priority = triagePriority({ ...priorityFacts(item), openItemsAgainstMerchant: openItems });
  const deadline = deadlineFor(ctx, item.kind, item.received_at);
  const toStatus = item.kind === 'complaint' ? 'pending_acceptance' : 'pending_verification';

  return withTransaction(ctx.db, async (tx) => {
    // Lock the item; a run that finds it routed already (a concurrent or repeated run) writes nothing.
    const still = await tx
      .selectFrom('items')
      .select('id')
      .where('id', '=', item.id)
      .where('status', '=', 'submitted')
      .forUpdate()
      .executeTakeFirst();
    if (!still) return { routed: false, reason: 'already_routed' } as const;
    const openCase = await upsertOpenCase(tx, {
      merchantId: item.merchant_id,
      category: item.category,
      queue: decision.queue,
      jurisdictionCode: decision.jurisdictionCode,
      priority,
      dueAt: deadline.at,
    }).executeTakeFirstOrThrow();
    await tx
      .with('u', (q) =>
        q
          .updateTable('items')
          .set({
            status: toStatus,
            jurisdiction_code: decision.jurisdictionCode,
            queue: decision.queue,
            priority,
            accept_by: item.kind === 'complaint' ? deadline.at : null,
            verify_by: item.kind === 'report' ? deadline.at : null,
            case_id: openCase.id,
            routed_at: sql`now()`,
            updated_at: sql`now()`,
          })
          .where('id', '=', item.id)
          .returning('id'),
      )
      .insertInto('item_events')
      .values((eb) => ({
        item_id: eb.selectFrom('u').select('id'),
        actor_type: 'system',
        from_status: 'submitted',
        to_status: toStatus,
        note: `routing: ${decision.basis}`,
        data: JSON.stringify({
          jurisdictionCode: decision.jurisdictionCode,
          bureauName,
          queue: decision.queue,
          priority,
          routed: decision.routed,
          openItemsAgainstMerchant: openItems,
          caseId: openCase.id,
        }),
      }))
      .execute();

    const recalls = await noteProduct(tx, { item, product: itemProductOf(item), jurisdictionCode: decision.jurisdictionCode });

    if (item.reporter_email) {
      await queueNotification(tx, {
        dedupeKey: `item:${item.id}:received`,
        itemId: item.id,
        recipient: item.reporter_email,
        template: 'complaint_received',
        language: item.language,
        params: {
          trackingNo: item.tracking_no,
          accessCodeSealed: item.access_code_sealed,
          kind: item.kind,
          bureauName,
          routed: decision.routed,
          deadline: deadline.day,
          trackingUrl: `${ctx.config.baseUrl}/track`,
          ...(recalls.length > 0
            ? {
                recalls: recalls.map((r) => ({
                  recallNo: r.recallNo,
                  title: r.title,
                  remedy: r.remedy,
                  remedyInstructions: r.remedyInstructions,
                  consumerContact: r.consumerContact,
                })),
              }
            : {}),
        },
      });
    }
    return { routed: true, jurisdictionCode: decision.jurisdictionCode, priority } as const;
  });
}

/**
 * Records the product the item names (for defect signals and recall fan-outs), queues its signal check when it names
 * a hazard or an injury, and returns the active recalls it falls under. Those the consumer learns of from the
 * acknowledgement count as their notice, so a fan-out running meanwhile does not send a second one.
 */
async function noteProduct(
  tx: Tx,
  {
    item,
    product,
    jurisdictionCode,
  }: {
    item: { id: number; received_at: Date; reporter_email: string | null; language: Language };
    product: ItemProduct;
    jurisdictionCode: string;
  },
): Promise<ActiveRecall[]> {
  const { keys } = product;
  if (keys.modelKey !== null) await holdRecallMatchingLock(tx, 'shared');
  await recordItemProduct(tx, { itemId: item.id, receivedAt: item.received_at, jurisdictionCode, product });
  if (product.hazardous && (keys.productKey !== null || keys.manufacturerKey !== null)) await enqueue(tx, 'signals', { itemId: item.id });
  const recalls = await findActiveRecalls(tx, keys);
  if (item.reporter_email && recalls.length > 0) {
    await tx
      .insertInto('recall_notices')
      .values(
        recalls.map((r) => ({
          recall_id: r.id,
          recipient: item.reporter_email!.toLowerCase(),
          kind: 'consumer' as const,
          language: item.language,
          item_id: item.id,
          status: 'included' as const,
        })),
      )
      .onConflict((oc) => oc.columns(['recall_id', 'recipient']).doNothing())
      .execute();
  }
  return recalls;
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
