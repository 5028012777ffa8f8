import { UnrecoverableError } from 'bullmq';
import { sql, type Insertable, type Selectable } from 'kysely';
import { withTransaction, type RecallFanoutTable, type RecallNoticeTable, type RecallTable } from '../shared/db/index.js';
import { matchesRecall, recallSpecOfRow, type FanOutPhase } from '../shared/recalls/index.js';
import type { WorkerContext } from './context.js';
import { bulkMailGroups } from './recall-notices.js';

/** Items (or subscriptions) read per batch; each batch is one transaction and one bulk add. */
export const FANOUT_BATCH = 1000;

/** Room for a batch's groups in the send_group numbering (batch number × this + the group within the batch). */
const GROUPS_PER_BATCH = 10_000;

type Recall = Selectable<RecallTable>;
type Cursor = Pick<Selectable<RecallFanoutTable>, 'phase' | 'model_index' | 'cursor_id'>;
type NewNotice = Insertable<RecallNoticeTable>;

export interface FanOutResult {
  batches: number;
  notices: number;
}

/**
 * Finds a published recall's recipients and queues one notice each: consumers whose items match (walked model by
 * model through the item_products index, then the matching rule), the merchants named in those items that have an
 * email, then confirmed subscribers whose filters match. Keyset pagination; each batch commits its notice rows
 * (one per recall and address: the unique constraint, ON CONFLICT DO NOTHING), each in a send group of a few dozen,
 * together with the cursor, then adds one bulk-mail job per group in one call. The notices are that queue's outbox:
 * a crash between a batch's commit and its add is mended on restart, which re-adds the groups of the queued notices
 * past `dispatched_through` (job ids derive from (recall, group), so nothing is added twice) and resumes after the
 * last committed batch.
 */
export async function fanOutRecall(
  ctx: WorkerContext,
  { recallId }: { recallId: number },
  batchSize = FANOUT_BATCH,
): Promise<FanOutResult> {
  const groupSize = bulkMailGroups(ctx.config).size;
  if (batchSize / groupSize >= GROUPS_PER_BATCH) throw new Error(`a batch of ${batchSize} makes too many groups of ${groupSize}`);
  const recall = await ctx.db.selectFrom('recalls').selectAll().where('id', '=', recallId).executeTakeFirst();
  if (!recall) throw new UnrecoverableError(`recall ${recallId} does not exist`);
  if (recall.status === 'draft') throw new UnrecoverableError(`recall ${recall.recall_no} is not published`);
  await ctx.db
    .insertInto('recall_fanouts')
    .values({ recall_id: recallId })
    .onConflict((oc) => oc.column('recall_id').doNothing())
    .execute();
  const state = await ctx.db.selectFrom('recall_fanouts').selectAll().where('recall_id', '=', recallId).executeTakeFirstOrThrow();

  let dispatched = await redispatch(ctx, recallId, state.dispatched_through);
  const result: FanOutResult = { batches: 0, notices: 0 };
  let cursor: Cursor = { phase: state.phase, model_index: state.model_index, cursor_id: state.cursor_id };
  while (cursor.phase !== 'done') {
    const page =
      cursor.phase === 'consumers'
        ? await consumerPage(ctx, recall, cursor, batchSize)
        : await subscriberPage(ctx, recall, cursor, batchSize);
    const inserted = await withTransaction(ctx.db, async (tx) => {
      // Moving the cursor first takes the row lock; a second runner of the same recall (a stalled job's retry
      // overlapping the original) finds the cursor moved and stops rather than repeat the batch.
      const moved = await tx
        .updateTable('recall_fanouts')
        .set({ ...page.next, batches: sql`batches + 1`, dispatched_through: dispatched })
        .where('recall_id', '=', recallId)
        .where('phase', '=', cursor.phase)
        .where('model_index', '=', cursor.model_index)
        .where('cursor_id', '=', cursor.cursor_id)
        .returning('batches')
        .executeTakeFirst();
      if (!moved) throw new Error(`the fan-out of ${recall.recall_no} moved under this run; it resumes on retry`);
      if (page.notices.length === 0) return [];
      // Each batch numbers its own groups, so a group never spans two batches and never changes once written.
      return tx
        .insertInto('recall_notices')
        .values(page.notices.map((n, i) => ({ ...n, send_group: moved.batches * GROUPS_PER_BATCH + Math.floor(i / groupSize) })))
        .onConflict((oc) => oc.columns(['recall_id', 'recipient']).doNothing())
        .returning(['id', 'send_group'])
        .execute();
    });
    if (inserted.length > 0) {
      await ctx.addJobs(
        'bulk-mail',
        [...new Set(inserted.map((r) => r.send_group!))].map((group) => ({ recallId, group })),
      );
      for (const r of inserted) dispatched = Math.max(dispatched, r.id);
    }
    result.batches++;
    result.notices += inserted.length;
    cursor = page.next;
  }
  await ctx.db
    .updateTable('recall_fanouts')
    .set({ dispatched_through: sql`greatest(dispatched_through, ${dispatched})`, finished_at: sql`coalesce(finished_at, now())` })
    .where('recall_id', '=', recallId)
    .execute();
  return result;
}

