import { sql, type Selectable } from 'kysely';
import { withinJurisdiction } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import type { DbOrTx, RecallTable } from '../../shared/db/index.js';
import { notFound } from '../../shared/errors/index.js';
import {
  RECALL_NO_PATTERN,
  recallSpecOf,
  type NewRecallEvent,
  type RecallInput,
  type RecallSummary,
  type RecallView,
} from '../../shared/recalls/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { searchTokens } from '../../shared/text/index.js';

/** Rows of recalls, as the use cases of this domain read and write them. */

export type RecallRow = Selectable<RecallTable>;

const day = (d: Date | null) => (d ? shanghaiDate(d) : undefined);

/**
 * The document a recall is found by: tokens of our own (CJK characters and pairs, words, and the normalised brand and
 * model keys, so X-100, x100 and Ｘ１００ all find it) plus PostgreSQL's English stems (strollers finds stroller).
 * Built the same on every PostgreSQL (no extension, no locale), which pg_trgm is not: it ignores CJK characters
 * under a non-UTF-8 LC_CTYPE and cannot index a two-character query such as 推车.
 */
export function searchVector(input: RecallInput) {
  const spec = recallSpecOf(input);
  const tokens = new Set([
    ...searchTokens([input.title, input.brand, input.productName, input.manufacturer.name, input.hazard, ...input.models].join(' ')),
    ...spec.modelKeys,
    spec.brandKey,
  ]);
  const english = [input.title, input.productName, input.hazard].join(' ');
  return sql<string>`array_to_tsvector(${[...tokens]}::text[]) || to_tsvector('english'::regconfig, ${english})`;
}

/** The columns of a recall as drafted. */
export function recallColumns(input: RecallInput) {
  const spec = recallSpecOf(input);
  return {
    type: input.type,
    title: input.title,
    category: input.category,
    manufacturer_name: input.manufacturer.name,
    manufacturer_uscc: spec.manufacturerUscc,
    manufacturer_name_key: spec.manufacturerNameKey ?? '',
    brand: input.brand,
    brand_key: spec.brandKey,
    product_name: input.productName,
    models: input.models,
    model_keys: spec.modelKeys as string[],
    batches: input.batches ?? [],
    batch_keys: spec.batchKeys as string[],
    production_from: input.productionFrom ?? null,
    production_to: input.productionTo ?? null,
    units_affected: input.unitsAffected,
    sales_channels: input.salesChannels ?? [],
    hazard: input.hazard,
    injuries_reported: input.injuriesReported ? input.injuriesReported : null,
    remedy: input.remedy,
    remedy_instructions: input.remedyInstructions,
    consumer_contact: input.consumerContact,
    starts_on: input.startsOn,
    signal_id: input.signalId ?? null,
    search_vector: searchVector(input),
  };
}

/** A recall by number; a malformed number never reaches the database. */
export async function findRecall(db: DbOrTx, recallNo: string, opts: { lock?: boolean } = {}): Promise<RecallRow | undefined> {
  if (!RECALL_NO_PATTERN.test(recallNo)) return undefined;
  return db
    .selectFrom('recalls')
    .selectAll()
    .where('recall_no', '=', recallNo)
    .$if(opts.lock === true, (q) => q.forUpdate())
    .executeTakeFirst();
}

/** A recall the regulator may manage (their jurisdiction's subtree); outside it, the same 404 as a missing one. */
export async function recallInScope(db: DbOrTx, staff: Principal, recallNo: string, opts: { lock?: boolean } = {}): Promise<RecallRow> {
  const row = await findRecall(db, recallNo, opts);
  if (!row || !withinJurisdiction(staff.jurisdictionCode, row.jurisdiction_code)) throw notFound('recall');
  return row;
}

/** Appends to a recall's audit trail; the data's shape is the one its action documents (recallEventDataSchemas). */
export async function recordRecallEvent(db: DbOrTx, e: { recallId: number; actorId: number | null } & NewRecallEvent) {
  await db
    .insertInto('recall_events')
    .values({ recall_id: e.recallId, actor_id: e.actorId, action: e.action, data: JSON.stringify(e.data) })
    .execute();
}

/** What every view of a recall shows, drafts included. */
export function recallFields(r: RecallRow): Omit<RecallView, 'status' | 'publishedOn'> {
  return {
    recallNo: r.recall_no,
    type: r.type,
    title: r.title,
    category: r.category,
    manufacturer: { name: r.manufacturer_name, ...(r.manufacturer_uscc ? { uscc: r.manufacturer_uscc } : {}) },
    brand: r.brand,
    productName: r.product_name,
    models: r.models,
    batches: r.batches,
    ...(r.production_from ? { productionFrom: r.production_from } : {}),
    ...(r.production_to ? { productionTo: r.production_to } : {}),
    unitsAffected: r.units_affected,
    unitsRemedied: r.units_remedied,
    salesChannels: r.sales_channels,
    hazard: r.hazard,
    ...(r.injuries_reported ? { injuriesReported: r.injuries_reported } : {}),
    remedy: r.remedy,
    remedyInstructions: r.remedy_instructions,
    consumerContact: r.consumer_contact,
    startsOn: r.starts_on,
    ...(r.completed_at ? { completedOn: day(r.completed_at) } : {}),
    ...(r.closed_at ? { closedOn: day(r.closed_at) } : {}),
  };
}

/** The public view of a published, completed or closed recall. */
export function toRecallView(r: RecallRow): RecallView {
  if (r.status === 'draft' || !r.published_at) throw new Error(`recall ${r.recall_no} is not public`);
  return { ...recallFields(r), status: r.status, publishedOn: shanghaiDate(r.published_at) };
}

export function toRecallSummary(r: RecallRow): RecallSummary {
  const v = toRecallView(r);
  return {
    recallNo: v.recallNo,
    status: v.status,
    title: v.title,
    category: v.category,
    brand: v.brand,
    productName: v.productName,
    models: v.models,
    hazard: v.hazard,
    remedy: v.remedy,
    publishedOn: v.publishedOn,
  };
}
