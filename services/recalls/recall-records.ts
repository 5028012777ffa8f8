import { jurisdictionPrefix } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import type { DbOrTx } from '../../shared/db/index.js';
import {
  noticeStatuses,
  RECALL_PAGE_SIZE,
  type FanOut,
  type NoticeStatus,
  type RecallEventView,
  type RecallRecord,
  type RecallStatus,
} from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { recallFields, recallInScope, type RecallRow } from './recall-store.js';

/** What regulators see of recalls in their jurisdiction: drafts, due reports, fan-out progress and the audit trail. */

/** The fan-out counts of some recalls, read from the notices themselves (index-only scans), so they never drift. */
async function fanOutsOf(db: DbOrTx, recallIds: readonly number[]): Promise<Map<number, FanOut>> {
  if (recallIds.length === 0) return new Map();
  const [states, rows] = await Promise.all([
    db.selectFrom('recall_fanouts').select(['recall_id', 'finished_at']).where('recall_id', 'in', recallIds).execute(),
    db
      .selectFrom('recall_notices')
      .select(['recall_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('recall_id', 'in', recallIds)
      .groupBy(['recall_id', 'status'])
      .execute(),
  ]);
  const out = new Map<number, FanOut>();
  for (const state of states) {
    const n = Object.fromEntries(noticeStatuses.map((s) => [s, 0])) as Record<NoticeStatus, number>;
    for (const r of rows) if (r.recall_id === state.recall_id) n[r.status] = Number(r.n);
    out.set(state.recall_id, {
      matched: Object.values(n).reduce((a, b) => a + b, 0),
      queued: n.queued,
      sent: n.sent + n.included,
      failed: n.failed,
      cancelled: n.cancelled,
      complete: state.finished_at !== null,
    });
  }
  return out;
}

export const fanOutOf = async (db: DbOrTx, recallId: number) => (await fanOutsOf(db, [recallId])).get(recallId);

async function toRecord(db: DbOrTx, r: RecallRow): Promise<RecallRecord> {
  const [fanOut, reports, events] = await Promise.all([
    fanOutOf(db, r.id),
    db.selectFrom('recall_progress_reports').selectAll().where('recall_id', '=', r.id).orderBy('id').execute(),
    db.selectFrom('recall_events').selectAll().where('recall_id', '=', r.id).orderBy('id').execute(),
  ]);
  return {
    ...recallFields(r),
    status: r.status,
    ...(r.published_at ? { publishedOn: shanghaiDate(r.published_at) } : {}),
    jurisdictionCode: r.jurisdiction_code,
    signalId: r.signal_id,
    ...(r.next_report_due ? { nextReportDue: r.next_report_due } : {}),
    ...(r.summary_due ? { summaryDue: r.summary_due } : {}),
    ...(fanOut ? { fanOut } : {}),
    progressReports: reports.map((p) => ({
      asOf: p.as_of,
      unitsRemedied: p.units_remedied,
      ...(p.note ? { note: p.note } : {}),
      reportedAt: p.created_at.toISOString(),
      reportedBy: p.reported_by,
    })),
    // Stored through recordRecallEvent, whose data is typed by the action.
    events: events.map((e) => ({ at: e.at.toISOString(), actorId: e.actor_id, action: e.action, data: e.data }) as RecallEventView),
  };
}

export async function getRecallRecord(ctx: ServiceContext, { staff, recallNo }: { staff: Principal; recallNo: string }) {
  return toRecord(ctx.db, await recallInScope(ctx.db, staff, recallNo));
}

export interface RecallRecordList {
  items: Array<{ recallNo: string; title: string; status: RecallStatus; brand: string; updatedAt: string; fanOut?: FanOut }>;
  total: number;
  page: number;
  pageSize: number;
}

/** Recalls of the regulator's jurisdiction, drafts included, most recently changed first. */
export async function listRecallRecords(
  ctx: ServiceContext,
  { staff, query }: { staff: Principal; query: { status?: RecallStatus | undefined; page: number } },
): Promise<RecallRecordList> {
  const base = ctx.db
    .selectFrom('recalls')
    .where('jurisdiction_code', 'like', `${jurisdictionPrefix(staff.jurisdictionCode)}%`)
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!));
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECALL_PAGE_SIZE)
      .offset((query.page - 1) * RECALL_PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const fanOuts = await fanOutsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const items = rows.map((r) => {
    const fanOut = fanOuts.get(r.id);
    return {
      recallNo: r.recall_no,
      title: r.title,
      status: r.status,
      brand: r.brand,
      updatedAt: r.updated_at.toISOString(),
      ...(fanOut ? { fanOut } : {}),
    };
  });
  return { items, total: Number(count.n), page: query.page, pageSize: RECALL_PAGE_SIZE };
}
