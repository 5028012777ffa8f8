import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A merchant's email, when a consumer gives one: where a "stop selling" recall notice goes.
    ALTER TABLE merchants ADD COLUMN email text;

    -- The product an item names, as matching keys (computed by triage with the one normaliser in shared/text), so
    -- that defect signals count and recall fan-outs find consumers by index rather than by reading every item.
    CREATE TABLE item_products (
      item_id bigint PRIMARY KEY REFERENCES items (id),
      received_at timestamptz NOT NULL,
      jurisdiction_code text REFERENCES jurisdictions (code),
      brand_key text,
      model_key text,
      batch_key text,
      product_key text,
      manufacturer_key text,
      manufacturer_uscc text,
      manufacturer_name_key text,
      hazardous boolean NOT NULL,
      hazards text[] NOT NULL DEFAULT '{}',
      injury text CHECK (injury IN ('none', 'minor', 'serious', 'fatal'))
    );
    CREATE INDEX item_products_model_idx ON item_products (model_key, item_id) WHERE model_key IS NOT NULL;
    CREATE INDEX item_products_product_signal_idx ON item_products (product_key, received_at) WHERE hazardous AND product_key IS NOT NULL;
    CREATE INDEX item_products_manufacturer_signal_idx ON item_products (manufacturer_key, received_at)
      WHERE hazardous AND manufacturer_key IS NOT NULL;
    CREATE INDEX item_products_jurisdiction_code_idx ON item_products (jurisdiction_code);

    CREATE TABLE defect_signals (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      subject_kind text NOT NULL CHECK (subject_kind IN ('manufacturer', 'product')),
      subject_key text NOT NULL,
      subject_label text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'dismissed', 'recalled')),
      window_start timestamptz NOT NULL,
      item_count integer NOT NULL,
      item_ids bigint[] NOT NULL,
      hazards text[] NOT NULL DEFAULT '{}',
      worst_injury text CHECK (worst_injury IN ('none', 'minor', 'serious', 'fatal')),
      jurisdiction_codes text[] NOT NULL DEFAULT '{}',
      first_at timestamptz NOT NULL,
      last_at timestamptz NOT NULL,
      notified_count integer NOT NULL DEFAULT 0,
      opened_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    );
    -- One signal per subject awaits a decision: new evidence updates it, concurrent detections meet here.
    CREATE UNIQUE INDEX defect_signals_one_active ON defect_signals (subject_key) WHERE status IN ('open', 'investigating');
    CREATE INDEX defect_signals_subject_closed_idx ON defect_signals (subject_key, closed_at);
    CREATE INDEX defect_signals_updated_idx ON defect_signals (updated_at DESC, id DESC);
    CREATE INDEX defect_signals_jurisdiction_codes_idx ON defect_signals USING gin (jurisdiction_codes);

    CREATE TABLE signal_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      signal_id bigint NOT NULL REFERENCES defect_signals (id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id bigint REFERENCES staff (id),
      from_status text,
      to_status text NOT NULL,
      reason text,
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX signal_events_signal_id_idx ON signal_events (signal_id, id);
    CREATE INDEX signal_events_actor_id_idx ON signal_events (actor_id);
    CREATE TRIGGER signal_events_append_only BEFORE UPDATE OR DELETE ON signal_events
      FOR EACH ROW EXECUTE FUNCTION forbid_item_event_change();

    -- The last recall number of each year: incremented under its row lock in the drafting transaction, so numbers
    -- have no gaps (a rolled-back draft gives its number back) and concurrent drafts never share one.
    CREATE TABLE recall_sequences (
      year integer PRIMARY KEY,
      last_no integer NOT NULL
    );

    CREATE TABLE recalls (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      recall_no text NOT NULL UNIQUE,
      type text NOT NULL CHECK (type IN ('voluntary', 'ordered')),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'completed', 'closed')),
      title text NOT NULL,
      category text NOT NULL CHECK (category IN ('scale', 'ebike', 'child_product', 'other')),
      manufacturer_name text NOT NULL,
      manufacturer_uscc text,
      manufacturer_name_key text NOT NULL,
      brand text NOT NULL,
      brand_key text NOT NULL,
      product_name text NOT NULL,
      models text[] NOT NULL,
      model_keys text[] NOT NULL,
      batches text[] NOT NULL DEFAULT '{}',
      batch_keys text[] NOT NULL DEFAULT '{}',
      production_from date,
      production_to date,
      units_affected integer NOT NULL CHECK (units_affected > 0),
      units_remedied integer NOT NULL DEFAULT 0 CHECK (units_remedied >= 0),
      sales_channels text[] NOT NULL DEFAULT '{}',
      hazard text NOT NULL,
      injuries_reported text,
      remedy text NOT NULL CHECK (remedy IN ('repair', 'replace', 'refund', 'warning')),
      remedy_instructions text NOT NULL,
      consumer_contact text NOT NULL,
      starts_on date NOT NULL,
      signal_id bigint REFERENCES defect_signals (id),
      jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
      created_by bigint REFERENCES staff (id),
      -- Written by the application from its own tokens (CJK bigrams, words, model keys) plus English stems.
      search_vector tsvector NOT NULL DEFAULT ''::tsvector,
      next_report_due date,
      summary_due date,
      published_at timestamptz,
      completed_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX recalls_signal_id_idx ON recalls (signal_id);
    CREATE INDEX recalls_jurisdiction_code_idx ON recalls (jurisdiction_code);
    CREATE INDEX recalls_created_by_idx ON recalls (created_by);
    -- Public lookups never see drafts: search, "check my product", intake's related recalls, the feed.
    CREATE INDEX recalls_search_idx ON recalls USING gin (search_vector) WHERE status <> 'draft';
    CREATE INDEX recalls_model_keys_idx ON recalls USING gin (model_keys) WHERE status <> 'draft';
    CREATE INDEX recalls_published_idx ON recalls (published_at DESC, id DESC) WHERE status <> 'draft';
    CREATE INDEX recalls_report_due_idx ON recalls (next_report_due) WHERE status = 'published';
    CREATE INDEX recalls_summary_due_idx ON recalls (summary_due) WHERE status = 'completed';

    CREATE TABLE recall_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      recall_id bigint NOT NULL REFERENCES recalls (id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id bigint REFERENCES staff (id),
      action text NOT NULL CHECK (action IN ('created', 'updated', 'published', 'progress_reported', 'completed', 'closed')),
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX recall_events_recall_id_idx ON recall_events (recall_id, id);
    CREATE INDEX recall_events_actor_id_idx ON recall_events (actor_id);
    CREATE TRIGGER recall_events_append_only BEFORE UPDATE OR DELETE ON recall_events
      FOR EACH ROW EXECUTE FUNCTION forbid_item_event_change();

    CREATE TABLE recall_progress_reports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      recall_id bigint NOT NULL REFERENCES recalls (id),
      as_of date NOT NULL,
      units_remedied integer NOT NULL CHECK (units_remedied >= 0),
      note text,
      reported_by bigint REFERENCES staff (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX recall_progress_reports_recall_id_idx ON recall_progress_reports (recall_id, id);
    CREATE INDEX recall_progress_reports_reported_by_idx ON recall_progress_reports (reported_by);

    -- Overdue progress reports and summaries, escalated once per recall, report and due day.
    CREATE TABLE recall_alerts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      recall_id bigint NOT NULL REFERENCES recalls (id),
      report text NOT NULL CHECK (report IN ('progress_report', 'summary')),
      due_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (recall_id, report, due_on)
    );

    CREATE TABLE alert_subscriptions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
      categories text[] NOT NULL DEFAULT '{}',
      brands text[] NOT NULL DEFAULT '{}',
      brand_keys text[] NOT NULL DEFAULT '{}',
      models text[] NOT NULL DEFAULT '{}',
      model_keys text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
      -- Part of the confirmation token's MAC: a new request for the same address makes the old link void.
      nonce text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz,
      unsubscribed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX alert_subscriptions_one_pending ON alert_subscriptions (lower(email)) WHERE status = 'pending';
    CREATE UNIQUE INDEX alert_subscriptions_one_confirmed ON alert_subscriptions (lower(email)) WHERE status = 'confirmed';
    CREATE INDEX alert_subscriptions_pending_idx ON alert_subscriptions (requested_at) WHERE status = 'pending';
    CREATE INDEX alert_subscriptions_confirmed_idx ON alert_subscriptions (id) WHERE status = 'confirmed';

    CREATE TABLE recall_notices (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      recall_id bigint NOT NULL REFERENCES recalls (id),
      -- Lower-cased: one notice per (recall, address), whoever the address belongs to.
      recipient text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('consumer', 'subscriber', 'merchant')),
      language text NOT NULL CHECK (language IN ('zh-CN', 'en')),
      item_id bigint REFERENCES items (id),
      merchant_id bigint REFERENCES merchants (id),
      subscription_id bigint REFERENCES alert_subscriptions (id),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'cancelled', 'included')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      message_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      UNIQUE (recall_id, recipient)
    );
    CREATE INDEX recall_notices_progress_idx ON recall_notices (recall_id, status, id);
    CREATE INDEX recall_notices_item_id_idx ON recall_notices (item_id) WHERE item_id IS NOT NULL;
    CREATE INDEX recall_notices_merchant_id_idx ON recall_notices (merchant_id) WHERE merchant_id IS NOT NULL;
    CREATE INDEX recall_notices_subscription_id_idx ON recall_notices (subscription_id) WHERE subscription_id IS NOT NULL;
    CREATE INDEX recall_notices_queued_idx ON recall_notices (created_at) WHERE status = 'queued';

    -- Where a recall's fan-out stands: each batch commits its notices and the cursor together, so a restart
    -- resumes after the last committed batch; dispatched_through is the last notice id whose job was added.
    CREATE TABLE recall_fanouts (
      recall_id bigint PRIMARY KEY REFERENCES recalls (id),
      phase text NOT NULL DEFAULT 'consumers' CHECK (phase IN ('consumers', 'subscribers', 'done')),
      model_index integer NOT NULL DEFAULT 0,
      cursor_id bigint NOT NULL DEFAULT 0,
      dispatched_through bigint NOT NULL DEFAULT 0,
      batches integer NOT NULL DEFAULT 0,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE recall_fanouts, recall_notices, alert_subscriptions, recall_alerts, recall_progress_reports, recall_events,
      recalls, recall_sequences, signal_events, defect_signals, item_products;
    ALTER TABLE merchants DROP COLUMN email;
  `.execute(db);
}
