import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { endOfShanghaiDay, shanghaiDate, timeLimits } from '../shared/calendar/index.js';
import { mergeIntoOpenCase, routeItem, type CaseQueue } from '../shared/casework/index.js';
import {
  finishedStatuses,
  REPEAT_MERCHANT_WINDOW_DAYS,
  triagePriority,
  type ComplaintInput,
  type InjuryLevel,
  type ItemKind,
  type PriorityFacts,
} from '../shared/complaints/index.js';
import { compiledStatement, withTransaction, type DbOrTx } from '../shared/db/index.js';
import type { Language } from '../shared/i18n/index.js';
import { insertNotifications, notifyJobsOfInserted, type EmailTemplate, type TemplateParams } from '../shared/mail/index.js';
import { outboxRow } from '../shared/queue/index.js';
import { findActiveRecalls, holdRecallMatchingLock, itemProductOf, type ActiveRecall } from '../shared/recalls/index.js';
import type { WorkerContext } from './context.js';

export type TriageResult = { routed: false; reason: 'already_routed' } | { routed: true; jurisdictionCode: string; priority: number };

/**
 * Routes one submitted item: jurisdiction → queue → priority → deadline → case, records the event and queues the
 * "received" email. One read, then one statement that writes everything (see routeItemStatement) once it holds the
 * item's row lock with the item still submitted: Postgres re-checks that after waiting for the lock, so of two
 * concurrent runs exactly one routes the item and a repeated run changes nothing. An item naming a model is matched against the published recalls in a
 * transaction holding the recall-matching lock (see holdRecallMatchingLock), so a recall published meanwhile either
 * finds the item's product or is found by it. Round trips are what routing costs: two, or five with a model.
 */
export async function triageItem(ctx: WorkerContext, input: { trackingNo: string }): Promise<TriageResult> {
  const [item] = await loadItemStatement(ctx.db, { trackingNo: input.trackingNo });
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
  const k = product.keys;
  const toStatus = item.kind === 'complaint' ? 'pending_acceptance' : 'pending_verification';
  const email = item.reporter_email;
  // Typed by the template, as queueNotification would type it; the statement writes the row and its job.
  const receivedMail = (recalls: ActiveRecall[]): TemplateParams<'complaint_received'> => ({
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
  });
  const route = async (db: DbOrTx, recalls: ActiveRecall[]) => {
    const rows = await routeItemStatement(db, {
      itemId: item.id,
      toStatus,
      jurisdictionCode: decision.jurisdictionCode,
      queue: decision.queue,
      priority,
      dueAt: deadline.at,
      acceptBy: item.kind === 'complaint' ? deadline.at : null,
      verifyBy: item.kind === 'report' ? deadline.at : null,
      provincialReportBy: provincialReportDue(ctx, item),
      eventNote: `routing: ${decision.basis}`,
      eventData: JSON.stringify({
        jurisdictionCode: decision.jurisdictionCode,
        bureauName,
        queue: decision.queue,
        priority,
        routed: decision.routed,
        openItemsAgainstMerchant: openItems,
      }),
      receivedAt: item.received_at,
      brandKey: k.brandKey,
      modelKey: k.modelKey,
      batchKey: k.batchKey,
      productKey: k.productKey,
      manufacturerKey: k.manufacturerKey,
      manufacturerUscc: k.manufacturerUscc,
      manufacturerNameKey: k.manufacturerNameKey,
      hazardous: product.hazardous,
      hazards: product.hazards,
      injury: product.injury,
      checkSignals: product.hazardous && (k.productKey !== null || k.manufacturerKey !== null),
      signalsPayload: outboxRow('signals', { itemId: item.id }).payload,
      noticeRecallIds: email ? recalls.map((r) => r.id) : [],
      noticeRecipient: email?.toLowerCase() ?? '',
      language: item.language,
      sendMail: email !== null,
      mailRecipient: email ?? '',
      mailDedupeKey: `item:${item.id}:received`,
      mailParams: JSON.stringify(receivedMail(recalls)),
    });
    return rows.length > 0;
  };
  const routed =
    k.modelKey === null
      ? await route(ctx.db, [])
      : await withTransaction(ctx.db, async (tx) => {
          await holdRecallMatchingLock(tx, 'shared');
          return route(tx, await findActiveRecalls(tx, k));
        });
  return routed
    ? ({ routed: true, jurisdictionCode: decision.jurisdictionCode, priority } as const)
    : ({ routed: false, reason: 'already_routed' } as const);
}

