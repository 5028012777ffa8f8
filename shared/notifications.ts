import type { DbOrTx } from './db/connection.js';
import { jobSchemas } from './queues.js';

/**
 * Queues one email: a notification row unique per dedupe key, then its job through the outbox, in the caller's
 * transaction. A second call with the same key is a no-op.
 */
export async function queueNotification(
  tx: DbOrTx,
  n: { dedupeKey: string; itemId: number | null; recipient: string; template: string; language: 'zh-CN' | 'en'; params: Record<string, unknown> },
): Promise<number | undefined> {
  const row = await tx
    .insertInto('notifications')
    .values({ dedupe_key: n.dedupeKey, item_id: n.itemId, recipient: n.recipient, template: n.template, language: n.language, params: JSON.stringify(n.params) })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  const payload = jobSchemas.notify.parse({ notificationId: row.id });
  await tx.insertInto('outbox').values({ queue: 'notify', payload: JSON.stringify(payload) }).execute();
  return row.id;
}
