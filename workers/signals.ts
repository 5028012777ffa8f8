import { sql } from 'kysely';
import { regulatorsOver } from '../shared/staff/index.js';
import { shanghaiDate } from '../shared/calendar/index.js';
import { withTransaction, type Tx } from '../shared/db/index.js';
import { queueNotification } from '../shared/mail/index.js';
import {
  activeSignalStatuses,
  itemProductOf,
  shouldNotify,
  signalSubjectsOf,
  signalWindowStart,
  summarizeEvidence,
  type SignalSubjectRef,
} from '../shared/recalls/index.js';
import type { WorkerContext } from './context.js';

export interface SignalCheck {
  subject: string;
  outcome: 'below_threshold' | 'opened' | 'updated' | 'unchanged';
  itemCount: number;
  notified: boolean;
}

/** The evidence of one subject is read from the item_products index on its key, hazardous items only. */
const subjectColumn = { product: 'product_key', manufacturer: 'manufacturer_key' } as const;
const subjectValue = (s: SignalSubjectRef) => s.key.slice(s.key.indexOf(':') + 1);

/**
 * Checks the subjects of one triaged item (its brand and model, its manufacturer) against the threshold: counts the
 * hazardous items of the last 90 days across all jurisdictions and opens or updates the subject's signal with its
 * evidence. Each subject is checked under a transaction-scoped advisory lock on its key, so concurrent checks of one
 * subject run one after the other and the last sees every committed item; the evidence is recomputed, never
 * incremented, so running a check twice changes nothing.
 */
export async function detectSignals(ctx: WorkerContext, { itemId }: { itemId: number }, now = new Date()): Promise<SignalCheck[]> {
  const item = await ctx.db.selectFrom('items').select(['product', 'evidence', 'harm']).where('id', '=', itemId).executeTakeFirst();
  if (!item) return [];
  const product = itemProductOf(item);
  if (!product.hazardous) return [];
  const subjects = signalSubjectsOf(product.keys, product.facts);
  // The active signals that count this item already: its check is done for those subjects, with no lock to wait for.
  // In a burst of complaints about one product most checks end here, each a single read.
  const counted = new Map(
    subjects.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('defect_signals')
            .select(['subject_key', 'item_count'])
            .where(
              'subject_key',
              'in',
              subjects.map((s) => s.key),
            )
            .where('status', 'in', activeSignalStatuses)
            .where(sql<boolean>`${String(itemId)}::bigint = ANY(item_ids)`)
            .execute()
        ).map((r) => [r.subject_key, r.item_count]),
  );
  const results: SignalCheck[] = [];
  for (const subject of subjects) {
    const itemCount = counted.get(subject.key);
    results.push(
      itemCount !== undefined
        ? { subject: subject.key, outcome: 'unchanged', itemCount, notified: false }
        : await withTransaction(ctx.db, (tx) => checkSubject(ctx, tx, subject, itemId, now)),
    );
  }
  return results;
}

async function checkSubject(ctx: WorkerContext, tx: Tx, subject: SignalSubjectRef, itemId: number, now: Date): Promise<SignalCheck> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`signal:${subject.key}`}, 0))`.execute(tx);
  const active = await tx
    .selectFrom('defect_signals')
    .selectAll()
    .where('subject_key', '=', subject.key)
    .where('status', 'in', activeSignalStatuses)
    .executeTakeFirst();
  // A check that ran after this item was recorded counted it already: whatever came later has a check of its own. In a
  // burst of complaints about one model, most checks end here instead of reading the whole window again.
  if (active?.item_ids.includes(String(itemId))) {
    return { subject: subject.key, outcome: 'unchanged', itemCount: active.item_count, notified: false };
  }
  const lastDecided = active
    ? undefined
    : await tx
        .selectFrom('defect_signals')
        .select((eb) => eb.fn.max('closed_at').as('at'))
        .where('subject_key', '=', subject.key)
        .executeTakeFirst();
  const windowStart = active?.window_start ?? signalWindowStart(now, lastDecided?.at ?? null);

  const rows = await tx
    .selectFrom('item_products')
    .select(['item_id', 'received_at', 'jurisdiction_code', 'hazards', 'injury'])
    .where(subjectColumn[subject.kind], '=', subjectValue(subject))
    .where('hazardous', '=', true)
    .where('received_at', '>', windowStart)
    .where('received_at', '<=', now)
    .execute();
  const evidence = summarizeEvidence(
    rows.map((r) => ({
      itemId: r.item_id,
      receivedAt: r.received_at,
      jurisdictionCode: r.jurisdiction_code,
      hazards: r.hazards,
      injury: r.injury,
    })),
  );
  const count = evidence?.itemCount ?? 0;
  const result = (outcome: SignalCheck['outcome'], notified = false): SignalCheck => ({
    subject: subject.key,
    outcome,
    itemCount: count,
    notified,
  });
  if (!evidence || (!active && count < ctx.config.SIGNAL_THRESHOLD)) return result('below_threshold');
  if (active && active.item_count === count) return result('unchanged');

  const columns = {
    item_count: count,
    item_ids: evidence.itemIds,
    hazards: evidence.hazards,
    worst_injury: evidence.worstInjury,
    jurisdiction_codes: evidence.jurisdictionCodes,
    first_at: evidence.firstAt,
    last_at: evidence.lastAt,
    updated_at: now,
  };
  const signal = active
    ? await tx.updateTable('defect_signals').set(columns).where('id', '=', active.id).returningAll().executeTakeFirstOrThrow()
    : await tx
        .insertInto('defect_signals')
        .values({
          ...columns,
          subject_kind: subject.kind,
          subject_key: subject.key,
          subject_label: subject.label,
          window_start: windowStart,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
  if (!active) {
    await tx
      .insertInto('signal_events')
      .values({
        signal_id: signal.id,
        to_status: 'open',
        data: JSON.stringify({ itemCount: count, threshold: ctx.config.SIGNAL_THRESHOLD }),
      })
      .execute();
  }

  const notify = shouldNotify(count, signal.notified_count);
  if (notify) {
    await tx.updateTable('defect_signals').set({ notified_count: count }).where('id', '=', signal.id).execute();
    const concerned = await regulatorsOver(tx, evidence.jurisdictionCodes);
    const names =
      concerned.length > 0
        ? await tx.selectFrom('jurisdictions').select(['code', 'full_name']).where('code', 'in', evidence.jurisdictionCodes).execute()
        : [];
    for (const r of concerned) {
      await queueNotification(tx, {
        dedupeKey: `signal:${signal.id}:${count}:${r.id}`,
        itemId: null,
        recipient: r.email,
        template: 'defect_signal',
        language: 'zh-CN',
        params: {
          signalId: signal.id,
          subjectKind: subject.kind,
          subjectLabel: signal.subject_label,
          itemCount: count,
          previouslyNotified: signal.notified_count,
          hazards: evidence.hazards,
          worstInjury: evidence.worstInjury,
          jurisdictions: evidence.jurisdictionCodes.map((c) => names.find((n) => n.code === c)?.full_name ?? c),
          firstOn: shanghaiDate(evidence.firstAt),
          lastOn: shanghaiDate(evidence.lastAt),
        },
      });
    }
  }
  return result(active ? 'updated' : 'opened', notify);
}
