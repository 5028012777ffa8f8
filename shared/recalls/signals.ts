import { injuryLevels, type InjuryLevel } from '../complaints/index.js';
import type { ProductKeys } from './matching.js';
import type { SignalSubject } from './vocabulary.js';

/** Complaints of the last 90 days count towards a defect signal (DESIGN §6). */
export const SIGNAL_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/** An item counts towards a signal when it names a hazard or someone was hurt. */
export function isHazardous(f: { hazards: readonly string[]; injury: InjuryLevel | null | undefined }): boolean {
  return f.hazards.length > 0 || (f.injury != null && f.injury !== 'none');
}

export interface SignalSubjectRef {
  kind: SignalSubject;
  /** Unique per subject: product:<brand>|<model> or manufacturer:<uscc:… | name:…>. */
  key: string;
  label: string;
}

/** The subjects an item can raise a signal about: its brand and model, and its manufacturer. */
export function signalSubjectsOf(
  keys: ProductKeys,
  product: { brand?: string | null | undefined; model?: string | null | undefined; manufacturer?: string | null | undefined },
): SignalSubjectRef[] {
  const out: SignalSubjectRef[] = [];
  if (keys.productKey) out.push({ kind: 'product', key: `product:${keys.productKey}`, label: `${product.brand} ${product.model}` });
  if (keys.manufacturerKey) {
    out.push({ kind: 'manufacturer', key: `manufacturer:${keys.manufacturerKey}`, label: product.manufacturer ?? keys.manufacturerUscc! });
  }
  return out;
}

/**
 * Where a signal's evidence starts: 90 days back, but never before the subject's last signal was decided, so a
 * dismissed cluster is not raised again on the same complaints. An open signal keeps the start it opened with.
 */
export function signalWindowStart(now: Date, lastDecidedAt: Date | null | undefined): Date {
  const start = new Date(now.getTime() - SIGNAL_WINDOW_DAYS * DAY_MS);
  return lastDecidedAt && lastDecidedAt > start ? lastDecidedAt : start;
}

export interface EvidenceRow {
  itemId: number;
  receivedAt: Date;
  jurisdictionCode: string | null;
  hazards: readonly string[];
  injury: InjuryLevel | null;
}

export interface SignalEvidence {
  itemCount: number;
  itemIds: number[];
  hazards: string[];
  worstInjury: InjuryLevel | null;
  jurisdictionCodes: string[];
  firstAt: Date;
  lastAt: Date;
}

/** The evidence of a signal: the items, every hazard named, the worst injury, the jurisdictions and the first and last dates. */
export function summarizeEvidence(rows: readonly EvidenceRow[]): SignalEvidence | undefined {
  if (rows.length === 0) return undefined;
  const sorted = [...rows].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.itemId - b.itemId);
  let worst = -1;
  for (const r of rows) if (r.injury) worst = Math.max(worst, injuryLevels.indexOf(r.injury));
  return {
    itemCount: rows.length,
    itemIds: sorted.map((r) => r.itemId),
    hazards: [...new Set(rows.flatMap((r) => r.hazards))].sort(),
    worstInjury: worst >= 0 ? injuryLevels[worst]! : null,
    jurisdictionCodes: [...new Set(rows.map((r) => r.jurisdictionCode).filter((c): c is string => c !== null))].sort(),
    firstAt: sorted[0]!.receivedAt,
    lastAt: sorted.at(-1)!.receivedAt,
  };
}

/** Regulators hear of a signal once when it opens, then again only when it has grown by half since they last heard. */
export function shouldNotify(itemCount: number, notifiedCount: number): boolean {
  return notifiedCount === 0 || itemCount >= Math.ceil(notifiedCount * 1.5);
}
