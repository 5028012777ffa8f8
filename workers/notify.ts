import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { sha256, unseal } from '../shared/crypto.js';
import { renderEmail } from '../shared/mail/templates.js';
import type { WorkerContext } from './context.js';

export type NotifyResult = 'sent' | 'already_sent';

/**
 * Sends one notification. Idempotent: a notification already sent is not sent again, and the Message-ID is
 * derived from the dedupe key so a resend after a crash between SMTP and commit is recognisably the same mail.
 */
export async function sendNotification(ctx: WorkerContext, notificationId: number, finalAttempt: boolean): Promise<NotifyResult> {
  const n = await ctx.db.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
  if (!n) throw new UnrecoverableError(`notification ${notificationId} does not exist`);
  if (n.status === 'sent') return 'already_sent';

  const { accessCodeSealed, ...params } = n.params as Record<string, unknown> & { accessCodeSealed?: string | null };
  const accessCode = typeof accessCodeSealed === 'string' ? unseal(ctx.config.AUTH_SECRET, accessCodeSealed) : undefined;
  const email = renderEmail(n.template, n.language, { ...params, accessCode });
  try {
    const info = await ctx.mailer.send({
      to: n.recipient,
      ...email,
      messageId: `<${sha256(n.dedupe_key).slice(0, 32)}@cpt.notifications>`,
    });
    // The access code has reached the consumer: keep no recoverable copy of it, in the notification or the item.
    await sql`
      WITH n AS (
        UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL,
          message_id = ${info.messageId}, params = params - 'accessCodeSealed'
        WHERE id = ${n.id} AND status <> 'sent'
        RETURNING item_id
      )
      UPDATE items SET access_code_sealed = NULL
      WHERE id = (SELECT item_id FROM n) AND ${accessCodeSealed !== undefined && accessCodeSealed !== null}`.execute(ctx.db);
    return 'sent';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await ctx.db
      .updateTable('notifications')
      .set({ attempts: sql`attempts + 1`, last_error: message.slice(0, 1000), ...(finalAttempt ? { status: 'failed' as const } : {}) })
      .where('id', '=', n.id)
      .where('status', '<>', 'sent')
      .execute();
    throw err;
  }
}
