import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Staff administration audit: who created, changed, disabled or reset which account (actor null: the server CLI).
    CREATE TABLE staff_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      staff_id bigint NOT NULL REFERENCES staff (id),
      actor_id bigint REFERENCES staff (id),
      at timestamptz NOT NULL DEFAULT now(),
      action text NOT NULL CHECK (action IN ('created', 'updated', 'deactivated', 'reactivated', 'password_reset')),
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX staff_events_staff_id_idx ON staff_events (staff_id, id);
    CREATE INDEX staff_events_actor_id_idx ON staff_events (actor_id);
    CREATE TRIGGER staff_events_append_only BEFORE UPDATE OR DELETE ON staff_events
      FOR EACH ROW EXECUTE FUNCTION forbid_item_event_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE staff_events`.execute(db);
}
