import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// The reconciler (workers/reconcile.ts) walks the work the database holds as queued, by id, every minute: these keep
// that walk to the few pending rows. Signals and campaign steps have no pending state of their own, so it reads their
// recently relayed outbox rows; the index holds only those two queues' rows, so the busy triage and notify rows pay nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX notifications_queued_idx ON notifications (id) WHERE status = 'queued';
    CREATE INDEX items_submitted_idx ON items (id) WHERE status = 'submitted';
    CREATE INDEX outbox_unledgered_relayed_idx ON outbox (relayed_at) WHERE queue IN ('signals', 'sampling-campaign');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX notifications_queued_idx, items_submitted_idx, outbox_unledgered_relayed_idx;
  `.execute(db);
}
