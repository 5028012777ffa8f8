import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { sha256 } from '../shared/crypto/index.js';
import { renderEmail, type TemplateParams } from '../shared/mail/index.js';
import type { Language } from '../shared/i18n/index.js';
import {
  publicBaseUrl,
  unsubscribeLinks,
  type NoticeStatus,
  type RecipientKind,
  type SubscriptionStatus,
} from '../shared/recalls/index.js';
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
 * Gathers what concurrent jobs ask for within a couple of milliseconds and answers it with one query: at hundreds of
 * notices a second, two statements per notice would cost more than the notices. A job still waits for its own answer
 * (its notice is marked sent before the job completes), so nothing about durability changes.
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

interface NoticeToSend {
  id: number;
  recall_id: number;
  recipient: string;
  kind: RecipientKind;
  language: Language;
  status: NoticeStatus;
  subscription_id: number | null;
  subscription_status: SubscriptionStatus | null;
}

interface NoticeBatchers {
  load: Batcher<number, NoticeToSend>;
  markSent: Batcher<{ id: number; messageId: string }, boolean>;
}

const batchers = new WeakMap<WorkerContext, NoticeBatchers>();

function createBatchers(ctx: WorkerContext): NoticeBatchers {
  return {
    load: new Batcher(async (ids: number[]) => {
      const rows = await ctx.db
        .selectFrom('recall_notices as n')
        .leftJoin('alert_subscriptions as s', 's.id', 'n.subscription_id')
        .select([
          'n.id',
          'n.recall_id',
          'n.recipient',
          'n.kind',
          'n.language',
          'n.status',
          'n.subscription_id',
          's.status as subscription_status',
        ])
        .where('n.id', '=', sql<number>`ANY(${ids}::bigint[])`)
        .execute();
      return new Map(rows.map((r) => [r.id, r]));
    }),
    markSent: new Batcher<{ id: number; messageId: string }, boolean>(async (sent) => {
      await sql`
        UPDATE recall_notices AS n
        SET status = 'sent', sent_at = now(), attempts = n.attempts + 1, last_error = NULL, message_id = s.message_id
        FROM unnest(${sent.map((x) => x.id)}::bigint[], ${sent.map((x) => x.messageId)}::text[]) AS s (id, message_id)
        WHERE n.id = s.id AND n.status = 'queued'`.execute(ctx.db);
      return new Map(sent.map((x) => [x, true]));
    }),
  };
}

function noticeBatchers(ctx: WorkerContext): NoticeBatchers {
  let b = batchers.get(ctx);
  if (!b) batchers.set(ctx, (b = createBatchers(ctx)));
  return b;
}

/**
 * Sends one recall notice. Idempotent: a notice no longer queued is not sent again, a subscriber who has left by now
 * gets nothing, and the Message-ID derives from (recall, address), so a resend after a crash between the SMTP reply
 * and the commit is recognisably the same message.
 */
export async function sendRecallNotice(
  ctx: WorkerContext,
  input: { noticeId: number; finalAttempt: boolean },
): Promise<NoticeStatus | 'already_sent'> {
  const batch = noticeBatchers(ctx);
  const n = await batch.load.submit(input.noticeId);
  if (!n) throw new UnrecoverableError(`recall notice ${input.noticeId} does not exist`);
  if (n.status !== 'queued') return 'already_sent';
  if (n.subscription_id !== null && n.subscription_status !== 'confirmed') {
    await ctx.db.updateTable('recall_notices').set({ status: 'cancelled' }).where('id', '=', n.id).where('status', '=', 'queued').execute();
    return 'cancelled';
  }

  const email = renderEmail('recall_notice', n.language, {
    ...(await recallParams(ctx, n.recall_id)),
    kind: n.kind,
    ...(n.subscription_id !== null ? { unsubscribe: unsubscribeLinks(ctx.config, n.subscription_id) } : {}),
  });
  let info;
  try {
    info = await ctx.bulkMailer.send({
      to: n.recipient,
      ...email,
      messageId: `<${sha256(`recall:${n.recall_id}:${n.recipient}`).slice(0, 32)}@cpt.recalls>`,
    });
  } catch (err) {
    const permanent = isPermanentMailFailure(err);
    const message = err instanceof Error ? err.message : String(err);
    await ctx.db
      .updateTable('recall_notices')
      .set({
        attempts: sql`attempts + 1`,
        last_error: message.slice(0, 1000),
        ...(permanent || input.finalAttempt ? { status: 'failed' as const } : {}),
      })
      .where('id', '=', n.id)
      .where('status', '=', 'queued')
      .execute();
    if (permanent) throw new UnrecoverableError(`permanent delivery failure: ${message}`);
    throw err;
  }
  await batch.markSent.submit({ id: n.id, messageId: info.messageId });
  return 'sent';
}
