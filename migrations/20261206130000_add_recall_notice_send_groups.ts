import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// A bulk-mail job sends a small group of a recall's notices rather than one, so a fan-out to 50,000 is 2,000 jobs and
// not 50,000. The fan-out writes each notice's group with the notice (within its batch, so the group of a notice never
// changes), and the job id derives from (recall, group): re-adding a group, on resume or by the reconciler, is one job.
// Notices queued before this migration become groups of one (negative, so no group the fan-out numbers collides).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE recall_notices ADD COLUMN send_group bigint;
    UPDATE recall_notices SET send_group = -id WHERE status = 'queued';
    CREATE INDEX recall_notices_send_group_idx ON recall_notices (recall_id, send_group) WHERE status = 'queued';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX recall_notices_send_group_idx;
    ALTER TABLE recall_notices DROP COLUMN send_group;
  `.execute(db);
}
