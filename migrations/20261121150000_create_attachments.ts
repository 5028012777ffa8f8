import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE attachments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_id bigint NOT NULL REFERENCES items (id),
      case_id bigint REFERENCES cases (id),
      uploaded_by text NOT NULL CHECK (uploaded_by IN ('consumer', 'staff')),
      staff_id bigint REFERENCES staff (id),
      content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL,
      storage_key text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX attachments_item_id_idx ON attachments (item_id);
    CREATE INDEX attachments_case_id_idx ON attachments (case_id);
    CREATE INDEX attachments_staff_id_idx ON attachments (staff_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE attachments`.execute(db);
}
