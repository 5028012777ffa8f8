import { withinJurisdiction } from '../../shared/access/index.js';
import type { DbOrTx } from '../../shared/db/index.js';
import { notFound } from '../../shared/errors/index.js';
import type { Principal } from '../../shared/staff/index.js';

/** A case in the caller's jurisdiction subtree (optionally locked); outside it, the same 404 as a missing one. */
export async function caseInScope(db: DbOrTx, staff: Principal, id: number, opts: { lock?: boolean } = {}) {
  const row = await db
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', id)
    .$if(opts.lock === true, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row || !withinJurisdiction(staff.jurisdictionCode, row.jurisdiction_code)) throw notFound('case');
  return row;
}

export const maskPhone = (p: string | null) => (p ? p.replace(/^(\+?\d{3})\d+(\d{4})$/, '$1****$2') : null);
export const maskEmail = (e: string | null) => (e ? e.replace(/^(.)[^@]*(@.*)$/, '$1***$2') : null);
export const maskName = (n: string | null) => (n ? `${[...n][0]}${'*'.repeat(Math.max(1, [...n].length - 1))}` : null);