/** The item with its merchant's filed location and the open items against that merchant in the repeat window. */
const loadItemStatement = compiledStatement('triage_load_item', (db, v: { trackingNo: string }) =>
  db
    .selectFrom('items')
    .innerJoin('merchants', 'merchants.id', 'items.merchant_id')
    // Named columns, never items.*: a prepared statement whose result columns change (a migration adding one while
    // this process runs) fails on every connection that prepared it.
    .select([
      'items.id',
      'items.status',
      'items.tracking_no',
      'items.access_code_sealed',
      'items.kind',
      'items.category',
      'items.merchant',
      'items.product',
      'items.evidence',
      'items.harm',
      'items.screening',
      'items.reporter_email',
      'items.language',
      'items.received_at',
      'merchants.district_code as merchant_district_code',
      'merchants.address as merchant_address',
    ])
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
    .where('items.tracking_no', '=', v.trackingNo),
);

interface RouteValues extends Record<string, unknown> {
  itemId: number;
  toStatus: 'pending_acceptance' | 'pending_verification';
  jurisdictionCode: string;
  queue: CaseQueue;
  priority: number;
  dueAt: Date;
  acceptBy: Date | null;
  verifyBy: Date | null;
  provincialReportBy: Date | null;
  eventNote: string;
  /** JSON; the statement adds the case's id. */
  eventData: string;
  receivedAt: Date;
  brandKey: string | null;
  modelKey: string | null;
  batchKey: string | null;
  productKey: string | null;
  manufacturerKey: string | null;
  manufacturerUscc: string | null;
  manufacturerNameKey: string | null;
  hazardous: boolean;
  hazards: string[];
  injury: InjuryLevel | null;
  checkSignals: boolean;
  signalsPayload: string;
  /** The recalls the item falls under, when the consumer left an email: the acknowledgement is their notice. */
  noticeRecallIds: number[];
  noticeRecipient: string;
  language: Language;
  sendMail: boolean;
  mailRecipient: string;
  mailDedupeKey: string;
  /** JSON */
  mailParams: string;
}

/**
 * Routing as one statement (a named prepared statement, compiled once): it locks the item while still submitted (l),
 * the case upsert and the item update read that row and every other write reads the updated one (u), so a run that
 * finds the item routed already, or loses a race for it, writes nothing. It writes the routing event (with the case), the item's product (for signals and
 * recall fan-outs), the signal check of a hazardous product, the item's notices of the recalls it falls under (a
 * fan-out running meanwhile then sends no second one) and the "received" email with its job. It returns the routed
 * item's id, no row when it was routed already.
 */
