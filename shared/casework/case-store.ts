import { sql, type ExpressionBuilder, type OnConflictBuilder } from 'kysely';
import { finishedStatuses, type ItemCategory } from '../complaints/index.js';
import { compiledStatement, type Database, type DbOrTx } from '../db/index.js';
import type { NewCaseEvent } from './schemas.js';
import type { CaseQueue } from './vocabulary.js';

/**
 * The open case of a merchant in one category and jurisdiction, opened if there is none. A case takes the most
 * urgent priority and the earliest due date of its items. Concurrent calls meet on the partial unique index.
 */
export function upsertOpenCase(
  db: DbOrTx,
  c: { merchantId: number; category: ItemCategory; queue: CaseQueue; jurisdictionCode: string; priority: number; dueAt: Date },
) {
  return db
    .insertInto('cases')
    .values({
      merchant_id: c.merchantId,
      category: c.category,
      queue: c.queue,
      jurisdiction_code: c.jurisdictionCode,
      status: 'open',
      priority: c.priority,
      due_at: c.dueAt,
    })
    .onConflict(mergeIntoOpenCase)
    .returning('id');
}

/**
 * A new case meeting the merchant's open one in its category and jurisdiction joins it: the more urgent of the two.
 * The partial index's predicate is written as a literal: as a parameter, a prepared statement's generic plan could not
 * prove it and would find no arbiter index.
 */
export const mergeIntoOpenCase = (oc: OnConflictBuilder<Database, 'cases'>) =>
  oc
    .columns(['merchant_id', 'category', 'jurisdiction_code'])
    .where('status', '=', sql.lit('open'))
    .doUpdateSet({ priority: sql`least(cases.priority, excluded.priority)`, due_at: sql`least(cases.due_at, excluded.due_at)` });

/** Appends to a case's audit trail; the data's shape is the one its action documents (caseEventDataSchemas). */
export async function recordCaseEvent(
  db: DbOrTx,
  e: { caseId: number; actorId: number | null; itemId?: number | null } & NewCaseEvent,
): Promise<{ at: Date }> {
  return db
    .insertInto('case_events')
    .values({ case_id: e.caseId, item_id: e.itemId ?? null, actor_id: e.actorId, action: e.action, data: JSON.stringify(e.data) })
    .returning('at')
    .executeTakeFirstOrThrow();
}

/** None of the case's items is still open (statuses as literals, so a generic plan can still use the indexes). */
const nothingOpenIn = (eb: ExpressionBuilder<Database, 'cases'>) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('items')
        .select('items.id')
        .whereRef('items.case_id', '=', 'cases.id')
        .where(
          'items.status',
          'not in',
          finishedStatuses.map((s) => sql.lit(s)),
        ),
    ),
  );

/**
 * The case row is the version this statement's snapshot saw. An UPDATE that waited for a row re-checks the row's new
 * version against its old snapshot, which cannot see what the other writer did meanwhile (routing joining an open item
 * to the case): with this condition such a case is left open rather than closed with an open item in it.
 */
const asSeen = (eb: ExpressionBuilder<Database, 'cases'>) =>
  eb(
    sql<string>`cases.xmin::text`,
    '=',
    eb
      .selectFrom('cases as seen')
      .select(sql<string>`seen.xmin::text`.as('v'))
      .whereRef('seen.id', '=', 'cases.id'),
  );

const closeCaseIfDoneStatement = compiledStatement('close_case_if_done', (db, v: { caseId: number }) =>
  db
    .updateTable('cases')
    .set({ status: 'closed', closed_at: sql<Date>`now()`, claimed_by: null })
    .where('id', '=', v.caseId)
    .where('status', '=', sql.lit('open'))
    .where(nothingOpenIn)
    .where(asSeen)
    .returning('id'),
);

/**
 * Closes the case when none of its items is still open. Run as a statement of its own after the decision that
 * finished or moved an item has committed: its snapshot then sees that decision and any other committed meanwhile (two
 * last items decided at once both see the other finished), and an item routed into the case meanwhile either is seen
 * (the case stays open) or, routed a moment later, finds the case closed and opens a new one.
 */
export async function closeCaseIfDone(db: DbOrTx, caseId: number): Promise<boolean> {
  return (await closeCaseIfDoneStatement(db, { caseId })).length > 0;
}

/** Housekeeping: closes open cases whose items are all finished (left so by a process that died between the two). */
export async function closeFinishedCases(db: DbOrTx): Promise<number> {
  const closed = await db
    .updateTable('cases')
    .set({ status: 'closed', closed_at: sql<Date>`now()`, claimed_by: null })
    .where('status', '=', sql.lit('open'))
    .where((eb) => eb.exists(eb.selectFrom('items').select('items.id').whereRef('items.case_id', '=', 'cases.id')))
    .where(nothingOpenIn)
    .where(asSeen)
    .executeTakeFirst();
  return Number(closed.numUpdatedRows);
}
