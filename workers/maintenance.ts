import { sql } from 'kysely';
import type { Db } from '../shared/db/connection.js';

/** How long housekeeping keeps what it no longer needs. */
export const retention = {
  idempotencyKeyHours: 24,
  relayedOutboxDays: 7,
} as const;

export interface PurgeResult {
  idempotencyKeys: number;
  rateLimits: number;
  outbox: number;
}

/** Deletes expired idempotency keys and rate-limit windows and long-relayed outbox rows. Safe to run anywhere, any time. */
export async function purgeExpired(db: Db): Promise<PurgeResult> {
  const [keys, limits, outbox] = await Promise.all([
    db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${retention.idempotencyKeyHours})`)
      .executeTakeFirst(),
    db.deleteFrom('rate_limits').where('reset_at', '<', sql<Date>`now()`).executeTakeFirst(),
    db
      .deleteFrom('outbox')
      .where('relayed_at', '<', sql<Date>`now() - make_interval(days => ${retention.relayedOutboxDays})`)
      .executeTakeFirst(),
  ]);
  return {
    idempotencyKeys: Number(keys.numDeletedRows),
    rateLimits: Number(limits.numDeletedRows),
    outbox: Number(outbox.numDeletedRows),
  };
}
