import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { sha256, unseal } from '../shared/crypto/index.js';
import { ERASED_RECIPIENT, erasesRecipient, renderEmail } from '../shared/mail/index.js';
import type { WorkerContext } from './context.js';

export type NotifyResult = 'sent' | 'already_sent' | 'already_failed';

/**
 * An SMTP reply that will not change on retry: a 5xx to this message's recipient (RCPT TO) or to the message itself
 * (DATA). Everything else is worth retrying through the delivery window: refused connections, timeouts, 4xx replies,
 * and 5xx replies to the greeting, the sign-in or MAIL FROM — those refuse our relay or our sender, whichever the
 * recipient, so they are a server-side problem an operator fixes, and giving up would lose every message meanwhile.
 */
export function isPermanentMailFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { responseCode?: unknown; command?: unknown };
  if (typeof e.responseCode !== 'number' || e.responseCode < 500 || e.responseCode > 599) return false;
  return e.command === 'RCPT TO' || e.command === 'DATA';
}

/**
 * Sends one notification. Idempotent: a notification already sent is not sent again, and the Message-ID is
 * derived from the dedupe key so a resend after a crash between SMTP and commit is recognisably the same mail.
 * Marking it sent also erases the sealed access code: once it reached the consumer no recoverable copy is kept.
 */
export async function sendNotification(
  ctx: WorkerContext,
  input: { notificationId: number; finalAttempt: boolean },
): Promise<NotifyResult> {
  const n = await ctx.db.selectFrom('notifications').selectAll().where('id', '=', input.notificationId).executeTakeFirst();
  if (!n) throw new UnrecoverableError(`notification ${input.notificationId} does not exist`);
  if (n.status === 'sent') return 'already_sent';
  if (n.status === 'failed') return 'already_failed';

  const sealed = typeof n.params.accessCodeSealed === 'string' ? n.params.accessCodeSealed : undefined;
  let email;
  try {
    email = renderEmail(n.template, n.language, n.params, { accessCode: sealed ? unseal(ctx.config.AUTH_SECRET, sealed) : undefined });
  } catch (err) {
    await markNotificationFailed(ctx, n, err, true);
    throw new UnrecoverableError(`notification ${n.id} cannot be rendered: ${err instanceof Error ? err.message : String(err)}`);
  }
  let info;
  try {
    info = await ctx.mailer.send({ to: n.recipient, ...email, messageId: `<${sha256(n.dedupe_key).slice(0, 32)}@cpt.notifications>` });
  } catch (err) {
    const permanent = isPermanentMailFailure(err);
    await markNotificationFailed(ctx, n, err, permanent || input.finalAttempt);
    if (permanent) throw new UnrecoverableError(`permanent delivery failure: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  const markSent = ctx.db
    .updateTable('notifications')
    .set({
      status: 'sent',
      sent_at: sql`now()`,
      attempts: sql`attempts + 1`,
      last_error: null,
      message_id: info.messageId,
      params: sql`params - 'accessCodeSealed'`,
      ...(erasesRecipient(n.template) ? { recipient: ERASED_RECIPIENT } : {}),
    })
    .where('id', '=', n.id)
    .where('status', '<>', 'sent')
    .returning('item_id');
  if (sealed === undefined) await markSent.execute();
  else {
    await ctx.db
      .with('n', () => markSent)
      .updateTable('items')
      .set({ access_code_sealed: null })
      .where('id', '=', (eb) => eb.selectFrom('n').select('item_id'))
      .execute();
  }
  return 'sent';
}

/** Records a failed attempt on a queued notification; a final one marks it failed (and erases the address where the template says so). */
export async function markNotificationFailed(ctx: WorkerContext, n: { id: number; template: string }, err: unknown, final: boolean) {
  const message = err instanceof Error ? err.message : String(err);
  const erase = final && erasesRecipient(n.template);
  await ctx.db
    .updateTable('notifications')
    .set({
      attempts: sql`attempts + 1`,
      last_error: message.slice(0, 1000),
      ...(final ? { status: 'failed' as const } : {}),
      ...(erase ? { recipient: ERASED_RECIPIENT } : {}),
    })
    .where('id', '=', n.id)
    .where('status', '=', 'queued')
    .execute();
}
