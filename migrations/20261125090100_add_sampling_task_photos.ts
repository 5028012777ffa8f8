import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A photo belongs to exactly one owner: an item (complaint, report, follow-up) or a sampling task's collection.
    ALTER TABLE attachments
      ALTER COLUMN item_id DROP NOT NULL,
      ADD COLUMN sampling_task_id bigint REFERENCES sampling_tasks (id),
      ADD CONSTRAINT attachments_one_owner CHECK (num_nonnulls(item_id, sampling_task_id) = 1);
    CREATE INDEX attachments_sampling_task_id_idx ON attachments (sampling_task_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM attachments WHERE sampling_task_id IS NOT NULL;
    ALTER TABLE attachments DROP CONSTRAINT attachments_one_owner, DROP COLUMN sampling_task_id, ALTER COLUMN item_id SET NOT NULL;
  `.execute(db);
}
