import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE staff
      ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
      ADD COLUMN locked_until timestamptz;

    -- One row per issued token: logout and deactivation revoke it at once, whatever its expiry.
    CREATE TABLE staff_sessions (
      jti text PRIMARY KEY,
      staff_id bigint NOT NULL REFERENCES staff (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX staff_sessions_staff_id_idx ON staff_sessions (staff_id);

    ALTER TABLE items
      ADD COLUMN outcome text,
      ADD COLUMN reason_code text,
      ADD COLUMN accepted_at timestamptz,
      ADD COLUMN paused_at timestamptz,
      ADD COLUMN paused_days integer NOT NULL DEFAULT 0,
      ADD COLUMN verify_extended boolean NOT NULL DEFAULT false,
      ADD COLUMN decided_at timestamptz;

    ALTER TABLE cases
      ADD COLUMN escalated_at timestamptz;

    -- Case-level audit: claims, releases, reassignments, inspections and every view of a reporter's contact details.
    CREATE TABLE case_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases (id),
      item_id bigint REFERENCES items (id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id bigint REFERENCES staff (id),
      action text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX case_events_case_id_idx ON case_events (case_id, id);
    CREATE INDEX case_events_item_id_idx ON case_events (item_id);
    CREATE INDEX case_events_actor_id_idx ON case_events (actor_id);
    CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION forbid_item_event_change();

    CREATE TABLE inspections (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases (id),
      item_id bigint REFERENCES items (id),
      inspector_id bigint NOT NULL REFERENCES staff (id),
      type text NOT NULL CHECK (type IN ('scale_verification', 'ccc_check', 'product_hazard_check')),
      data jsonb NOT NULL,
      verdict text NOT NULL CHECK (verdict IN ('pass', 'fail', 'inconclusive')),
      notes text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX inspections_case_id_idx ON inspections (case_id);
    CREATE INDEX inspections_item_id_idx ON inspections (item_id);
    CREATE INDEX inspections_inspector_id_idx ON inspections (inspector_id);

    -- Deadline warnings and escalations, once per item, deadline and level.
    CREATE TABLE deadline_alerts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_id bigint NOT NULL REFERENCES items (id),
      deadline text NOT NULL CHECK (deadline IN ('accept_by', 'verify_by', 'mediation_ends_by')),
      level text NOT NULL CHECK (level IN ('warning', 'overdue')),
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (item_id, deadline, level, due_at)
    );

    -- Claim-next walks open, unclaimed cases in its order (priority, due date) and filters jurisdiction and queue.
    DROP INDEX cases_claimable_idx;
    CREATE INDEX cases_claim_order_idx ON cases (priority, due_at, id) WHERE status = 'open' AND claimed_by IS NULL;

    CREATE INDEX items_open_deadlines_idx ON items (status) WHERE status IN
      ('pending_acceptance', 'pending_verification', 'accepted', 'mediating');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX items_open_deadlines_idx, cases_claim_order_idx;
    CREATE INDEX cases_claimable_idx ON cases (queue, priority, due_at) WHERE status = 'open' AND claimed_by IS NULL;
    DROP TABLE deadline_alerts, inspections, case_events, staff_sessions;
    ALTER TABLE cases DROP COLUMN escalated_at;
    ALTER TABLE items DROP COLUMN outcome, DROP COLUMN reason_code, DROP COLUMN accepted_at, DROP COLUMN paused_at, DROP COLUMN paused_days, DROP COLUMN verify_extended,
      DROP COLUMN decided_at;
    ALTER TABLE staff DROP COLUMN failed_logins, DROP COLUMN locked_until;
  `.execute(db);
}
