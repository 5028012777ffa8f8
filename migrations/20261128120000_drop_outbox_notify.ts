import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations.
// A transaction that ran NOTIFY takes one cluster-wide lock while it commits, so the per-statement trigger on outbox
// made every intake commit wait for the one before it. The relay polls instead, at a short interval while busy.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER outbox_notify ON outbox;
    DROP FUNCTION notify_outbox();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('outbox', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();
  `.execute(db);
}
