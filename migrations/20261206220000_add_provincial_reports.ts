import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// A complaint or report of a death or serious injury is reported to the provincial bureau within 2 working days
// (SAMR's interim rules on consumer product recalls). Triage sets the due time; staff record the report; the
// deadline job escalates one overdue, once, like the other clocks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE items
      ADD COLUMN provincial_report_by timestamptz,
      ADD COLUMN provincial_reported_at timestamptz,
      ADD COLUMN provincial_reported_by bigint REFERENCES staff (id);
    CREATE INDEX items_provincial_report_due_idx ON items (provincial_report_by)
      WHERE provincial_report_by IS NOT NULL AND provincial_reported_at IS NULL;
    ALTER TABLE deadline_alerts DROP CONSTRAINT deadline_alerts_deadline_check;
    ALTER TABLE deadline_alerts ADD CONSTRAINT deadline_alerts_deadline_check
      CHECK (deadline IN ('accept_by', 'verify_by', 'mediation_ends_by', 'recheck_by', 'provincial_report_by'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM deadline_alerts WHERE deadline = 'provincial_report_by';
    ALTER TABLE deadline_alerts DROP CONSTRAINT deadline_alerts_deadline_check;
    ALTER TABLE deadline_alerts ADD CONSTRAINT deadline_alerts_deadline_check
      CHECK (deadline IN ('accept_by', 'verify_by', 'mediation_ends_by', 'recheck_by'));
    DROP INDEX items_provincial_report_due_idx;
    ALTER TABLE items DROP COLUMN provincial_report_by, DROP COLUMN provincial_reported_at, DROP COLUMN provincial_reported_by;
  `.execute(db);
}