/**
 * Re-adds the jobs of the groups with notices still queued that were committed after the last known dispatch (the
 * last batch, at most); returns the new high-water mark.
 */
async function redispatch(ctx: WorkerContext, recallId: number, dispatchedThrough: number): Promise<number> {
  const rows = await ctx.db
    .selectFrom('recall_notices')
    .select(['send_group', (eb) => eb.fn.max('id').as('last')])
    .where('recall_id', '=', recallId)
    .where('status', '=', 'queued')
    .where('id', '>', dispatchedThrough)
    .groupBy('send_group')
    .orderBy('last')
    .execute();
  if (rows.length === 0) return dispatchedThrough;
  await ctx.addJobs(
    'bulk-mail',
    rows.map((r) => ({ recallId, group: r.send_group! })),
  );
  return Math.max(dispatchedThrough, ...rows.map((r) => r.last));
}

interface Page {
  notices: NewNotice[];
  next: Cursor;
}

/** One batch of items naming one of the recalled models, in item order; the matching rule decides who is notified. */
async function consumerPage(ctx: WorkerContext, recall: Recall, cursor: Cursor, batchSize: number): Promise<Page> {
  const spec = recallSpecOfRow(recall);
  let { model_index: modelIndex, cursor_id: after } = cursor;
  for (; modelIndex < recall.model_keys.length; modelIndex++, after = 0) {
    const rows = await ctx.db
      .selectFrom('item_products as p')
      .innerJoin('items as i', 'i.id', 'p.item_id')
      .innerJoin('merchants as m', 'm.id', 'i.merchant_id')
      .select([
        'p.item_id',
        'p.brand_key',
        'p.model_key',
        'p.batch_key',
        'p.manufacturer_uscc',
        'p.manufacturer_name_key',
        'i.reporter_email',
        'i.language',
        'i.merchant_id',
        'm.email as merchant_email',
      ])
      .where('p.model_key', '=', recall.model_keys[modelIndex]!)
      .where('p.item_id', '>', after)
      .orderBy('p.item_id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) continue;
    const notices = new Map<string, NewNotice>();
    for (const r of rows) {
      const keys = {
        brandKey: r.brand_key,
        modelKey: r.model_key,
        batchKey: r.batch_key,
        productKey: null,
        manufacturerUscc: r.manufacturer_uscc,
        manufacturerNameKey: r.manufacturer_name_key,
        manufacturerKey: null,
      };
      if (!matchesRecall(keys, spec)) continue;
      const add = (address: string, n: Omit<NewNotice, 'recall_id' | 'recipient'>) => {
        const recipient = address.toLowerCase();
        if (!notices.has(recipient)) notices.set(recipient, { recall_id: recall.id, recipient, ...n });
      };
      if (r.reporter_email) add(r.reporter_email, { kind: 'consumer', language: r.language, item_id: r.item_id });
      if (r.merchant_email) add(r.merchant_email, { kind: 'merchant', language: 'zh-CN', item_id: r.item_id, merchant_id: r.merchant_id });
    }
    const full = rows.length === batchSize;
    const next: Cursor = full
      ? { phase: 'consumers', model_index: modelIndex, cursor_id: rows.at(-1)!.item_id }
      : nextModel(recall, modelIndex);
    return { notices: [...notices.values()], next };
  }
  return { notices: [], next: { phase: 'subscribers', model_index: 0, cursor_id: 0 } };
}

const nextModel = (recall: Recall, modelIndex: number): Cursor =>
  modelIndex + 1 < recall.model_keys.length
    ? { phase: 'consumers', model_index: modelIndex + 1, cursor_id: 0 }
    : { phase: 'subscribers' satisfies FanOutPhase, model_index: 0, cursor_id: 0 };

/** One batch of confirmed subscribers whose filters (category, brand or manufacturer, model) take this recall. */
async function subscriberPage(ctx: WorkerContext, recall: Recall, cursor: Cursor, batchSize: number): Promise<Page> {
  const makers = [recall.brand_key, recall.manufacturer_name_key];
  const rows = await ctx.db
    .selectFrom('alert_subscriptions')
    .select(['id', 'email', 'language'])
    .where('status', '=', 'confirmed')
    .where('id', '>', cursor.cursor_id)
    .where(sql<boolean>`(categories = '{}' OR ${recall.category} = ANY(categories))`)
    .where(sql<boolean>`(brand_keys = '{}' OR brand_keys && ${makers}::text[])`)
    .where(sql<boolean>`(model_keys = '{}' OR model_keys && ${recall.model_keys}::text[])`)
    .orderBy('id')
    .limit(batchSize)
    .execute();
  const notices = new Map<string, NewNotice>();
  for (const s of rows) {
    const recipient = s.email.toLowerCase();
    if (!notices.has(recipient))
      notices.set(recipient, { recall_id: recall.id, recipient, kind: 'subscriber', language: s.language, subscription_id: s.id });
  }
  const next: Cursor =
    rows.length === batchSize
      ? { phase: 'subscribers', model_index: 0, cursor_id: rows.at(-1)!.id }
      : { phase: 'done', model_index: 0, cursor_id: 0 };
  return { notices: [...notices.values()], next };
}
