import { sql, type QueryCreator } from 'kysely';
import type { InjuryLevel } from '../complaints/index.js';
import { compiledStatement, type Database, type DbOrTx } from '../db/index.js';
import { matchesRecall, productKeysOf, type ProductFacts, type ProductKeys, type RecallMatchSpec } from './matching.js';
import { isHazardous } from './signals.js';
import type { Remedy } from './vocabulary.js';

/** Queries both sides run: what a stored item's product is, and which active recalls cover a product. */

/**
 * Publishing a recall and matching a new complaint against active recalls meet on this lock: triage holds it shared
 * while it matches and records the item's product, publishing holds it exclusively. So every complaint is either
 * recorded before a recall is published (the fan-out finds it) or matched after (its acknowledgement carries it).
 */
const RECALL_MATCHING_LOCK = 0x5243_4c4c;

export async function holdRecallMatchingLock(tx: DbOrTx, mode: 'shared' | 'exclusive'): Promise<void> {
  await (
    mode === 'shared'
      ? sql`SELECT pg_advisory_xact_lock_shared(${RECALL_MATCHING_LOCK})`
      : sql`SELECT pg_advisory_xact_lock(${RECALL_MATCHING_LOCK})`
  ).execute(tx);
}

export interface ItemProduct {
  facts: ProductFacts;
  keys: ProductKeys;
  hazards: string[];
  injury: InjuryLevel | null;
  hazardous: boolean;
}

/** The product facts of a stored item (its product, the hazards its evidence names, the injury it reports). */
export function itemProductOf(item: {
  product: Record<string, unknown> | null;
  evidence: Record<string, unknown> | null;
  harm: { injury: InjuryLevel } | null;
}): ItemProduct {
  const p = item.product ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const facts: ProductFacts = {
    brand: str(p.brand),
    model: str(p.model),
    batch: str(p.batch),
    manufacturer: str(p.manufacturer),
    manufacturerUscc: str(p.manufacturerUscc),
  };
  const raw = item.evidence?.hazards;
  const hazards = Array.isArray(raw) ? raw.filter((h): h is string => typeof h === 'string') : [];
  const injury = item.harm?.injury ?? null;
  return { facts, keys: productKeysOf(facts), hazards, injury, hazardous: isHazardous({ hazards, injury }) };
}

export const recallSpecOfRow = (r: {
  brand_key: string;
  model_keys: string[];
  batch_keys: string[];
  manufacturer_uscc: string | null;
  manufacturer_name_key: string;
}): RecallMatchSpec => ({
  brandKey: r.brand_key,
  modelKeys: r.model_keys,
  batchKeys: r.batch_keys,
  manufacturerUscc: r.manufacturer_uscc,
  manufacturerNameKey: r.manufacturer_name_key,
});

export interface ActiveRecall {
  id: number;
  recallNo: string;
  title: string;
  remedy: Remedy;
  remedyInstructions: string;
  consumerContact: string;
}

const candidateColumns = [
  'id',
  'recall_no',
  'title',
  'remedy',
  'remedy_instructions',
  'consumer_contact',
  'brand_key',
  'model_keys',
  'batch_keys',
  'manufacturer_uscc',
  'manufacturer_name_key',
] as const;

/**
 * Published recalls naming a model, by the model-key index: the candidates the matching rule then decides on. Built on
 * the caller's query (a plain read, or a statement whose CTEs write first, as intake's), so it adds no round trip. A
 * product without a model has none: ARRAY[NULL] is contained in no array.
 */
export function selectRecallCandidates(db: QueryCreator<Database>, modelKey: string | null) {
  return (
    db
      .selectFrom('recalls')
      .select(candidateColumns)
      // A literal, so a prepared statement's generic plan can still prove the partial index's status <> 'draft'.
      .where('status', '=', sql.lit('published'))
      .where('model_keys', '@>', sql<string[]>`ARRAY[${modelKey}::text]`)
      .orderBy('published_at')
  );
}

export type RecallCandidate = Awaited<ReturnType<ReturnType<typeof selectRecallCandidates>['executeTakeFirstOrThrow']>>;

/** The candidates a product falls under by the matching rule, as the consumer is told of them. */
export function matchingRecalls(keys: ProductKeys, candidates: readonly RecallCandidate[]): ActiveRecall[] {
  return candidates
    .filter((r) => matchesRecall(keys, recallSpecOfRow(r)))
    .map((r) => ({
      id: r.id,
      recallNo: r.recall_no,
      title: r.title,
      remedy: r.remedy,
      remedyInstructions: r.remedy_instructions,
      consumerContact: r.consumer_contact,
    }));
}

/** Published recalls a product falls under: one lookup on the model-key index, then the matching rule. */
export async function findActiveRecalls(db: DbOrTx, keys: ProductKeys): Promise<ActiveRecall[]> {
  if (keys.modelKey === null) return [];
  return matchingRecalls(keys, await recallCandidatesStatement(db, { modelKey: keys.modelKey }));
}

const recallCandidatesStatement = compiledStatement('active_recalls_by_model', (db, v: { modelKey: string }) =>
  selectRecallCandidates(db, v.modelKey),
);
