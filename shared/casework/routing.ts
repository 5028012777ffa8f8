import type { ItemCategory } from '../complaints/index.js';
import { locateJurisdiction, type DivisionIndex, type Location } from '../jurisdictions/index.js';
import type { RoutedCaseQueue } from './vocabulary.js';

/** Which case queue a category goes to. */
export const queueByCategory = {
  scale: 'metrology',
  child_product: 'child_safety',
  ebike: 'product_quality',
  other: 'product_quality',
} as const satisfies Record<ItemCategory, RoutedCaseQueue>;

export const queueForCategory = (category: ItemCategory): RoutedCaseQueue => queueByCategory[category];

export type RoutingDecision =
  (Extract<Location, { routed: true }> & { queue: RoutedCaseQueue }) | (Extract<Location, { routed: false }> & { queue: 'intake' });

/** Jurisdiction (see locateJurisdiction) then queue: by category when routed, else the city's intake queue. */
export function routeItem(
  input: { category: ItemCategory; districtCode?: string | null | undefined; address?: string | null | undefined },
  divisions: DivisionIndex,
  defaultIntakeCode: string,
): RoutingDecision {
  const location = locateJurisdiction(input, divisions, defaultIntakeCode);
  return location.routed ? { ...location, queue: queueForCategory(input.category) } : { ...location, queue: 'intake' };
}
