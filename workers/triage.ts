import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import type { ItemKind } from '../shared/db/schema.js';
import { endOfShanghaiDay, shanghaiDate, timeLimits } from '../shared/domain/calendar.js';
import { finishedStatuses } from '../shared/domain/lifecycle.js';
import { REPEAT_MERCHANT_WINDOW_DAYS, triagePriority, type PriorityFacts } from '../shared/domain/priority.js';
import { routeItem } from '../shared/domain/routing.js';
import type { ComplaintInput } from '../shared/schemas/complaint.js';
import type { WorkerContext } from './context.js';


export type TriageResult = { routed: false; reason: 'already_routed' } | { routed: true; jurisdictionCode: string; priority: number };

/**
 * Routes one submitted item: jurisdiction → queue → priority → deadline → case, records the event and queues the
 * "received" email. Two round trips: one read, then every write in one statement guarded by status = 'submitted'.
 * Postgres re-checks that guard after taking the row lock, so of two concurrent runs exactly one routes the item
 * and a repeated run changes nothing.
 */
export async function triageItem(ctx: WorkerContext, itemId: number): Promise<TriageResult> {
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
    .where('items.id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw new UnrecoverableError(`item ${itemId} does not exist`);
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
  const email = item.reporter_email
    ? {
        dedupeKey: `item:${item.id}:received`,
        params: JSON.stringify({
          trackingNo: item.tracking_no,
          accessCodeSealed: item.access_code_sealed,
          kind: item.kind,
          bureauName,
          routed: decision.routed,
          deadline: deadline.day,
          ...(ctx.config.PUBLIC_URL ? { trackingUrl: `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/api/v1/complaints/${item.tracking_no}` } : {}),
        }),
      }
    : undefined;
  const eventData = JSON.stringify({
    jurisdictionCode: decision.jurisdictionCode,
    bureauName,
    queue: decision.queue,
    priority,
    routed: decision.routed,
    openItemsAgainstMerchant: openItems,
  });

  // One statement for every write: attach to (or open) the case, route the item, record the event and queue the
  // "received" email (a notification row, unique per dedupe key, and its outbox row matching jobSchemas.notify).
  const { rows } = await sql<{ caseId: number }>`
    WITH c AS (
      INSERT INTO cases (merchant_id, category, queue, jurisdiction_code, status, priority, due_at)
      VALUES (${item.merchant_id}, ${item.category}, ${decision.queue}, ${decision.jurisdictionCode}, 'open', ${priority}, ${deadline.at})
      ON CONFLICT (merchant_id, category, jurisdiction_code) WHERE status = 'open' DO UPDATE SET
        priority = least(cases.priority, excluded.priority),
        due_at = least(cases.due_at, excluded.due_at)
      RETURNING id
    ), u AS (
      UPDATE items SET
        status = ${toStatus}, jurisdiction_code = ${decision.jurisdictionCode}, queue = ${decision.queue},
        priority = ${priority}, accept_by = ${item.kind === 'complaint' ? deadline.at : null}::timestamptz,
        verify_by = ${item.kind === 'report' ? deadline.at : null}::timestamptz, case_id = (SELECT id FROM c),
        routed_at = now(), updated_at = now()
      WHERE id = ${item.id} AND status = 'submitted'
      RETURNING id, case_id
    ), e AS (
      INSERT INTO item_events (item_id, actor_type, from_status, to_status, note, data)
      SELECT u.id, 'system', 'submitted', ${toStatus}, ${`routing: ${decision.basis}`},
             ${eventData}::jsonb || jsonb_build_object('caseId', u.case_id)
      FROM u
    ), n AS (
      INSERT INTO notifications (dedupe_key, item_id, recipient, template, language, params)
      SELECT ${email?.dedupeKey ?? null}, u.id, ${item.reporter_email}, 'complaint_received', ${item.language}, ${email?.params ?? null}::jsonb
      FROM u WHERE ${item.reporter_email}::text IS NOT NULL
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id
    ), o AS (
      INSERT INTO outbox (queue, payload) SELECT 'notify', jsonb_build_object('notificationId', n.id) FROM n
    )
    SELECT case_id AS "caseId" FROM u`.execute(ctx.db);
  // Another run routed it first: the guarded UPDATE matched nothing, so nothing that depends on it was written.
  if (!rows[0]) return { routed: false, reason: 'already_routed' } as const;
  return { routed: true, jurisdictionCode: decision.jurisdictionCode, priority } as const;
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
