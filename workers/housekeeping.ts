import { sql } from 'kysely';
import type { WorkerContext } from './context.js';

/** How long housekeeping keeps what it no longer needs. */
export const retention = {
  idempotencyKeyHours: 24,
  relayedOutboxDays: 7,
  /** An upload's file is written before its row commits; younger files may still be in flight. */
  orphanFileGraceMs: 60 * 60_000,
  /** A fan-out adds a notice's job right after writing it; one still queued this much later is checked. */
  noticeReconcileAfterMs: 15 * 60_000,
} as const;

export interface HousekeepingResult {
  idempotencyKeys: number;
  outbox: number;
  orphanFiles: number;
  /** Alert subscriptions never confirmed within ALERT_CONFIRM_TTL_HOURS, deleted. */
  lapsedSubscriptions: number;
  /** Queued recall notices whose job was added again (a no-op for those whose job is still there). */
  reconciledNotices: number;
}

/**
 * Deletes expired idempotency keys, long-relayed outbox rows, orphaned upload files and lapsed alert subscriptions, and
 * reconciles recall notices with the bulk-mail queue. Safe to run anywhere, any time.
 */
export async function runHousekeeping(ctx: WorkerContext, now = new Date()): Promise<HousekeepingResult> {
  const [keys, outbox, lapsed] = await Promise.all([
    ctx.db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${retention.idempotencyKeyHours})`)
      .executeTakeFirst(),
    ctx.db
      .deleteFrom('outbox')
      .where('relayed_at', '<', sql<Date>`now() - make_interval(days => ${retention.relayedOutboxDays})`)
      .executeTakeFirst(),
    ctx.db
      .deleteFrom('alert_subscriptions')
      .where('status', '=', 'pending')
      .where('requested_at', '<', new Date(now.getTime() - ctx.config.ALERT_CONFIRM_TTL_HOURS * 3_600_000))
      .executeTakeFirst(),
  ]);
  return {
    idempotencyKeys: Number(keys.numDeletedRows),
    outbox: Number(outbox.numDeletedRows),
    orphanFiles: await sweepOrphanFiles(ctx, retention.orphanFileGraceMs, now),
    lapsedSubscriptions: Number(lapsed.numDeletedRows),
    reconciledNotices: await reconcileNotices(ctx, now),
  };
}

/**
 * Adds the job of every group of recall notices with one still queued a while after it was written. Job ids derive
 * from (recall, group), so a job still waiting (or delayed through an SMTP outage) is not duplicated; one lost with a
 * queue's data is restored. Returns the number of groups re-added.
 */
export async function reconcileNotices(ctx: WorkerContext, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - retention.noticeReconcileAfterMs);
  let after = 0;
  let count = 0;
  for (;;) {
    // Keyed by each group's first queued notice, so the pages walk recall_notices_queued_idx's rows once.
    const rows = await ctx.db
      .selectFrom('recall_notices')
      .select(['recall_id', 'send_group', (eb) => eb.fn.min('id').as('first')])
      .where('status', '=', 'queued')
      .where('created_at', '<', before)
      .where('id', '>', after)
      .where('send_group', 'is not', null)
      .groupBy(['recall_id', 'send_group'])
      .orderBy('first')
      .limit(1000)
      .execute();
    if (rows.length === 0) return count;
    await ctx.addJobs(
      'bulk-mail',
      rows.map((r) => ({ recallId: r.recall_id, group: r.send_group! })),
    );
    count += rows.length;
    after = rows.at(-1)!.first;
  }
}

/** Removes stored files that no attachment row names and that are older than the grace period. */
export async function sweepOrphanFiles(ctx: WorkerContext, graceMs: number, now = new Date()): Promise<number> {
  const cutoff = now.getTime() - graceMs;
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = await ctx.db.selectFrom('attachments').select('storage_key').where('storage_key', 'in', batch).execute();
    const known = new Set(rows.map((r) => r.storage_key));
    for (const key of batch.filter((k) => !known.has(k))) {
      await ctx.storage.delete(key);
      removed++;
    }
    batch = [];
  };
  for await (const f of ctx.storage.list()) {
    if (f.writtenAt.getTime() > cutoff) continue;
    batch.push(f.key);
    if (batch.length >= 500) await flush();
  }
  await flush();
  return removed;
}
