import { sql, type Expression, type QueryCreator } from 'kysely';
import type { Database, DbOrTx } from '../db/index.js';
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

/**
 * For a statement of data-modifying CTEs: the notify jobs (outbox rows) of the notifications its CTE `n` inserted,
 * with the payload enqueue writes, { notificationId } (the worker validates it again).
 */
export function notifyJobsOfInserted(q: QueryCreator<Database & { n: { id: number } }>) {
  return q
    .insertInto('outbox')
    .columns(['queue', 'payload'])
    .expression(
      q.selectFrom('n').select([sql<string>`'notify'`.as('queue'), sql<string>`jsonb_build_object('notificationId', n.id)`.as('payload')]),
    );
}

/** A notification row as a statement selects it for insertNotifications: params as JSON text. */
export interface NotificationRow {
  dedupe_key: string;
  item_id: number | null;
  recipient: string | null;
  template: EmailTemplate;
  language: Language;
  params: string;
}

/**
 * For a statement of data-modifying CTEs: inserts the notification rows a query selects, once per dedupe key (a key
 * used before inserts nothing), returning the new ids for notifyJobsOfInserted.
 */
export function insertNotifications(q: QueryCreator<Database>, rows: Expression<NotificationRow>) {
  return q
    .insertInto('notifications')
    .columns(['dedupe_key', 'item_id', 'recipient', 'template', 'language', 'params'])
    .expression(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id');
}
