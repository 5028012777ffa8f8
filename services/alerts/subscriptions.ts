import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { signedTokenId, signedTokenMatches } from '../../shared/crypto/index.js';
import { withTransaction, type AlertSubscriptionTable, type DbOrTx } from '../../shared/db/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import { queueNotification } from '../../shared/mail/index.js';
import { ALERT_CONFIRM_PURPOSE, ALERT_UNSUBSCRIBE_PURPOSE, confirmUrl, keyOf, type SubscriptionInput } from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';

/** Recall alerts: double opt-in by emailed link, one-click unsubscription (RFC 8058), both effective at once. */

/** A request repeated within this window sends no second email: the link already sent stays valid. */
const RESEND_AFTER = sql`interval '1 minute'`;

const keys = (names: readonly string[]) => names.map((n) => keyOf(n)!);

/**
 * Records (or renews) a pending subscription and emails its confirmation link. The answer is the same whether the
 * address is new, pending or already subscribed, so it tells nobody who subscribes.
 */
export async function subscribeToAlerts(ctx: ServiceContext, input: SubscriptionInput) {
  const ttl = ctx.config.ALERT_CONFIRM_TTL_HOURS;
  const language = input.language ?? 'zh-CN';
  const { categories = [], brands = [], models = [] } = input.filters;
  const filters = { categories, brands, brand_keys: keys(brands), models, model_keys: keys(models) };
  await withTransaction(ctx.db, async (tx) => {
    const row = await tx
      .insertInto('alert_subscriptions')
      .values({ email: input.email, language, ...filters, nonce: randomBytes(18).toString('base64url') })
      .onConflict((oc) =>
        oc
          .expression(sql`lower(email)`)
          .where('status', '=', 'pending')
          .doUpdateSet((eb) => ({
            email: eb.ref('excluded.email'),
            language: eb.ref('excluded.language'),
            categories: eb.ref('excluded.categories'),
            brands: eb.ref('excluded.brands'),
            brand_keys: eb.ref('excluded.brand_keys'),
            models: eb.ref('excluded.models'),
            model_keys: eb.ref('excluded.model_keys'),
            nonce: eb.ref('excluded.nonce'),
            requested_at: sql`now()`,
          }))
          .where('alert_subscriptions.requested_at', '<', sql<Date>`now() - ${RESEND_AFTER}`),
      )
      .returning(['id', 'nonce'])
      .executeTakeFirst();
    if (!row) return;
    await queueNotification(tx, {
      dedupeKey: `alert-confirm:${row.id}:${row.nonce}`,
      itemId: null,
      recipient: input.email,
      template: 'alert_confirmation',
      language,
      params: { confirmUrl: confirmUrl(ctx.config, row.id, row.nonce), expiresInHours: ttl, categories, brands, models },
    });
  });
  return { status: 'confirmation_sent' as const, expiresInHours: ttl };
}

const filtersOf = (s: Selectable<AlertSubscriptionTable>) => ({ categories: s.categories, brands: s.brands, models: s.models });

/** An address as a page may show it to whoever holds a link: enough to recognise, not to harvest. */
const masked = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1***$2');

/**
 * The subscription a confirmation token names. A forged token, one voided by a newer request for the address, or
 * one whose subscription has ended is unknown; a pending one past its time has lapsed.
 */
async function confirmable(db: DbOrTx, ctx: ServiceContext, token: string, opts: { lock: boolean }) {
  const id = signedTokenId(token);
  if (id === undefined) throw notFound('subscription');
  const s = await db
    .selectFrom('alert_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .$if(opts.lock, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!s || !signedTokenMatches(ctx.config.AUTH_SECRET, ALERT_CONFIRM_PURPOSE, token, id, s.nonce)) throw notFound('subscription');
  if (s.status === 'unsubscribed') throw notFound('subscription');
  if (s.status === 'pending' && s.requested_at.getTime() < Date.now() - ctx.config.ALERT_CONFIRM_TTL_HOURS * 3_600_000) {
    throw new DomainError('gone', 'this confirmation link has expired; please subscribe again');
  }
  return s;
}

/** What the confirmation link points at, for the page a GET shows (its button confirms; the GET changes nothing). */
export async function describeConfirmLink(ctx: ServiceContext, { token }: { token: string }) {
  const s = await confirmable(ctx.db, ctx, token, { lock: false });
  return { email: masked(s.email), confirmed: s.status === 'confirmed', filters: filtersOf(s) };
}

/**
 * Confirms a subscription from its emailed link. A newer request for the address voids older links (the nonce is
 * in the token); a confirmed subscription replaces the address's earlier one; a second click changes nothing.
 */
export async function confirmSubscription(ctx: ServiceContext, { token }: { token: string }) {
  return withTransaction(ctx.db, async (tx) => {
    const s = await confirmable(tx, ctx, token, { lock: true });
    if (s.status === 'confirmed') return { status: 'confirmed' as const, filters: filtersOf(s) };
    const now = new Date();
    await tx
      .updateTable('alert_subscriptions')
      .set({ status: 'unsubscribed', unsubscribed_at: now })
      .where(sql`lower(email)`, '=', s.email.toLowerCase())
      .where('status', '=', 'confirmed')
      .execute();
    await tx.updateTable('alert_subscriptions').set({ status: 'confirmed', confirmed_at: now }).where('id', '=', s.id).execute();
    return { status: 'confirmed' as const, filters: filtersOf(s) };
  });
}

function subscriptionIdOf(ctx: ServiceContext, token: string): number {
  const id = signedTokenId(token);
  if (id === undefined || !signedTokenMatches(ctx.config.AUTH_SECRET, ALERT_UNSUBSCRIBE_PURPOSE, token, id)) throw notFound('subscription');
  return id;
}

/** What the unsubscribe link points at (for the confirmation page a GET shows); a forged token is a 404. */
export async function describeUnsubscribeLink(ctx: ServiceContext, { token }: { token: string }) {
  const id = subscriptionIdOf(ctx, token);
  const s = await ctx.db.selectFrom('alert_subscriptions').select(['email', 'status']).where('id', '=', id).executeTakeFirst();
  if (!s) throw notFound('subscription');
  return { email: masked(s.email), subscribed: s.status === 'confirmed' };
}

/**
 * One-click unsubscription (RFC 8058): no sign-in, effective at once. Notices of running fan-outs that have not gone
 * out yet are cancelled too. Repeating it changes nothing and answers the same.
 */
export async function unsubscribeFromAlerts(ctx: ServiceContext, { token }: { token: string }) {
  const id = subscriptionIdOf(ctx, token);
  await withTransaction(ctx.db, async (tx) => {
    await tx
      .updateTable('alert_subscriptions')
      .set({ status: 'unsubscribed', unsubscribed_at: new Date() })
      .where('id', '=', id)
      .where('status', '<>', 'unsubscribed')
      .execute();
    await tx
      .updateTable('recall_notices')
      .set({ status: 'cancelled' })
      .where('subscription_id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  });
  return { status: 'unsubscribed' as const };
}
