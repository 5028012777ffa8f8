import { sql } from 'kysely';
import { withTransaction } from '../shared/db/index.js';
import { queueNotification } from '../shared/mail/index.js';
import { recordSamplingEvent, unsubscribeToken } from '../shared/sampling/index.js';
import type { WorkerContext } from './context.js';

const BATCH = 200;

/**
 * After publication, one results email to each address that asked for them — nominators and voters who opted in,
 * less those who unsubscribed — however many times it nominated or voted. Each email is a notification row unique
 * per (campaign, address hash), so a rerun or a second worker queues nothing twice; recipients are paged by hash.
 */
export async function mailCampaignResults(ctx: WorkerContext, campaignId: number): Promise<{ queued: number }> {
  const campaign = await ctx.db
    .selectFrom('sampling_campaigns')
    .select(['id', 'title', 'phase'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!campaign || (campaign.phase !== 'published' && campaign.phase !== 'closed')) return { queued: 0 };

  const results = await ctx.db
    .selectFrom('sampling_tasks as t')
    .innerJoin('sampling_nominations as n', 'n.id', 't.nomination_id')
    .select(['n.product_name', 'n.brand', 'n.model', 'n.merchant_name', 't.verdict'])
    .where('t.campaign_id', '=', campaignId)
    .where('t.status', '=', 'final')
    .orderBy('t.rank')
    .execute();
  const base = (ctx.config.PUBLIC_URL ?? `http://localhost:${ctx.config.PORT}`).replace(/\/$/, '');
  const summary = results.map((r) => ({
    productName: r.product_name,
    brand: r.brand,
    model: r.model,
    merchantName: r.merchant_name,
    verdict: r.verdict!,
  }));

  let queued = 0;
  let after = '';
  for (;;) {
    const page = await ctx.db
      .selectFrom(
        sql<{ email: string; email_hash: string; language: 'zh-CN' | 'en'; ord: number }>`(
          SELECT nominator_email AS email, nominator_email_hash AS email_hash, language, 0 AS ord
            FROM sampling_nominations
            WHERE campaign_id = ${campaignId} AND notify_results AND nominator_email IS NOT NULL
          UNION ALL
          SELECT v.email, v.email_hash, v.language, 1 AS ord
            FROM sampling_voters v
            WHERE v.campaign_id = ${campaignId} AND v.notify_results AND v.email IS NOT NULL
              AND EXISTS (SELECT 1 FROM sampling_votes x WHERE x.voter_id = v.id)
        )`.as('r'),
      )
      .distinctOn('r.email_hash')
      .select(['r.email', 'r.email_hash', 'r.language'])
      .where('r.email_hash', '>', after)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('sampling_unsubscribes as u').select('u.email_hash').whereRef('u.email_hash', '=', 'r.email_hash'))),
      )
      .orderBy('r.email_hash')
      .orderBy('r.ord')
      .limit(BATCH)
      .execute();
    if (page.length === 0) break;
    queued += await withTransaction(ctx.db, async (tx) => {
      let n = 0;
      for (const r of page) {
        const id = await queueNotification(tx, {
          dedupeKey: `sampling-results:${campaignId}:${r.email_hash}`,
          itemId: null,
          recipient: r.email,
          template: 'sampling_results_published',
          language: r.language,
          params: {
            campaignTitle: campaign.title,
            results: summary,
            resultsUrl: `${base}/sampling/${campaignId}`,
            unsubscribeUrl: `${base}/api/v1/sampling/unsubscribe/${unsubscribeToken(ctx.config.AUTH_SECRET, r.email_hash)}`,
          },
        });
        if (id !== undefined) n++;
      }
      if (n > 0) await recordSamplingEvent(tx, { campaignId, action: 'results_mailed', data: { recipients: n } });
      return n;
    });
    after = page[page.length - 1]!.email_hash;
    if (page.length < BATCH) break;
  }
  return { queued };
}
