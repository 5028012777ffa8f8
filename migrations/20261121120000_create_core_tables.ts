import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jurisdictions (
      code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
      name text NOT NULL,
      full_name text NOT NULL,
      level text NOT NULL CHECK (level IN ('province', 'city', 'county')),
      parent_code text REFERENCES jurisdictions (code),
      bureau_name text NOT NULL
    );
    CREATE INDEX jurisdictions_parent_code_idx ON jurisdictions (parent_code);

    CREATE TABLE staff (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('inspector', 'regulator', 'admin')),
      jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
      specialties text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));
    CREATE INDEX staff_jurisdiction_code_idx ON staff (jurisdiction_code);

    CREATE TABLE merchants (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      merchant_key text NOT NULL UNIQUE,
      uscc text,
      name text NOT NULL,
      normalized_name text NOT NULL,
      district_code text,
      address text,
      online_shop_url text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX merchants_uscc_idx ON merchants (uscc) WHERE uscc IS NOT NULL;

    CREATE TABLE cases (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      merchant_id bigint NOT NULL REFERENCES merchants (id),
      category text NOT NULL,
      queue text NOT NULL,
      jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
      due_at timestamptz,
      claimed_by bigint REFERENCES staff (id),
      claimed_at timestamptz,
      opened_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    );
    -- One open case per merchant, category and jurisdiction: concurrent triage attaches to the same row.
    CREATE UNIQUE INDEX cases_one_open_per_merchant ON cases (merchant_id, category, jurisdiction_code) WHERE status = 'open';
    CREATE INDEX cases_merchant_id_idx ON cases (merchant_id);
    CREATE INDEX cases_jurisdiction_code_idx ON cases (jurisdiction_code);
    CREATE INDEX cases_claimed_by_idx ON cases (claimed_by);
    CREATE INDEX cases_claimable_idx ON cases (queue, priority, due_at) WHERE status = 'open' AND claimed_by IS NULL;

    CREATE TABLE items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tracking_no text NOT NULL UNIQUE,
      access_code_hash text NOT NULL,
      access_code_sealed text,
      kind text NOT NULL CHECK (kind IN ('complaint', 'report')),
      category text NOT NULL CHECK (category IN ('scale', 'ebike', 'child_product', 'other')),
      title text NOT NULL,
      description text NOT NULL,
      occurred_on date,
      merchant_id bigint NOT NULL REFERENCES merchants (id),
      merchant jsonb NOT NULL,
      product jsonb,
      evidence jsonb,
      harm jsonb,
      reporter_name text,
      reporter_phone text,
      reporter_email text,
      language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
      screening jsonb,
      warnings jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL,
      jurisdiction_code text REFERENCES jurisdictions (code),
      queue text,
      priority smallint CHECK (priority BETWEEN 1 AND 4),
      accept_by timestamptz,
      verify_by timestamptz,
      mediation_ends_by timestamptz,
      case_id bigint REFERENCES cases (id),
      received_at timestamptz NOT NULL DEFAULT now(),
      routed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX items_merchant_received_idx ON items (merchant_id, received_at);
    CREATE INDEX items_case_id_idx ON items (case_id);
    CREATE INDEX items_jurisdiction_code_idx ON items (jurisdiction_code);
    CREATE INDEX items_unrouted_idx ON items (received_at) WHERE status = 'submitted';

    CREATE TABLE item_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_id bigint NOT NULL REFERENCES items (id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_type text NOT NULL CHECK (actor_type IN ('system', 'consumer', 'staff')),
      actor_id bigint REFERENCES staff (id),
      from_status text,
      to_status text NOT NULL,
      reason_code text,
      note text,
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX item_events_item_id_idx ON item_events (item_id, id);
    CREATE INDEX item_events_actor_id_idx ON item_events (actor_id);

    -- The event log is append-only: history is never rewritten.
    CREATE FUNCTION forbid_item_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'item_events is append-only';
    END $$;
    CREATE TRIGGER item_events_append_only BEFORE UPDATE OR DELETE ON item_events
      FOR EACH ROW EXECUTE FUNCTION forbid_item_event_change();

    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      queue text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      relayed_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    );
    CREATE INDEX outbox_pending_idx ON outbox (id) WHERE relayed_at IS NULL;

    -- Wakes the relay as soon as a transaction with outbox rows commits (NOTIFY is delivered on commit).
    CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('outbox', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();

    CREATE TABLE notifications (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      dedupe_key text NOT NULL UNIQUE,
      item_id bigint REFERENCES items (id),
      recipient text NOT NULL,
      template text NOT NULL,
      language text NOT NULL CHECK (language IN ('zh-CN', 'en')),
      params jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      message_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX notifications_item_id_idx ON notifications (item_id);

    CREATE TABLE dead_letters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      queue text NOT NULL,
      job_id text,
      payload jsonb NOT NULL,
      error text NOT NULL,
      attempts integer NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE idempotency_keys (
      key text PRIMARY KEY,
      request_hash text NOT NULL,
      response_status integer,
      response_body jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

    -- Counters only: losing them in a crash is harmless, so skip the WAL.
    CREATE UNLOGGED TABLE rate_limits (
      key text PRIMARY KEY,
      hits integer NOT NULL,
      reset_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE rate_limits, idempotency_keys, dead_letters, notifications, outbox, item_events, items, cases,
      merchants, staff, jurisdictions;
    DROP FUNCTION notify_outbox(), forbid_item_event_change();
  `.execute(db);
}
