import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { sha256 } from '../shared/crypto/index.js';
import { withTransaction } from '../shared/db/index.js';
import { renderEmail, type TemplateParams } from '../shared/mail/index.js';
import type { Language } from '../shared/i18n/index.js';
import { publicBaseUrl, unsubscribeLinks, type RecipientKind, type SubscriptionStatus } from '../shared/recalls/index.js';
import type { Config } from '../shared/config/index.js';
import type { WorkerContext } from './context.js';
import { isPermanentMailFailure } from './notify.js';

type NoticeParams = Omit<TemplateParams<'recall_notice'>, 'kind' | 'unsubscribe'>;

/** A published recall's notice text does not change, so each process keeps the few it is sending. */
const CACHE_SIZE = 32;
const recallParamsCache = new Map<number, NoticeParams>();

async function recallParams(ctx: WorkerContext, recallId: number): Promise<NoticeParams> {
  const cached = recallParamsCache.get(recallId);
  if (cached) return cached;
  const r = await ctx.db.selectFrom('recalls').selectAll().where('id', '=', recallId).executeTakeFirstOrThrow();
  const params: NoticeParams = {
    recallNo: r.recall_no,
    type: r.type,
    title: r.title,
    manufacturer: r.manufacturer_name,
    brand: r.brand,
    productName: r.product_name,
    models: r.models,
    batches: r.batches,
    hazard: r.hazard,
    remedy: r.remedy,
    remedyInstructions: r.remedy_instructions,
    consumerContact: r.consumer_contact,
    recallUrl: `${publicBaseUrl(ctx.config)}/recalls/${r.recall_no}`,
  };
  if (recallParamsCache.size >= CACHE_SIZE) recallParamsCache.delete(recallParamsCache.keys().next().value!);
  recallParamsCache.set(recallId, params);
  return params;
}

/**
 * Notices per bulk-mail job, and jobs per second for the queue's rate limiter: BULK_MAIL_PER_SECOND keeps meaning
 * messages. A group is at most GROUP_SIZE notices and exactly as many as make `jobsPerSecond` groups add up to the
 * limit, or just under it (37 a second: 2 jobs of 18).
 */
export const GROUP_SIZE = 25;

export function bulkMailGroups(config: Pick<Config, 'BULK_MAIL_PER_SECOND'>): { size: number; jobsPerSecond: number } {
  const jobsPerSecond = Math.ceil(config.BULK_MAIL_PER_SECOND / GROUP_SIZE);
  return { size: Math.floor(config.BULK_MAIL_PER_SECOND / jobsPerSecond), jobsPerSecond };
}

/** Concurrent bulk-mail jobs a process runs: enough that the next group is loaded while one is still sending. */
export const bulkMailJobConcurrency = (config: Pick<Config, 'BULK_MAIL_CONCURRENCY' | 'BULK_MAIL_PER_SECOND'>) =>
  Math.ceil(config.BULK_MAIL_CONCURRENCY / bulkMailGroups(config).size) + 1;

/**
 * Gathers the "sent" marks of concurrent sends within a couple of milliseconds and writes them with one statement:
 * at hundreds of notices a second, one statement per notice would cost more than the notices. A send still waits for
 * its own mark (and holds its slot until then), so nothing about durability changes.
 */
class Batcher<K, V> {
  private pending: Array<{ key: K; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly run: (keys: K[]) => Promise<Map<K, V>>) {}

