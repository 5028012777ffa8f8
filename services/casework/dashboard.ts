import { sql } from 'kysely';
import { jurisdictionPrefix } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import { runningClock, type Dashboard } from '../../shared/casework/index.js';
import { finishedStatuses } from '../../shared/complaints/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';

const WEEKS = 12;
const WINDOW_DAYS = 90;
const clockStatuses = Object.keys(runningClock) as Array<keyof typeof runningClock>;

/**
 * The regulator's view of their jurisdiction: items by category and week, how often each county decided within the
 * legal time limit (last 90 days) and what is overdue now, open escalations, and the merchants complained of most.
 */
export async function getDashboard(ctx: ServiceContext, { staff, now = new Date() }: { staff: Principal; now?: Date }): Promise<Dashboard> {
  const scope = `${jurisdictionPrefix(staff.jurisdictionCode)}%`;
  // The bureau's own time limits; mediation running out is not one (by law it ends there, and the deadline check
  // closes it as mediation_expired).
  const overdueNow = sql<boolean>`(
    (items.status = 'pending_acceptance' AND items.accept_by < ${now})
    OR (items.status = 'pending_verification' AND items.verify_by < ${now}))`;

  const [weeks, compliance, escalations, merchants, totals] = await Promise.all([
    ctx.db
      .selectFrom('items')
      .select([
        sql<string>`to_char(date_trunc('week', items.received_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`.as('week'),
        'category',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('jurisdiction_code', 'like', scope)
      .where('received_at', '>', sql<Date>`${now}::timestamptz - make_interval(weeks => ${WEEKS})`)
      .groupBy(['week', 'category'])
      .orderBy('week')
      .execute(),
    ctx.db
      .selectFrom('items')
      .innerJoin('jurisdictions', 'jurisdictions.code', 'items.jurisdiction_code')
      .select([
        'items.jurisdiction_code',
        'jurisdictions.name',
        sql<number>`count(*) FILTER (WHERE items.decided_at IS NOT NULL AND items.decided_at > ${now}::timestamptz - make_interval(days => ${WINDOW_DAYS}))`.as(
          'decided',
        ),
        sql<number>`count(*) FILTER (WHERE items.decided_at IS NOT NULL AND items.decided_at > ${now}::timestamptz - make_interval(days => ${WINDOW_DAYS})
          AND items.decided_at <= coalesce(items.accept_by, items.verify_by, items.decided_at))`.as('on_time'),
        sql<number>`count(*) FILTER (WHERE ${overdueNow})`.as('overdue'),
      ])
      .where('items.jurisdiction_code', 'like', scope)
      .groupBy(['items.jurisdiction_code', 'jurisdictions.name'])
      .orderBy('items.jurisdiction_code')
      .execute(),
    ctx.db
      .selectFrom('cases')
      .innerJoin('merchants', 'merchants.id', 'cases.merchant_id')
      .leftJoin('staff', 'staff.id', 'cases.claimed_by')
      .select([
        'cases.id',
        'merchants.name',
        'cases.jurisdiction_code',
        'cases.priority',
        'cases.due_at',
        'cases.escalated_at',
        'staff.name as claimed_by',
      ])
      .where('cases.jurisdiction_code', 'like', scope)
      .where('cases.status', '=', 'open')
      .where('cases.escalated_at', 'is not', null)
      .orderBy('cases.priority')
      .orderBy('cases.due_at')
      .limit(50)
      .execute(),
    ctx.db
      .selectFrom('items')
      .innerJoin('merchants', 'merchants.id', 'items.merchant_id')
      .select([
        'merchants.name',
        'merchants.district_code',
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number>`count(*) FILTER (WHERE items.status NOT IN (${sql.join(finishedStatuses)}))`.as('open'),
      ])
      .where('items.jurisdiction_code', 'like', scope)
      .where('items.received_at', '>', sql<Date>`${now}::timestamptz - make_interval(days => ${WINDOW_DAYS})`)
      .groupBy(['merchants.id', 'merchants.name', 'merchants.district_code'])
      .orderBy('n', 'desc')
      .orderBy('merchants.name')
      .limit(10)
      .execute(),
    ctx.db
      .selectFrom('items')
      .select([
        sql<number>`count(*) FILTER (WHERE items.status IN (${sql.join(clockStatuses)}) OR items.status IN ('paused_for_testing', 'case_filed'))`.as(
          'open',
        ),
        sql<number>`count(*) FILTER (WHERE ${overdueNow})`.as('overdue'),
        sql<number>`count(*) FILTER (WHERE items.received_at >= date_trunc('week', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`.as(
          'this_week',
        ),
        (eb) =>
          eb
            .selectFrom('cases')
            .select((c) => c.fn.countAll<number>().as('n'))
            .where('cases.jurisdiction_code', 'like', scope)
            .where('cases.status', '=', 'open')
            .where('cases.claimed_by', 'is', null)
            .as('unclaimed'),
      ])
      .where('items.jurisdiction_code', 'like', scope)
      .executeTakeFirstOrThrow(),
  ]);

  return {
    jurisdictionCode: staff.jurisdictionCode,
    generatedAt: now.toISOString(),
    totals: {
      openItems: Number(totals.open),
      overdueItems: Number(totals.overdue),
      receivedThisWeek: Number(totals.this_week),
      unclaimedCases: Number(totals.unclaimed ?? 0),
    },
    itemsByWeek: weeks.map((w) => ({ week: w.week, category: w.category, count: Number(w.n) })),
    compliance: compliance.map((r) => ({
      jurisdictionCode: r.jurisdiction_code!,
      name: r.name,
      decided: Number(r.decided),
      decidedOnTime: Number(r.on_time),
      openOverdue: Number(r.overdue),
    })),
    escalations: escalations.map((e) => ({
      caseId: e.id,
      merchantName: e.name,
      jurisdictionCode: e.jurisdiction_code,
      priority: e.priority,
      dueOn: e.due_at ? shanghaiDate(e.due_at) : null,
      escalatedAt: e.escalated_at!.toISOString(),
      claimedBy: e.claimed_by,
    })),
    topMerchants: merchants.map((m) => ({
      merchantName: m.name,
      districtCode: m.district_code,
      items: Number(m.n),
      openItems: Number(m.open),
    })),
  };
}
