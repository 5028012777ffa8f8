import { sql } from 'kysely';
import { shanghaiDate } from '../../shared/calendar/index.js';
import { statusLabel } from '../../shared/complaints/index.js';
import type { Language } from '../../shared/i18n/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { finalItems, readUnsubscribeToken, type PublishedResult } from '../../shared/sampling/index.js';
import { withTransaction } from '../../shared/db/index.js';
import { publicCampaign } from './scope.js';

/**
 * The published results: the final result of every task (the re-test's when there was one), with the merchant and
 * the product as published by law, a failure's follow-up and where it stands, and nothing about nominators, voters
 * or inspectors.
 */
export async function getPublishedResults(
  ctx: ServiceContext,
  { campaignId, language }: { campaignId: number; language: Language },
): Promise<PublishedResult[]> {
  const c = await publicCampaign(ctx.db, campaignId);
  if (!c.published_at || (c.phase !== 'published' && c.phase !== 'closed')) {
    throw new DomainError('results_not_final', 'the results are published once every result is final', { phase: c.phase });
  }
  const rows = await ctx.db
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_nominations as n', 'n.id', 't.nomination_id')
    .innerJoin('sampling_results as r', 'r.task_id', 't.id')
    .leftJoin('items as f', 'f.id', 't.follow_up_item_id')
    .select([
      'f.status as follow_up_status',
      'f.rectify_by',
      'f.recheck_by',
      't.id',
      't.rank',
      'n.product_name',
      'n.brand',
      'n.model',
      'n.merchant_name',
      't.district_code',
      't.verdict',
      'r.stage',
      'r.report_no',
      'r.items',
    ])
    .where('t.campaign_id', '=', c.id)
    .where('t.status', '=', 'final')
    .orderBy('t.rank')
    .orderBy('r.stage', 'desc') // 'retest' before 'first'
    .execute();
  const published = c.published_at.toISOString();
  const firstItemsOf = new Map(rows.filter((r) => r.stage === 'first').map((r) => [r.id, r.items]));
  const seen = new Set<number>();
  return rows.flatMap((r) => {
    if (seen.has(r.id)) return [];
    seen.add(r.id);
    return [
      {
        taskId: r.id,
        productName: r.product_name,
        brand: r.brand,
        model: r.model,
        merchantName: r.merchant_name,
        districtCode: r.district_code,
        verdict: r.verdict!,
        reportNo: r.report_no,
        // After a re-test, the first report with its disputed items as re-tested.
        items: r.stage === 'retest' ? finalItems(firstItemsOf.get(r.id) ?? [], r.items) : r.items,
        retested: r.stage === 'retest',
        publishedAt: published,
        followUp: r.follow_up_status
          ? {
              status: r.follow_up_status,
              statusLabel: statusLabel(r.follow_up_status, language),
              rectifyBy: r.rectify_by ? shanghaiDate(r.rectify_by) : null,
              recheckBy: r.recheck_by ? shanghaiDate(r.recheck_by) : null,
            }
          : null,
      },
    ];
  });
}

/**
 * Stops results emails to an address at once (RFC 8058 one-click: no login, no page), and forgets the address
 * wherever it was kept for them. The token is a MAC over the address's keyed hash; a forged one is a 404.
 */
export async function unsubscribe(ctx: ServiceContext, { token }: { token: string }) {
  const hash = readUnsubscribeToken(ctx.config.AUTH_SECRET, token);
  if (!hash) throw notFound('subscription');
  await withTransaction(ctx.db, async (tx) => {
    await tx
      .insertInto('sampling_unsubscribes')
      .values({ email_hash: hash })
      .onConflict((oc) => oc.column('email_hash').doNothing())
      .execute();
    await tx
      .updateTable('sampling_nominations')
      .set({ nominator_email: null, notify_results: false })
      .where('nominator_email_hash', '=', hash)
      .execute();
    await tx.updateTable('sampling_voters').set({ email: null, notify_results: false }).where('email_hash', '=', hash).execute();
    // A results email still waiting to go out is not sent (looked up by its dedupe keys, which are indexed).
    await tx
      .updateTable('notifications')
      .set({ status: 'failed', last_error: 'unsubscribed' })
      .where('dedupe_key', 'in', (eb) =>
        eb
          .selectFrom('sampling_campaigns')
          .select(sql<string>`'sampling-results:' || id || ':' || ${hash}`.as('key'))
          .where('published_at', 'is not', null),
      )
      .where('status', '=', 'queued')
      .execute();
  });
  return { unsubscribed: true as const };
}
