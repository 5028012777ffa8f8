import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// The deadline check reads each status's own running clock (accept_by while pending acceptance, mediation_ends_by
// while accepted or mediating, …) up to a horizon. One partial index per clock lets each part of that filter be a
// range scan, so items whose deadline is far away are not read at all; the status-only index it replaces made the
// check read every open item on each run.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX items_accept_by_running_idx ON items (accept_by) WHERE status = 'pending_acceptance';
    CREATE INDEX items_verify_by_running_idx ON items (verify_by) WHERE status = 'pending_verification';
    CREATE INDEX items_mediation_ends_by_running_idx ON items (mediation_ends_by) WHERE status IN ('accepted', 'mediating');
    CREATE INDEX items_recheck_by_running_idx ON items (recheck_by) WHERE status IN ('pending_rectification', 'rechecking');
    DROP INDEX items_open_deadlines_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX items_open_deadlines_idx ON items (status) WHERE status IN
      ('pending_acceptance', 'pending_verification', 'accepted', 'mediating', 'pending_rectification', 'rechecking');
    DROP INDEX items_accept_by_running_idx, items_verify_by_running_idx, items_mediation_ends_by_running_idx, items_recheck_by_running_idx;
  `.execute(db);
}
