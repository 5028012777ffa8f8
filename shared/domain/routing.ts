import type { ItemCategory, QueueName } from '../db/schema.js';

/** Pure routing rules: which queue a category goes to, and where an item's jurisdiction lies. */

export function queueForCategory(category: ItemCategory): Exclude<QueueName, 'intake'> {
  switch (category) {
    case 'scale':
      return 'metrology';
    case 'child_product':
      return 'child_safety';
    case 'ebike':
    case 'other':
      return 'product_quality';
  }
}

export interface DivisionRef {
  code: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
}

export interface DivisionIndex {
  get(code: string): DivisionRef | undefined;
  /** The market-supervision bureau of a division. */
  bureauName(code: string): string | undefined;
  /** The county whose full name (or city + county name) appears in a free-text address, when exactly one does. */
  matchCountyInAddress(address: string): string | undefined;
  /** The city whose full name appears in a free-text address, when exactly one does. */
  matchCityInAddress(address: string): string | undefined;
}

export type RoutingDecision =
  | { routed: true; jurisdictionCode: string; queue: Exclude<QueueName, 'intake'>; basis: 'district_code' | 'address' }
  | { routed: false; jurisdictionCode: string; queue: 'intake'; basis: 'city_of_district' | 'city_in_address' | 'default_intake' };

/**
 * Jurisdiction is the county-level bureau where the merchant operates. A usable district code wins; else the
 * merchant's (or online shop's published) address is matched against county names. No county → the city-level
 * intake queue (the district's city, a city named in the address, or the bureau's default intake).
 */
export function routeItem(
  input: { category: ItemCategory; districtCode?: string | null | undefined; address?: string | null | undefined },
  divisions: DivisionIndex,
  defaultIntakeCode: string,
): RoutingDecision {
  const queue = queueForCategory(input.category);
  const district = input.districtCode ? divisions.get(input.districtCode) : undefined;
  if (district?.level === 'county') return { routed: true, jurisdictionCode: district.code, queue, basis: 'district_code' };
  const address = input.address?.trim();
  const countyFromAddress = address ? divisions.matchCountyInAddress(address) : undefined;
  if (countyFromAddress) return { routed: true, jurisdictionCode: countyFromAddress, queue, basis: 'address' };
  // A municipality (北京市, 上海市 …) is its own city level.
  if (district && (district.level === 'city' || isMunicipality(district.code))) {
    return { routed: false, jurisdictionCode: district.code, queue: 'intake', basis: 'city_of_district' };
  }
  const cityFromAddress = address ? divisions.matchCityInAddress(address) : undefined;
  if (cityFromAddress) return { routed: false, jurisdictionCode: cityFromAddress, queue: 'intake', basis: 'city_in_address' };
  return { routed: false, jurisdictionCode: defaultIntakeCode, queue: 'intake', basis: 'default_intake' };
}

const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);
export const isMunicipality = (code: string) => MUNICIPALITIES.has(code);
