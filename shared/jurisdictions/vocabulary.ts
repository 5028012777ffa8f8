/** GB/T 2260 levels; each county-level division has its own market-supervision bureau. */
export const jurisdictionLevels = ['province', 'city', 'county'] as const;
export type JurisdictionLevel = (typeof jurisdictionLevels)[number];
