import type { JurisdictionLevel } from './vocabulary.js';

export interface DivisionRef {
  code: string;
  level: JurisdictionLevel;
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

export type Location =
  | { routed: true; jurisdictionCode: string; basis: 'district_code' | 'address' }
  | { routed: false; jurisdictionCode: string; basis: 'city_of_district' | 'city_in_address' | 'default_intake' };

const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);
/** 北京, 天津, 上海, 重庆: provinces that are their own city level. */
export const isMunicipality = (code: string) => MUNICIPALITIES.has(code);

/**
 * Jurisdiction is the county-level bureau where the merchant operates. A usable district code wins; else the
 * merchant's (or online shop's published) address is matched against county names. No county → a city-level
 * bureau for manual routing (the district's city, a city named in the address, or the default intake).
 */
export function locateJurisdiction(
  input: { districtCode?: string | null | undefined; address?: string | null | undefined },
  divisions: DivisionIndex,
  defaultIntakeCode: string,
): Location {
  const district = input.districtCode ? divisions.get(input.districtCode) : undefined;
  if (district?.level === 'county') return { routed: true, jurisdictionCode: district.code, basis: 'district_code' };
  const address = input.address?.trim();
  const countyFromAddress = address ? divisions.matchCountyInAddress(address) : undefined;
  if (countyFromAddress) return { routed: true, jurisdictionCode: countyFromAddress, basis: 'address' };
  if (district && (district.level === 'city' || isMunicipality(district.code))) {
    return { routed: false, jurisdictionCode: district.code, basis: 'city_of_district' };
  }
  const cityFromAddress = address ? divisions.matchCityInAddress(address) : undefined;
  if (cityFromAddress) return { routed: false, jurisdictionCode: cityFromAddress, basis: 'city_in_address' };
  return { routed: false, jurisdictionCode: defaultIntakeCode, basis: 'default_intake' };
}
