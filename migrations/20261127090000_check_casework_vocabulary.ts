import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations. The lists match the domains' vocabulary.ts, which
// tests/unit/vocabulary-sql.test.ts checks against the database.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE items
      ADD CONSTRAINT items_status_check CHECK (status IN ('submitted', 'pending_acceptance', 'pending_verification',
        'accepted', 'mediating', 'paused_for_testing', 'rejected', 'transferred', 'case_filed', 'not_filed',
        'pending_rectification', 'rechecking', 'closed')),
      ADD CONSTRAINT items_queue_check CHECK (queue IN ('metrology', 'product_quality', 'child_safety', 'intake'));
    ALTER TABLE item_events
      ADD CONSTRAINT item_events_to_status_check CHECK (to_status IN ('submitted', 'pending_acceptance',
        'pending_verification', 'accepted', 'mediating', 'paused_for_testing', 'rejected', 'transferred', 'case_filed',
        'not_filed', 'pending_rectification', 'rechecking', 'closed')),
      ADD CONSTRAINT item_events_from_status_check CHECK (from_status IN ('submitted', 'pending_acceptance',
        'pending_verification', 'accepted', 'mediating', 'paused_for_testing', 'rejected', 'transferred', 'case_filed',
        'not_filed', 'pending_rectification', 'rechecking', 'closed'));
    ALTER TABLE cases
      ADD CONSTRAINT cases_category_check CHECK (category IN ('scale', 'ebike', 'child_product', 'other')),
      ADD CONSTRAINT cases_queue_check CHECK (queue IN ('metrology', 'product_quality', 'child_safety', 'intake'));
    ALTER TABLE case_events
      ADD CONSTRAINT case_events_action_check CHECK (action IN ('claimed', 'released', 'assigned', 'contact_viewed',
        'inspection_recorded', 'attachment_added'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE items DROP CONSTRAINT items_status_check, DROP CONSTRAINT items_queue_check;
    ALTER TABLE item_events DROP CONSTRAINT item_events_to_status_check, DROP CONSTRAINT item_events_from_status_check;
    ALTER TABLE cases DROP CONSTRAINT cases_category_check, DROP CONSTRAINT cases_queue_check;
    ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
  `.execute(db);
}
