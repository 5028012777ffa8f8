import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A final sampling failure opens a follow-up item (后处理) in the merchant's case queue, with the merchant's
    -- rectification deadline (60 days) and the bureau's re-check date (75 days).
    ALTER TABLE items DROP CONSTRAINT items_kind_check;
    ALTER TABLE items ADD CONSTRAINT items_kind_check CHECK (kind IN ('complaint', 'report', 'sampling_followup'));
    ALTER TABLE items
      ADD COLUMN rectify_by timestamptz,
      ADD COLUMN recheck_by timestamptz,
      ADD CONSTRAINT items_followup_deadlines CHECK (kind <> 'sampling_followup' OR (rectify_by IS NOT NULL AND recheck_by IS NOT NULL));

    -- The re-check date is a running clock like the others: warned about and escalated by the deadline job.
    ALTER TABLE deadline_alerts DROP CONSTRAINT deadline_alerts_deadline_check;
    ALTER TABLE deadline_alerts ADD CONSTRAINT deadline_alerts_deadline_check
      CHECK (deadline IN ('accept_by', 'verify_by', 'mediation_ends_by', 'recheck_by'));
    DROP INDEX items_open_deadlines_idx;
    CREATE INDEX items_open_deadlines_idx ON items (status) WHERE status IN
      ('pending_acceptance', 'pending_verification', 'accepted', 'mediating', 'pending_rectification', 'rechecking');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX items_open_deadlines_idx;
    CREATE INDEX items_open_deadlines_idx ON items (status) WHERE status IN
      ('pending_acceptance', 'pending_verification', 'accepted', 'mediating');
    ALTER TABLE deadline_alerts DROP CONSTRAINT deadline_alerts_deadline_check;
    ALTER TABLE deadline_alerts ADD CONSTRAINT deadline_alerts_deadline_check
      CHECK (deadline IN ('accept_by', 'verify_by', 'mediation_ends_by'));
    ALTER TABLE items DROP CONSTRAINT items_followup_deadlines, DROP COLUMN rectify_by, DROP COLUMN recheck_by;
    ALTER TABLE items DROP CONSTRAINT items_kind_check;
    ALTER TABLE items ADD CONSTRAINT items_kind_check CHECK (kind IN ('complaint', 'report'));
  `.execute(db);
}
