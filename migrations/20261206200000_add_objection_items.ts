import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// An objection names the test items it disputes: the re-test covers those on the reserve sample, and the final result
// is the first report with them replaced. Objections recorded before this migration disputed the whole report (null).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sampling_tasks ADD COLUMN objection_items text[]`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE sampling_tasks DROP COLUMN objection_items`.execute(db);
}