  submit(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), BATCH_WINDOW_MS);
    });
  }

  private async flush() {
    const batch = this.pending;
    this.pending = [];
    this.timer = undefined;
    try {
      const found = await this.run(batch.map((b) => b.key));
      for (const b of batch) b.resolve(found.get(b.key));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}

const BATCH_WINDOW_MS = 2;

/** At most `size` sends at once in this process, whichever jobs they belong to: one slot per pooled connection. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

interface NoticeToSend {
  id: number;
  recipient: string;
  kind: RecipientKind;
  language: Language;
  subscription_id: number | null;
  subscription_status: SubscriptionStatus | null;
}

interface BulkSending {
  markSent: Batcher<{ id: number; messageId: string }, boolean>;
  slots: Slots;
}

const perContext = new WeakMap<WorkerContext, BulkSending>();

function bulkSending(ctx: WorkerContext): BulkSending {
  let b = perContext.get(ctx);
  if (!b) {
    b = {
      markSent: new Batcher<{ id: number; messageId: string }, boolean>(async (sent) => {
        // Visible to every session at commit, without waiting for the WAL flush (only a crash of PostgreSQL itself
        // could lose the last marks, and then those notices go again, under the same Message-ID).
        await withTransaction(ctx.db, async (tx) => {
          await sql`SET LOCAL synchronous_commit TO off`.execute(tx);
          await sql`
            UPDATE recall_notices AS n
            SET status = 'sent', sent_at = now(), attempts = n.attempts + 1, last_error = NULL, message_id = s.message_id
            FROM unnest(${sent.map((x) => x.id)}::bigint[], ${sent.map((x) => x.messageId)}::text[]) AS s (id, message_id)
            WHERE n.id = s.id AND n.status = 'queued'`.execute(tx);
        });
        return new Map(sent.map((x) => [x, true]));
      }),
      slots: new Slots(ctx.config.BULK_MAIL_CONCURRENCY),
    };
    perContext.set(ctx, b);
  }
  return b;
}

export interface GroupResult {
  sent: number;
  cancelled: number;
  failed: number;
}

/**
 * Sends one group of a recall's notices, each through the pooled transport as soon as a slot is free, each marked
 * sent on its own as soon as the server has taken it. Idempotent: only notices still queued are loaded, so a retry
 * sends just the ones not yet sent; a subscriber who has left by now gets nothing; and the Message-ID derives from
 * (recall, address), so a resend after a crash between the SMTP reply and the commit is recognisably the same message.
 * A temporary failure of any notice fails the job (to be retried); a permanent one fails only its notice.
 */
export async function sendRecallNotices(
  ctx: WorkerContext,
  input: { recallId: number; group: number; finalAttempt: boolean },
): Promise<GroupResult> {
  const notices: NoticeToSend[] = await ctx.db
    .selectFrom('recall_notices as n')
    .leftJoin('alert_subscriptions as s', 's.id', 'n.subscription_id')
    .select(['n.id', 'n.recipient', 'n.kind', 'n.language', 'n.subscription_id', 's.status as subscription_status'])
    .where('n.recall_id', '=', input.recallId)
    .where('n.send_group', '=', input.group)
    .where('n.status', '=', 'queued')
    .orderBy('n.id')
    .execute();
  const result: GroupResult = { sent: 0, cancelled: 0, failed: 0 };
  if (notices.length === 0) return result;

  const left = notices.filter((n) => n.subscription_id !== null && n.subscription_status !== 'confirmed').map((n) => n.id);
  if (left.length > 0) {
    await ctx.db
      .updateTable('recall_notices')
      .set({ status: 'cancelled' })
      .where('id', 'in', left)
      .where('status', '=', 'queued')
      .execute();
    result.cancelled = left.length;
  }
  const params = await recallParams(ctx, input.recallId);
  const { markSent, slots } = bulkSending(ctx);
  let retry: Error | undefined;
  let permanent: string | undefined;
  await Promise.all(
    notices
      .filter((n) => !left.includes(n.id))
      .map((n) =>
        slots.run(async () => {
          const email = renderEmail('recall_notice', n.language, {
            ...params,
            kind: n.kind,
            ...(n.subscription_id !== null ? { unsubscribe: unsubscribeLinks(ctx.config, n.subscription_id) } : {}),
          });
          let info;
          try {
            info = await ctx.bulkMailer.send({
              to: n.recipient,
              ...email,
              messageId: `<${sha256(`recall:${input.recallId}:${n.recipient}`).slice(0, 32)}@cpt.recalls>`,
            });
          } catch (err) {
            const isPermanent = isPermanentMailFailure(err);
            const message = err instanceof Error ? err.message : String(err);
            await ctx.db
              .updateTable('recall_notices')
              .set({
                attempts: sql`attempts + 1`,
                last_error: message.slice(0, 1000),
                ...(isPermanent || input.finalAttempt ? { status: 'failed' as const } : {}),
              })
              .where('id', '=', n.id)
              .where('status', '=', 'queued')
              .execute();
            if (isPermanent || input.finalAttempt) result.failed++;
            if (isPermanent) permanent ??= message;
            else retry ??= err instanceof Error ? err : new Error(message);
            return;
          }
          // The slot is held until the mark is committed: a crash loses at most one mark per slot.
          await markSent.submit({ id: n.id, messageId: info.messageId });
          result.sent++;
        }),
      ),
  );
  if (retry !== undefined) throw retry;
  if (permanent !== undefined) throw new UnrecoverableError(`permanent delivery failure: ${permanent}`);
  return result;
}
