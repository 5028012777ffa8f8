/**
 * A staff member sees their jurisdiction's subtree. GB/T 2260 codes nest by prefix: a province (410000) covers 41…,
 * a city (410700) covers 4107…, a county is itself; trailing "00" pairs mark the level.
 */
export function jurisdictionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function withinJurisdiction(staffCode: string, code: string | null | undefined): boolean {
  return !!code && code.startsWith(jurisdictionPrefix(staffCode));
}
