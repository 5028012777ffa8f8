import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { endOfShanghaiDay, shanghaiDate, timeLimits } from '../shared/calendar/index.js';
import { mergeIntoOpenCase, routeItem, type CaseQueue } from '../shared/casework/index.js';
import {
  finishedStatuses,
  REPEAT_MERCHANT_WINDOW_DAYS,
  triagePriority,
  type ComplaintInput,
  type ItemKind,
  type PriorityFacts,
} from '../shared/complaints/index.js';
import { prepared, preparedFirst, type DbOrTx } from '../shared/db/index.js';
import { outboxRow } from '../shared/queue/index.js';
import { findActiveRecalls, holdRecallMatchingLock, itemProductOf, type ActiveRecall, type ItemProduct } from '../shared/recalls/index.js';
import type { WorkerContext } from './context.js';

export type TriageResult = { routed: false; reason: 'already_routed' } | { routed: true; jurisdictionCode: string; priority: number };

/**
 * Routes one submitted item: jurisdiction → queue → priority → deadline → case, records the event and queues the
 * "received" email. One read, then one statement that writes everything (see routeStatement), guarded by status =
 * 'submitted': Postgres re-checks that guard after taking the row lock, so of two concurrent runs exactly one routes
 * the item and a repeated run changes nothing. An item naming a model is matched against the published recalls in a
 * transaction holding the recall-matching lock (see holdRecallMatchingLock), so a recall published meanwhile either
 * finds the item's product or is found by it. Round trips are what routing costs: two, or five with a model.
 */
export async function triageItem(ctx: WorkerContext, input: { trackingNo: string }): Promise<TriageResult> {
  const item = await preparedFirst(ctx.db, 'triage_load_item', loadItemQuery(ctx.db, input.trackingNo));
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
  const product = itemProductOf(item);
  const routing: Routing = {
    item,
    product,
    toStatus: item.kind === 'complaint' ? 'pending_acceptance' : 'pending_verification',
    jurisdictionCode: decision.jurisdictionCode,
    queue: decision.queue,
    priority,
    deadline,
    eventNote: `routing: ${decision.basis}`,
    eventData: {
      jurisdictionCode: decision.jurisdictionCode,
      bureauName,
      queue: decision.queue,
      priority,
      routed: decision.routed,
      openItemsAgainstMerchant: openItems,
    },
    receivedMail: (recalls) => ({
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
    }),
  };

  const route = async (db: DbOrTx, recalls: ActiveRecall[]) =>
    (await prepared(db, 'triage_route_item', routeStatement(db, routing, recalls))).length > 0;
  const routed =
    product.keys.modelKey === null
      ? await route(ctx.db, [])
      : await ctx.db.transaction().execute(async (tx) => {
          await holdRecallMatchingLock(tx, 'shared');
          return route(tx, await findActiveRecalls(tx, product.keys));
        });
  return routed
    ? ({ routed: true, jurisdictionCode: decision.jurisdictionCode, priority } as const)
    : ({ routed: false, reason: 'already_routed' } as const);
}

/** The item with its merchant's filed location and the open items against that merchant in the repeat window. */
function loadItemQuery(db: DbOrTx, trackingNo: string) {
  return db
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
    .where('items.tracking_no', '=', trackingNo);
}

type LoadedItem = NonNullable<Awaited<ReturnType<ReturnType<typeof loadItemQuery>['executeTakeFirst']>>>;

interface Routing {
  item: LoadedItem;
  product: ItemProduct;
  toStatus: 'pending_acceptance' | 'pending_verification';
  jurisdictionCode: string;
  queue: CaseQueue;
  priority: number;
  deadline: { day: string; at: Date };
  eventNote: string;
  eventData: Record<string, unknown>;
  receivedMail: (recalls: ActiveRecall[]) => Record<string, unknown>;
}

/**
 * Routing as one statement, every value a parameter so its text never varies (a named prepared statement): the
 * case upsert and the item update are guarded by status = 'submitted', and every other write reads the updated row
 * (u), so a run that finds the item routed already writes nothing. It writes the routing event (with the case), the
 * item's product (for signals and recall fan-outs), the signal check of a hazardous product, the item's notices of
 * the recalls it falls under (the acknowledgement is their notice, so a fan-out running meanwhile sends no second
 * one) and the "received" email with its job. It returns the routed item's row, none when it was routed already.
 */
