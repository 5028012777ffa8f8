import { sql } from 'kysely';
import { closeFinishedCases } from '../shared/casework/index.js';
import type { WorkerContext } from './context.js';

/** How long housekeeping keeps what it no longer needs. */
export const retention = {
  idempotencyKeyHours: 24,
  relayedOutboxDays: 7,
  /** An upload's file is written before its row commits; younger files may still be in flight. */
  orphanFileGraceMs: 60 * 60_000,
} as const;

export interface HousekeepingResult {
  idempotencyKeys: number;
  outbox: number;
  orphanFiles: number;
  /** Alert subscriptions never confirmed within ALERT_CONFIRM_TTL_HOURS, deleted. */
  lapsedSubscriptions: number;
  /** Open cases whose items were all finished (a decision's process died before closing its case), closed. */
  finishedCases: number;
}

/**
 * Deletes expired idempotency keys, long-relayed outbox rows, orphaned upload files and lapsed alert subscriptions, and
 * closes cases left open with nothing open in them.
 * (Queued work whose job the queue lost is restored by the reconciler, workers/reconcile.ts.) Safe to run anywhere, any time.
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
    finishedCases: await closeFinishedCases(ctx.db),
  };
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
