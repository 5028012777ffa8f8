import { sql } from 'kysely';
import { endOfShanghaiDay } from '../../shared/calendar/index.js';
import { notFound } from '../../shared/errors/index.js';
import {
  batchMatch,
  keyOf,
  matchesRecall,
  productKeysOf,
  RECALL_PAGE_SIZE,
  recallSpecOfRow,
  type RecallCheckQuery,
  type RecallCheckResult,
  type RecallSearchQuery,
  type RecallSearchResult,
  type RecallView,
} from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { isCjkToken, searchTokens } from '../../shared/text/index.js';
import { findRecall, toRecallSummary, toRecallView, type RecallRow } from './recall-store.js';

/** What the public reads: search, one recall, "check my product" and the feed. Drafts do not exist here. */

/** A tsquery literal for one token (tokens are letters and digits only; quoting is belt and braces). */
const lexeme = (token: string) => `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/**
 * Every token of the query must match: CJK pairs and characters exactly, words as a prefix (strol finds stroller) or
 * by their English stem (strollers finds stroller). The document side is searchVector in recall-store.ts.
 */
function textQuery(q: string) {
  const tokens = searchTokens(q, { unigrams: false });
  if (tokens.length === 0) return undefined;
  return sql.join(
    tokens.map((t) =>
      isCjkToken(t) ? sql`${lexeme(t)}::tsquery` : sql`(${`${lexeme(t)}:*`}::tsquery || to_tsquery('english'::regconfig, ${lexeme(t)}))`,
    ),
    sql` && `,
  );
}

const startOfShanghaiDay = (day: string) => new Date(endOfShanghaiDay(day).getTime() + 1 - 86_400_000);

export async function searchRecalls(ctx: ServiceContext, query: RecallSearchQuery): Promise<RecallSearchResult> {
  const tsq = query.q ? textQuery(query.q) : undefined;
  const brandKey = query.brand ? keyOf(query.brand) : undefined;
  const modelKey = query.model ? keyOf(query.model) : undefined;
  const nothing = (query.q && !tsq) || brandKey === null || modelKey === null;
  if (nothing) return { items: [], total: 0, page: query.page, pageSize: RECALL_PAGE_SIZE };

  const base = ctx.db
    .selectFrom('recalls')
    .where('status', '<>', 'draft')
    .$if(tsq !== undefined, (q) => q.where(sql<boolean>`search_vector @@ (${tsq!})`))
    .$if(brandKey !== undefined, (q) => q.where('brand_key', '=', brandKey!))
    .$if(modelKey !== undefined, (q) => q.where('model_keys', '@>', sql<string[]>`ARRAY[${modelKey!}]::text[]`))
    .$if(query.category !== undefined, (q) => q.where('category', '=', query.category!))
    .$if(query.from !== undefined, (q) => q.where('published_at', '>=', startOfShanghaiDay(query.from!)))
    .$if(query.to !== undefined, (q) => q.where('published_at', '<=', endOfShanghaiDay(query.to!)));
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .$if(tsq !== undefined, (q) => q.orderBy(sql`ts_rank(search_vector, ${tsq!})`, 'desc'))
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECALL_PAGE_SIZE)
      .offset((query.page - 1) * RECALL_PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRecallSummary), total: Number(count.n), page: query.page, pageSize: RECALL_PAGE_SIZE };
}

/** One recall as the public sees it; a draft or an unknown number is the same 404. */
export async function getRecall(ctx: ServiceContext, { recallNo }: { recallNo: string }): Promise<RecallView> {
  const row = await findRecall(ctx.db, recallNo);
  if (!row || row.status === 'draft') throw notFound('recall');
  return toRecallView(row);
}

/**
 * "Check my product": recalls of this model whose brand (or manufacturer: people often give the maker as the brand)
 * matches, and whose batches include the consumer's, or list none, or the consumer gave none (then told to compare).
 */
export async function checkProduct(ctx: ServiceContext, query: RecallCheckQuery): Promise<RecallCheckResult> {
  const keys = productKeysOf({ brand: query.brand, model: query.model, batch: query.batch, manufacturer: query.brand });
  if (keys.modelKey === null) return { matches: [] };
  const rows = await ctx.db
    .selectFrom('recalls')
    .selectAll()
    .where('status', '<>', 'draft')
    .where('model_keys', '@>', sql<string[]>`ARRAY[${keys.modelKey}]::text[]`)
    .orderBy('published_at', 'desc')
    .execute();
  return {
    matches: rows.flatMap((r) => {
      const match = batchMatch(keys.batchKey, r.batch_keys);
      if (!matchesRecall(keys, recallSpecOfRow(r)) || match === 'other_batch') return [];
      return [
        {
          ...toRecallSummary(r),
          remedyInstructions: r.remedy_instructions,
          consumerContact: r.consumer_contact,
          batches: r.batches,
          batchMatch: match,
        },
      ];
    }),
  };
}

export const FEED_SIZE = 50;

/** The latest public recalls, newest first, for the Atom feed. */
export async function latestRecalls(ctx: ServiceContext): Promise<RecallRow[]> {
  return ctx.db
    .selectFrom('recalls')
    .selectAll()
    .where('status', '<>', 'draft')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(FEED_SIZE)
    .execute();
}
