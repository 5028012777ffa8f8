import { checkUscc } from '../identifiers/index.js';
import { matchKey } from '../text/index.js';

/** The keys a product is matched by, whoever typed it: brand, model, batch and manufacturer, each through matchKey. */
export interface ProductKeys {
  brandKey: string | null;
  modelKey: string | null;
  batchKey: string | null;
  /** brand|model, the subject of a product signal; null unless both are known. */
  productKey: string | null;
  manufacturerUscc: string | null;
  manufacturerNameKey: string | null;
  /** uscc:<USCC>, else name:<normalised name>: the subject of a manufacturer signal. */
  manufacturerKey: string | null;
}

export interface ProductFacts {
  brand?: string | null | undefined;
  model?: string | null | undefined;
  batch?: string | null | undefined;
  manufacturer?: string | null | undefined;
  manufacturerUscc?: string | null | undefined;
}

/** A key, or null for a value that is absent or has nothing left after normalisation ("--"). */
export const keyOf = (value: string | null | undefined): string | null => (value ? matchKey(value) || null : null);

export function productKeysOf(p: ProductFacts | null | undefined): ProductKeys {
  const brandKey = keyOf(p?.brand);
  const modelKey = keyOf(p?.model);
  const uscc = p?.manufacturerUscc ? checkUscc(p.manufacturerUscc) : undefined;
  const manufacturerUscc = uscc?.valid ? uscc.code : null;
  const manufacturerNameKey = keyOf(p?.manufacturer);
  return {
    brandKey,
    modelKey,
    batchKey: keyOf(p?.batch),
    productKey: brandKey && modelKey ? `${brandKey}|${modelKey}` : null,
    manufacturerUscc,
    manufacturerNameKey,
    manufacturerKey: manufacturerUscc ? `uscc:${manufacturerUscc}` : manufacturerNameKey ? `name:${manufacturerNameKey}` : null,
  };
}

/** What a recall is matched by. */
export interface RecallMatchSpec {
  brandKey: string;
  modelKeys: readonly string[];
  /** Empty: every batch of the models is recalled. */
  batchKeys: readonly string[];
  manufacturerUscc: string | null;
  manufacturerNameKey: string | null;
}

export function recallSpecOf(r: {
  brand: string;
  models: readonly string[];
  batches?: readonly string[] | undefined;
  manufacturer: { name: string; uscc?: string | null | undefined };
}): RecallMatchSpec {
  const keys = (values: readonly string[]) => [...new Set(values.map(keyOf).filter((k): k is string => k !== null))];
  const uscc = r.manufacturer.uscc ? checkUscc(r.manufacturer.uscc) : undefined;
  return {
    brandKey: keyOf(r.brand) ?? '',
    modelKeys: keys(r.models),
    batchKeys: keys(r.batches ?? []),
    manufacturerUscc: uscc?.valid ? uscc.code : null,
    manufacturerNameKey: keyOf(r.manufacturer.name),
  };
}

/**
 * One manufacturer: by USCC when both sides have one (a name then does not matter: a company renames, a code stays),
 * else by normalised name.
 */
export function sameManufacturer(item: ProductKeys, recall: RecallMatchSpec): boolean {
  if (item.manufacturerUscc && recall.manufacturerUscc) return item.manufacturerUscc === recall.manufacturerUscc;
  return item.manufacturerNameKey !== null && item.manufacturerNameKey === recall.manufacturerNameKey;
}

/**
 * How an item's batch relates to a recall's: every batch is recalled, the batch is listed, the consumer gave none
 * (they are told, and asked to check theirs), or it is another batch (not affected).
 */
export type BatchMatch = 'all_batches' | 'listed' | 'not_given' | 'other_batch';

export function batchMatch(batchKey: string | null, batchKeys: readonly string[]): BatchMatch {
  if (batchKeys.length === 0) return 'all_batches';
  if (batchKey === null) return 'not_given';
  return batchKeys.includes(batchKey) ? 'listed' : 'other_batch';
}

/** Does a product fall under a recall: a recalled model of the same brand or manufacturer, in a recalled batch when batches are listed. */
export function matchesRecall(item: ProductKeys, recall: RecallMatchSpec): boolean {
  if (item.modelKey === null || !recall.modelKeys.includes(item.modelKey)) return false;
  const sameBrand = item.brandKey !== null && item.brandKey === recall.brandKey;
  if (!sameBrand && !sameManufacturer(item, recall)) return false;
  return batchMatch(item.batchKey, recall.batchKeys) !== 'other_batch';
}
