import { sql, type Selectable } from 'kysely';
import { jurisdictionPrefix } from '../../shared/access/index.js';
import { withTransaction, type DbOrTx, type DefectSignalTable } from '../../shared/db/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import {
  itemProductOf,
  RECALL_PAGE_SIZE,
  type SignalDetail,
  type SignalStatus,
  type SignalTransitionInput,
  type SignalView,
} from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';

/** Defect signals for the regulators of the jurisdictions their complaints come from: review, investigate, dismiss. */

type SignalRow = Selectable<DefectSignalTable> & { recall_no: string | null };

/** Where each decision may be taken from. */
const allowedFrom: Record<SignalTransitionInput['to'], readonly SignalStatus[]> = {
  investigating: ['open'],
  dismissed: ['open', 'investigating'],
};

/** A signal concerns a regulator when one of its complaints lies in their jurisdiction's subtree. */
function visibleTo(staff: Principal) {
  const pattern = `${jurisdictionPrefix(staff.jurisdictionCode)}%`;
  return sql<boolean>`EXISTS (SELECT 1 FROM unnest(defect_signals.jurisdiction_codes) AS c WHERE c LIKE ${pattern})`;
}

function signals(db: DbOrTx, staff: Principal) {
  return db
    .selectFrom('defect_signals')
    .where(visibleTo(staff))
    .selectAll('defect_signals')
    .select((eb) =>
      eb
        .selectFrom('recalls')
        .select('recall_no')
        .whereRef('recalls.signal_id', '=', 'defect_signals.id')
        .orderBy('recalls.id', 'desc')
        .limit(1)
        .as('recall_no'),
    );
}

const toView = (s: SignalRow): SignalView => ({
  id: s.id,
  subject: { kind: s.subject_kind, label: s.subject_label },
  status: s.status,
  itemCount: s.item_count,
  hazards: s.hazards,
  worstInjury: s.worst_injury,
  jurisdictionCodes: s.jurisdiction_codes,
  firstAt: s.first_at.toISOString(),
  lastAt: s.last_at.toISOString(),
  openedAt: s.opened_at.toISOString(),
  updatedAt: s.updated_at.toISOString(),
  ...(s.closed_at ? { closedAt: s.closed_at.toISOString() } : {}),
  ...(s.recall_no ? { recallNo: s.recall_no } : {}),
});

export async function listSignals(
  ctx: ServiceContext,
  { staff, query }: { staff: Principal; query: { status?: SignalStatus | undefined; page: number } },
) {
  const base = ctx.db
    .selectFrom('defect_signals')
    .where(visibleTo(staff))
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!));
  const [rows, count] = await Promise.all([
    signals(ctx.db, staff)
      .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECALL_PAGE_SIZE)
      .offset((query.page - 1) * RECALL_PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toView), total: Number(count.n), page: query.page, pageSize: RECALL_PAGE_SIZE };
}

async function signalInScope(db: DbOrTx, staff: Principal, id: number, opts: { lock?: boolean } = {}) {
  const row = await signals(db, staff)
    .where('defect_signals.id', '=', id)
    .$if(opts.lock === true, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw notFound('signal');
  return row;
}

/** A signal with its evidence: the complaints (no reporter details), and its decisions. */
export async function getSignal(ctx: ServiceContext, { staff, id }: { staff: Principal; id: number }): Promise<SignalDetail> {
  const s = await signalInScope(ctx.db, staff, id);
  const [items, events] = await Promise.all([
    ctx.db
      .selectFrom('items')
      .select(['id', 'tracking_no', 'title', 'category', 'received_at', 'jurisdiction_code', 'product', 'evidence', 'harm'])
      .where('id', 'in', s.item_ids.length ? s.item_ids.map(Number) : [0])
      .orderBy('received_at')
      .execute(),
    ctx.db.selectFrom('signal_events').selectAll().where('signal_id', '=', id).orderBy('id').execute(),
  ]);
  return {
    ...toView(s),
    items: items.map((i) => {
      const p = itemProductOf(i);
      return {
        trackingNo: i.tracking_no,
        title: i.title,
        category: i.category,
        receivedAt: i.received_at.toISOString(),
        jurisdictionCode: i.jurisdiction_code,
        hazards: p.hazards,
        injury: p.injury,
        product: {
          ...(p.facts.brand ? { brand: p.facts.brand } : {}),
          ...(p.facts.model ? { model: p.facts.model } : {}),
          ...(p.facts.manufacturer ? { manufacturer: p.facts.manufacturer } : {}),
        },
      };
    }),
    events: events.map((e) => ({
      at: e.at.toISOString(),
      actorId: e.actor_id,
      from: e.from_status,
      to: e.to_status,
      ...(e.reason ? { reason: e.reason } : {}),
    })),
  };
}

/** Investigate or dismiss a signal; conditional on its status, audited. A dismissed subject's old complaints are not raised again. */
export async function transitionSignal(
  ctx: ServiceContext,
  { staff, id, input }: { staff: Principal; id: number; input: SignalTransitionInput },
): Promise<SignalView> {
  return withTransaction(ctx.db, async (tx) => {
    const s = await signalInScope(tx, staff, id, { lock: true });
    if (!allowedFrom[input.to].includes(s.status)) {
      throw new DomainError('conflict', `cannot move a ${s.status} signal to ${input.to}`, {
        current: s.status,
        allowed: (Object.keys(allowedFrom) as Array<SignalTransitionInput['to']>).filter((t) => allowedFrom[t].includes(s.status)),
      });
    }
    const now = new Date();
    await tx
      .updateTable('defect_signals')
      .set({ status: input.to, updated_at: now, ...(input.to === 'dismissed' ? { closed_at: now } : {}) })
      .where('id', '=', id)
      .where('status', '=', s.status)
      .execute();
    await tx
      .insertInto('signal_events')
      .values({ signal_id: id, actor_id: staff.id, from_status: s.status, to_status: input.to, reason: input.reason || null })
      .execute();
    return toView(await signalInScope(tx, staff, id));
  });
}
