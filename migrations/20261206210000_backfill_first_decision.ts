import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// decided_at is the bureau's first decision (accept or reject, file a case or not), which the dashboard measures the
// legal time limit against. Closing an item used to overwrite it; put back the first decision from the item's events.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE items i SET decided_at = d.first_at
    FROM (
      SELECT item_id, min(at) AS first_at FROM item_events
      WHERE to_status IN ('accepted', 'rejected', 'case_filed', 'not_filed')
      GROUP BY item_id
    ) d
    WHERE d.item_id = i.id AND i.decided_at > d.first_at
  `.execute(db);
}

// The overwritten close times are not worth restoring.
export async function down(): Promise<void> {}