const routeItemStatement = compiledStatement('triage_route_item', (db, v: RouteValues) =>
  db
    // The item, locked: a concurrent run waits here for the winner, then finds it routed and writes nothing, case
    // included (its snapshot alone would still see the item submitted).
    .with('l', (q) =>
      q
        .selectFrom('items')
        .select(['id', 'merchant_id', 'category'])
        .where('id', '=', v.itemId)
        .where('status', '=', 'submitted')
        .forUpdate(),
    )
    .with('c', (q) =>
      q
        .insertInto('cases')
        .columns(['merchant_id', 'category', 'queue', 'jurisdiction_code', 'status', 'priority', 'due_at'])
        .expression((eb) =>
          eb
            .selectFrom('l')
            .select([
              'l.merchant_id',
              'l.category',
              eb.val(v.queue).as('queue'),
              eb.val(v.jurisdictionCode).as('jurisdiction_code'),
              sql<'open'>`'open'`.as('status'),
              eb.val(v.priority).as('priority'),
              eb.val(v.dueAt).as('due_at'),
            ]),
        )
        .onConflict(mergeIntoOpenCase)
        .returning('id'),
    )
    .with('u', (q) =>
      q
        .updateTable('items')
        .set((eb) => ({
          status: v.toStatus,
          jurisdiction_code: v.jurisdictionCode,
          queue: v.queue,
          priority: v.priority,
          accept_by: v.acceptBy,
          verify_by: v.verifyBy,
          provincial_report_by: v.provincialReportBy,
          case_id: eb.selectFrom('c').select('c.id'),
          routed_at: sql`now()`,
          updated_at: sql`now()`,
        }))
        .where('id', 'in', (eb) => eb.selectFrom('l').select('l.id'))
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
              eb.val(v.toStatus).as('to_status'),
              eb.val(v.eventNote).as('note'),
              sql<string>`${v.eventData}::jsonb || jsonb_build_object('caseId', c.id)`.as('data'),
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
              eb.val(v.receivedAt).as('received_at'),
              eb.val(v.jurisdictionCode).as('jurisdiction_code'),
              eb.val(v.brandKey).as('brand_key'),
              eb.val(v.modelKey).as('model_key'),
              eb.val(v.batchKey).as('batch_key'),
              eb.val(v.productKey).as('product_key'),
              eb.val(v.manufacturerKey).as('manufacturer_key'),
              eb.val(v.manufacturerUscc).as('manufacturer_uscc'),
              eb.val(v.manufacturerNameKey).as('manufacturer_name_key'),
              eb.val(v.hazardous).as('hazardous'),
              sql<string[]>`${v.hazards}::text[]`.as('hazards'),
              eb.val(v.injury).as('injury'),
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
            .select([sql<string>`'signals'`.as('queue'), eb.val(v.signalsPayload).as('payload')])
            .where(sql<boolean>`${v.checkSignals}::boolean`),
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
              sql<number>`unnest(${v.noticeRecallIds}::bigint[])`.as('recall_id'),
              eb.val(v.noticeRecipient).as('recipient'),
              sql<'consumer'>`'consumer'`.as('kind'),
              eb.val(v.language).as('language'),
              'u.id',
              sql<'included'>`'included'`.as('status'),
            ]),
        )
        .onConflict((oc) => oc.columns(['recall_id', 'recipient']).doNothing()),
    )
    .with('n', (q) =>
      insertNotifications(
        q,
        q
          .selectFrom('u')
          .select((eb) => [
            eb.val(v.mailDedupeKey).as('dedupe_key'),
            'u.id as item_id',
            eb.val(v.mailRecipient).as('recipient'),
            sql<EmailTemplate>`'complaint_received'`.as('template'),
            eb.val(v.language).as('language'),
            eb.val(v.mailParams).as('params'),
          ])
          .where(sql<boolean>`${v.sendMail}::boolean`),
      ),
    )
    .with('nj', notifyJobsOfInserted)
    .selectFrom('u')
    .select('u.id'),
);

function deadlineFor(ctx: WorkerContext, kind: ItemKind, receivedAt: Date) {
  const days = kind === 'complaint' ? timeLimits.complaintAcceptWorkingDays : timeLimits.reportVerifyWorkingDays;
  const day = ctx.calendar.addWorkingDays(shanghaiDate(receivedAt), days);
  return { day, at: endOfShanghaiDay(day) };
}

/** A death or serious injury reported to the bureau goes to the provincial bureau within 2 working days of receipt. */
function provincialReportDue(ctx: WorkerContext, item: { harm: { injury: PriorityFacts['injury'] } | null; received_at: Date }) {
  const injury = item.harm?.injury;
  if (injury !== 'serious' && injury !== 'fatal') return null;
  return endOfShanghaiDay(ctx.calendar.addWorkingDays(shanghaiDate(item.received_at), timeLimits.provincialReportWorkingDays));
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
    hazards: item.category === 'child_product' || item.category === 'ebike' ? strings(e.hazards) : undefined,
    ebikeIssues: item.category === 'ebike' ? strings(e.issues) : undefined,
    hasCccMark: typeof e.hasCccMark === 'boolean' ? e.hasCccMark : undefined,
    scaleRatio: typeof item.screening?.ratio === 'number' ? item.screening.ratio : undefined,
  };
}
