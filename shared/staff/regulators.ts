import type { DbOrTx } from '../db/index.js';

/**
 * The divisions whose regulators oversee a division: itself, its city and its province (GB/T 2260 codes: 410702 is
 * overseen from 410702, 410700 and 410000), as jurisdictionPrefix reads a regulator's code.
 */
export function overseeingCodes(code: string): string[] {
  return [...new Set([code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`])];
}

/** The active regulators who oversee any of these divisions: the ones an alert about them goes to. */
export async function regulatorsOver(db: DbOrTx, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('staff')
    .select(['id', 'email', 'jurisdiction_code'])
    .where('role', '=', 'regulator')
    .where('active', '=', true)
    .where('jurisdiction_code', 'in', [...new Set(codes.flatMap(overseeingCodes))])
    .orderBy('id')
    .execute();
}