function routeStatement(db: DbOrTx, r: Routing, recalls: ActiveRecall[]) {
  const { item, product } = r;
  const k = product.keys;
  const email = item.reporter_email;
  const checkSignals = product.hazardous && (k.productKey !== null || k.manufacturerKey !== null);
  const flag = (on: boolean) => sql<boolean>`${on}::boolean`;
  return db
    .with('c', (q) =>
      q
        .insertInto('cases')
        .columns(['merchant_id', 'category', 'queue', 'jurisdiction_code', 'status', 'priority', 'due_at'])
        .expression((eb) =>
          eb
            .selectFrom('items')
            .select([
              'items.merchant_id',
              'items.category',
              eb.val(r.queue).as('queue'),
              eb.val(r.jurisdictionCode).as('jurisdiction_code'),
              sql<'open'>`'open'`.as('status'),
              eb.val(r.priority).as('priority'),
              eb.val(r.deadline.at).as('due_at'),
            ])
            .where('items.id', '=', item.id)
            .where('items.status', '=', 'submitted'),
        )
        .onConflict(mergeIntoOpenCase)
        .returning('id'),
    )
    .with('u', (q) =>
      q
        .updateTable('items')
        .set((eb) => ({
          status: r.toStatus,
          jurisdiction_code: r.jurisdictionCode,
          queue: r.queue,
          priority: r.priority,
          accept_by: item.kind === 'complaint' ? r.deadline.at : null,
          verify_by: item.kind === 'report' ? r.deadline.at : null,
          case_id: eb.selectFrom('c').select('c.id'),
          routed_at: sql`now()`,
          updated_at: sql`now()`,
        }))
        .where('id', '=', item.id)
        .where('status', '=', 'submitted')
        .returning('id'),
    )
    .with('e', (q) =>
      q
        .insertInto('item_events')
        .columns(['item_id', 'actor_type', 'from_status', 'to_status', 'note', 'data'])
        .expression((eb) =>
          eb
            .selectFrom(['u', 'c'])
            .select([
              'u.id',
              sql<'system'>`'system'`.as('actor_type'),
              sql<'submitted'>`'submitted'`.as('from_status'),
              eb.val(r.toStatus).as('to_status'),
              eb.val(r.eventNote).as('note'),
              sql<string>`${JSON.stringify(r.eventData)}::jsonb || jsonb_build_object('caseId', c.id)`.as('data'),
            ]),
        ),
    )
    .with('p', (q) =>
      q
        .insertInto('item_products')
        .columns([
          'item_id',
          'received_at',
          'jurisdiction_code',
          'brand_key',
          'model_key',
          'batch_key',
          'product_key',
          'manufacturer_key',
          'manufacturer_uscc',
          'manufacturer_name_key',
          'hazardous',
          'hazards',
          'injury',
        ])
        .expression((eb) =>
          eb
            .selectFrom('u')
            .select([
              'u.id',
              eb.val(item.received_at).as('received_at'),
              eb.val(r.jurisdictionCode).as('jurisdiction_code'),
              eb.val(k.brandKey).as('brand_key'),
              eb.val(k.modelKey).as('model_key'),
              eb.val(k.batchKey).as('batch_key'),
              eb.val(k.productKey).as('product_key'),
              eb.val(k.manufacturerKey).as('manufacturer_key'),
              eb.val(k.manufacturerUscc).as('manufacturer_uscc'),
              eb.val(k.manufacturerNameKey).as('manufacturer_name_key'),
              eb.val(product.hazardous).as('hazardous'),
              sql<string[]>`${product.hazards}::text[]`.as('hazards'),
              eb.val(product.injury).as('injury'),
            ]),
        )
        .onConflict((oc) => oc.column('item_id').doNothing()),
    )
    .with('s', (q) =>
      q
        .insertInto('outbox')
        .columns(['queue', 'payload'])
        .expression((eb) =>
          eb
            .selectFrom('u')
            .select([sql<string>`'signals'`.as('queue'), eb.val(outboxRow('signals', { itemId: item.id }).payload).as('payload')])
            .where(flag(checkSignals)),
        ),
    )
    .with('rn', (q) =>
      q
        .insertInto('recall_notices')
        .columns(['recall_id', 'recipient', 'kind', 'language', 'item_id', 'status'])
        .expression((eb) =>
          eb
            .selectFrom('u')
            .select([
              sql<number>`unnest(${email ? recalls.map((x) => x.id) : []}::bigint[])`.as('recall_id'),
              eb.val(email?.toLowerCase() ?? '').as('recipient'),
              sql<'consumer'>`'consumer'`.as('kind'),
              eb.val(item.language).as('language'),
              'u.id',
              sql<'included'>`'included'`.as('status'),
            ]),
        )
        .onConflict((oc) => oc.columns(['recall_id', 'recipient']).doNothing()),
    )
    .with('n', (q) =>
      q
        .insertInto('notifications')
        .columns(['dedupe_key', 'item_id', 'recipient', 'template', 'language', 'params'])
        .expression((eb) =>
          eb
            .selectFrom('u')
            .select([
              eb.val(`item:${item.id}:received`).as('dedupe_key'),
              'u.id',
              eb.val(email ?? '').as('recipient'),
              sql<string>`'complaint_received'`.as('template'),
              eb.val(item.language).as('language'),
              eb.val(JSON.stringify(r.receivedMail(recalls))).as('params'),
            ])
            .where(flag(email !== null)),
        )
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id'),
    )
    .with('nj', (q) =>
      q
        .insertInto('outbox')
        .columns(['queue', 'payload'])
        .expression(
          // The notify job's payload, { notificationId }, as enqueue writes it (the worker validates it again).
          q
            .selectFrom('n')
            .select([sql<string>`'notify'`.as('queue'), sql<string>`jsonb_build_object('notificationId', n.id)`.as('payload')]),
        ),
    )
    .selectFrom('u')
    .select('u.id');
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
