import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- 你点我检 campaigns. The draw seed is sealed with the server key until selection reveals it; its SHA-256
    -- commitment is public from the moment voting opens.
    CREATE TABLE sampling_campaigns (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title text NOT NULL,
      description text NOT NULL,
      jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
      categories text[] NOT NULL CHECK (cardinality(categories) > 0 AND categories <@ ARRAY['scale', 'ebike', 'child_product', 'other']),
      nomination_opens_at timestamptz NOT NULL,
      nomination_closes_at timestamptz NOT NULL,
      voting_opens_at timestamptz NOT NULL,
      voting_closes_at timestamptz NOT NULL,
      quota integer NOT NULL CHECK (quota BETWEEN 1 AND 100),
      votes_per_voter integer NOT NULL CHECK (votes_per_voter BETWEEN 1 AND 20),
      phase text NOT NULL DEFAULT 'draft'
        CHECK (phase IN ('draft', 'nominating', 'voting', 'selecting', 'sampling', 'published', 'closed')),
      seed_sealed text,
      seed text,
      seed_commitment text,
      committed_at timestamptz,
      revealed_at timestamptz,
      selection_problem jsonb,
      published_at timestamptz,
      created_by bigint NOT NULL REFERENCES staff (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (nomination_opens_at < nomination_closes_at AND nomination_closes_at <= voting_opens_at AND voting_opens_at < voting_closes_at),
      CHECK ((seed_commitment IS NULL) = (seed_sealed IS NULL)),
      CHECK (seed IS NULL OR seed_commitment IS NOT NULL)
    );
    CREATE INDEX sampling_campaigns_jurisdiction_code_idx ON sampling_campaigns (jurisdiction_code);
    CREATE INDEX sampling_campaigns_created_by_idx ON sampling_campaigns (created_by);
    -- The clock job looks only at campaigns it may still move.
    CREATE INDEX sampling_campaigns_clock_idx ON sampling_campaigns (id) WHERE phase IN ('draft', 'nominating', 'voting', 'selecting');

    CREATE TABLE sampling_nominations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES sampling_campaigns (id),
      category text NOT NULL CHECK (category IN ('scale', 'ebike', 'child_product', 'other')),
      product_name text NOT NULL,
      brand text,
      model text,
      product_key text NOT NULL,
      merchant_name text NOT NULL,
      merchant_address text,
      merchant_uscc text,
      merchant_district_code text NOT NULL REFERENCES jurisdictions (code),
      merchant_key text NOT NULL,
      reason text NOT NULL,
      -- Kept only for a nominator who asked for the results; its keyed hash recognises an unsubscribe.
      nominator_email text,
      nominator_email_hash text,
      notify_results boolean NOT NULL DEFAULT false,
      language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'merged')),
      -- Distinct voters of this nomination and of the duplicates merged into it; kept by the vote and the merge under
      -- this row's lock, so lists and the selection read it instead of counting votes.
      vote_count integer NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
      moderation_reason text,
      merged_into_id bigint REFERENCES sampling_nominations (id),
      moderated_by bigint REFERENCES staff (id),
      moderated_at timestamptz,
      repeat_of_task_id bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'merged') = (merged_into_id IS NOT NULL)),
      CHECK (nominator_email IS NULL OR notify_results)
    );
    CREATE INDEX sampling_nominations_campaign_idx ON sampling_nominations (campaign_id, status, id);
    CREATE INDEX sampling_nominations_merged_into_id_idx ON sampling_nominations (merged_into_id);
    CREATE INDEX sampling_nominations_moderated_by_idx ON sampling_nominations (moderated_by);
    CREATE INDEX sampling_nominations_merchant_district_code_idx ON sampling_nominations (merchant_district_code);
    CREATE INDEX sampling_nominations_repeat_of_task_id_idx ON sampling_nominations (repeat_of_task_id);
    CREATE INDEX sampling_nominations_email_hash_idx ON sampling_nominations (nominator_email_hash) WHERE nominator_email_hash IS NOT NULL;

    -- One row per address and campaign: only a keyed hash of the address unless its owner asked for the results.
    CREATE TABLE sampling_voters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES sampling_campaigns (id),
      email_hash text NOT NULL,
      email text,
      notify_results boolean NOT NULL DEFAULT false,
      language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
      code_hash text,
      code_expires_at timestamptz,
      code_attempts integer NOT NULL DEFAULT 0,
      verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (campaign_id, email_hash),
      CHECK (email IS NULL OR notify_results)
    );
    CREATE INDEX sampling_voters_email_hash_idx ON sampling_voters (email_hash);

    -- A vote stays on the nomination it was cast for; a merged duplicate's votes count for the nomination it was
    -- merged into, once per voter.
    CREATE TABLE sampling_votes (
      voter_id bigint NOT NULL REFERENCES sampling_voters (id),
      nomination_id bigint NOT NULL REFERENCES sampling_nominations (id),
      campaign_id bigint NOT NULL REFERENCES sampling_campaigns (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (voter_id, nomination_id)
    );
    CREATE INDEX sampling_votes_nomination_id_idx ON sampling_votes (nomination_id);
    CREATE INDEX sampling_votes_campaign_id_idx ON sampling_votes (campaign_id);

    CREATE TABLE sampling_tasks (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES sampling_campaigns (id),
      nomination_id bigint NOT NULL UNIQUE REFERENCES sampling_nominations (id),
      rank integer NOT NULL CHECK (rank > 0),
      votes integer NOT NULL CHECK (votes >= 0),
      merchant_id bigint NOT NULL REFERENCES merchants (id),
      district_code text NOT NULL REFERENCES jurisdictions (code),
      category text NOT NULL CHECK (category IN ('scale', 'ebike', 'child_product', 'other')),
      product_key text NOT NULL,
      status text NOT NULL DEFAULT 'awaiting_collection'
        CHECK (status IN ('awaiting_collection', 'collected', 'notified', 'retest_pending', 'final')),
      -- The draw as made: the sorted roster (pseudonym and staff id), the excluded pseudonyms and the drawn ones.
      draw jsonb NOT NULL,
      sample_no text,
      quantity integer CHECK (quantity > 0),
      reserve_quantity integer CHECK (reserve_quantity > 0),
      seal_no text,
      lab_name text,
      price_paid_fen bigint CHECK (price_paid_fen >= 0),
      collected_at timestamptz,
      collected_by bigint REFERENCES staff (id),
      merchant_email text,
      manufacturer jsonb,
      notice_method text CHECK (notice_method IN ('email', 'letter')),
      notified_at timestamptz,
      delivery_method text CHECK (delivery_method IN ('email', 'in_person', 'post', 'public_notice')),
      delivered_on date,
      objection_window_ends_on date,
      objection_received_on date,
      objection_by text CHECK (objection_by IN ('merchant', 'manufacturer')),
      objection_grounds text,
      waiver_received_on date,
      verdict text CHECK (verdict IN ('pass', 'fail')),
      final_basis text CHECK (final_basis IN ('window_passed', 'waived', 'retested')),
      finalised_at timestamptz,
      follow_up_item_id bigint REFERENCES items (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'final') = (final_basis IS NOT NULL)),
      CHECK (status = 'awaiting_collection' OR collected_at IS NOT NULL),
      CHECK (status IN ('awaiting_collection', 'collected') OR verdict IS NOT NULL)
    );
    CREATE INDEX sampling_tasks_campaign_id_idx ON sampling_tasks (campaign_id, rank);
    CREATE INDEX sampling_tasks_merchant_id_idx ON sampling_tasks (merchant_id, product_key);
    CREATE INDEX sampling_tasks_district_code_idx ON sampling_tasks (district_code);
    CREATE INDEX sampling_tasks_collected_by_idx ON sampling_tasks (collected_by);
    CREATE INDEX sampling_tasks_follow_up_item_id_idx ON sampling_tasks (follow_up_item_id);
    -- The finalisation job walks notified results by the end of their window.
    CREATE INDEX sampling_tasks_window_idx ON sampling_tasks (objection_window_ends_on) WHERE status = 'notified';

    ALTER TABLE sampling_nominations ADD FOREIGN KEY (repeat_of_task_id) REFERENCES sampling_tasks (id);

    CREATE TABLE sampling_task_inspectors (
      task_id bigint NOT NULL REFERENCES sampling_tasks (id),
      staff_id bigint NOT NULL REFERENCES staff (id),
      pseudonym text NOT NULL,
      position smallint NOT NULL CHECK (position > 0),
      PRIMARY KEY (task_id, staff_id)
    );
    CREATE INDEX sampling_task_inspectors_staff_id_idx ON sampling_task_inspectors (staff_id);

    CREATE TABLE sampling_results (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      task_id bigint NOT NULL REFERENCES sampling_tasks (id),
      stage text NOT NULL CHECK (stage IN ('first', 'retest')),
      report_no text NOT NULL,
      -- The first lab is the one named at collection; a re-test may be recorded before its lab is named.
      lab_name text CHECK (stage = 'retest' OR lab_name IS NOT NULL),
      items jsonb NOT NULL,
      verdict text NOT NULL CHECK (verdict IN ('pass', 'fail')),
      fee_paid_fen bigint CHECK (fee_paid_fen >= 0),
      recorded_by bigint NOT NULL REFERENCES staff (id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (task_id, stage)
    );
    CREATE INDEX sampling_results_recorded_by_idx ON sampling_results (recorded_by);

    -- Declared conflicts of interest (回避) of an inspector with a merchant, by the merchant's identity key.
    CREATE TABLE sampling_conflicts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      staff_id bigint NOT NULL REFERENCES staff (id),
      merchant_key text NOT NULL,
      merchant_name text NOT NULL,
      merchant_district_code text,
      reason text NOT NULL,
      declared_by bigint NOT NULL REFERENCES staff (id),
      declared_at timestamptz NOT NULL DEFAULT now(),
      withdrawn_by bigint REFERENCES staff (id),
      withdrawn_at timestamptz,
      CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
    );
    CREATE UNIQUE INDEX sampling_conflicts_one_active ON sampling_conflicts (staff_id, merchant_key) WHERE withdrawn_at IS NULL;
    CREATE INDEX sampling_conflicts_merchant_key_idx ON sampling_conflicts (merchant_key) WHERE withdrawn_at IS NULL;
    CREATE INDEX sampling_conflicts_declared_by_idx ON sampling_conflicts (declared_by);
    CREATE INDEX sampling_conflicts_withdrawn_by_idx ON sampling_conflicts (withdrawn_by);

    -- Addresses (by keyed hash) that asked for no more results emails.
    CREATE TABLE sampling_unsubscribes (
      email_hash text PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now()
    );

    -- The audit trail of campaigns, nominations and tasks: every phase step, moderation, draw and result.
    CREATE TABLE sampling_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES sampling_campaigns (id),
      task_id bigint REFERENCES sampling_tasks (id),
      nomination_id bigint REFERENCES sampling_nominations (id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id bigint REFERENCES staff (id),
      action text NOT NULL CHECK (action IN ('campaign_created', 'campaign_updated', 'phase_changed', 'seed_committed',
        'selection_blocked', 'selected', 'nomination_moderated', 'collection_recorded', 'results_recorded', 'delivery_recorded',
        'objection_recorded', 'waiver_recorded', 'retest_recorded', 'finalised', 'follow_up_opened', 'results_mailed')),
      data jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX sampling_events_campaign_id_idx ON sampling_events (campaign_id, id);
    CREATE INDEX sampling_events_task_id_idx ON sampling_events (task_id);
    CREATE INDEX sampling_events_nomination_id_idx ON sampling_events (nomination_id);
    CREATE INDEX sampling_events_actor_id_idx ON sampling_events (actor_id);
    CREATE TRIGGER sampling_events_append_only BEFORE UPDATE OR DELETE ON sampling_events
      FOR EACH ROW EXECUTE FUNCTION forbid_item_event_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE sampling_events, sampling_unsubscribes, sampling_conflicts, sampling_results, sampling_task_inspectors;
    ALTER TABLE sampling_nominations DROP COLUMN repeat_of_task_id;
    DROP TABLE sampling_tasks, sampling_votes, sampling_voters, sampling_nominations, sampling_campaigns;
  `.execute(db);
}
