import type { InjuryLevel, ItemCategory } from './vocabulary.js';

/**
 * Triage priority, P1 (most urgent) to P4. Pure: the caller supplies the facts.
 */

export const priorities = [1, 2, 3, 4] as const;
export type Priority = (typeof priorities)[number];

export interface PriorityFacts {
  category: ItemCategory;
  injury?: InjuryLevel | undefined;
  childInvolved?: boolean | undefined;
  /** Hazard codes of a children's product or an e-bike. */
  hazards?: readonly string[] | undefined;
  /** E-bike issue codes and whether the CCC mark was seen. */
  ebikeIssues?: readonly string[] | undefined;
  hasCccMark?: boolean | undefined;
  /** Scale screening: |deviation| / in-service MPE. */
  scaleRatio?: number | undefined;
  /** Open items against the same merchant received in the last 90 days, this one included. */
  openItemsAgainstMerchant: number;
}

const FIRE_OR_BATTERY_HAZARDS = new Set(['fire', 'battery_ingestion']);
export const REPEAT_MERCHANT_THRESHOLD = 3;
export const REPEAT_MERCHANT_WINDOW_DAYS = 90;

export function basePriority(f: PriorityFacts): Priority {
  const injured = f.injury !== undefined && f.injury !== 'none';
  if (f.injury === 'serious' || f.injury === 'fatal') return 1;
  if (injured && f.childInvolved) return 1;
  if (f.hazards?.some((h) => FIRE_OR_BATTERY_HAZARDS.has(h))) return 1;
  if (f.category === 'child_product' && (f.hazards?.length ?? 0) > 0) return 2;
  if (f.category === 'ebike' && (f.hasCccMark === false || f.ebikeIssues?.includes('no_ccc'))) return 2;
  if (f.scaleRatio !== undefined && f.scaleRatio > 5) return 2;
  if (f.scaleRatio !== undefined && f.scaleRatio > 1) return 3;
  return 4;
}

export function triagePriority(f: PriorityFacts): Priority {
  const base = basePriority(f);
  if (f.openItemsAgainstMerchant >= REPEAT_MERCHANT_THRESHOLD && base > 1) return (base - 1) as Priority;
  return base;
}
