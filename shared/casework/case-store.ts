import { sql, type OnConflictBuilder } from 'kysely';
import type { ItemCategory } from '../complaints/index.js';
import type { Database, DbOrTx } from '../db/index.js';
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
