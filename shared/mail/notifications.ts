import type { DbOrTx } from '../db/index.js';
import type { Language } from '../i18n/index.js';
import { enqueue } from '../queue/index.js';
import type { EmailTemplate, TemplateParams } from './templates.js';

export interface NewNotification<T extends EmailTemplate> {
  /** Unique per email that must go out once: a second call with the same key is a no-op. */
  dedupeKey: string;
  itemId: number | null;
  recipient: string;
  template: T;
  language: Language;
  params: TemplateParams<T>;
}

/**
 * Queues one email in the caller's transaction: a notification row, unique per dedupe key, then its notify job
 * through the outbox. Returns the new row's id, or undefined when the key was used before.
 */
export async function queueNotification<T extends EmailTemplate>(tx: DbOrTx, n: NewNotification<T>): Promise<number | undefined> {
  const row = await tx
    .insertInto('notifications')
    .values({
      dedupe_key: n.dedupeKey,
      item_id: n.itemId,
      recipient: n.recipient,
      template: n.template,
      language: n.language,
      params: JSON.stringify(n.params),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  await enqueue(tx, 'notify', { notificationId: row.id });
  return row.id;
}
