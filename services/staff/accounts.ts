import { sql } from 'kysely';
import type { ServiceContext } from '../../shared/context.js';
import { hashPassword } from '../../shared/crypto.js';
import type { Db } from '../../shared/db/connection.js';
import { jurisdictionPrefix, withinJurisdiction } from '../../shared/domain/jurisdiction-scope.js';
import { DomainError, notFound } from '../../shared/errors.js';
import type { CreateStaffInput } from '../../shared/schemas/staff.js';
import type { Principal } from './auth.js';

/** Staff administration, shared by the admin endpoints and the CLI (which passes no principal). */

const columns = ['id', 'email', 'name', 'role', 'jurisdiction_code', 'specialties', 'active'] as const;
const toAccount = (r: { id: number; email: string; name: string; role: Principal['role']; jurisdiction_code: string; specialties: string[]; active: boolean }) => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  jurisdictionCode: r.jurisdiction_code,
  specialties: r.specialties,
  active: r.active,
});

function assertScope(admin: Principal | undefined, jurisdictionCode: string) {
  if (admin && !withinJurisdiction(admin.jurisdictionCode, jurisdictionCode)) throw notFound('staff account');
}

export async function createStaff(db: Db, input: CreateStaffInput, admin?: Principal) {
  assertScope(admin, input.jurisdictionCode);
  const jurisdiction = await db.selectFrom('jurisdictions').select('code').where('code', '=', input.jurisdictionCode).executeTakeFirst();
  if (!jurisdiction) {
    throw new DomainError('validation_failed', 'the request is invalid', [{ field: 'jurisdictionCode', message: 'no such jurisdiction' }]);
  }
  const row = await db
    .insertInto('staff')
    .values({
      email: input.email,
      name: input.name,
      role: input.role,
      jurisdiction_code: input.jurisdictionCode,
      specialties: input.role === 'inspector' ? input.specialties : [],
      password_hash: await hashPassword(input.password),
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returning(columns)
    .executeTakeFirst();
  if (!row) throw new DomainError('conflict', 'a staff account with this email exists');
  return toAccount(row);
}

export async function listStaff(ctx: ServiceContext, admin: Principal) {
  const rows = await ctx.db
    .selectFrom('staff')
    .select(columns)
    .where('jurisdiction_code', 'like', `${jurisdictionPrefix(admin.jurisdictionCode)}%`)
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

async function findInScope(db: Db, by: { id?: number; email?: string }, admin?: Principal) {
  const row = await db
    .selectFrom('staff')
    .select(columns)
    .$if(by.id !== undefined, (q) => q.where('id', '=', by.id!))
    .$if(by.email !== undefined, (q) => q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email!.toLowerCase())))
    .executeTakeFirst();
  if (!row) throw notFound('staff account');
  assertScope(admin, row.jurisdiction_code);
  return row;
}

/** Deactivates an account and ends every session it has. */
export async function deactivateStaff(db: Db, by: { id?: number; email?: string }, admin?: Principal) {
  const row = await findInScope(db, by, admin);
  if (admin && row.id === admin.id) throw new DomainError('conflict', 'you cannot deactivate your own account');
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('staff').set({ active: false, updated_at: new Date() }).where('id', '=', row.id).execute();
    await tx.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', row.id).where('revoked_at', 'is', null).execute();
  });
  return toAccount({ ...row, active: false });
}

/** Sets a new password, clears a lockout and ends every session. */
export async function resetStaffPassword(db: Db, by: { id?: number; email?: string }, password: string, admin?: Principal) {
  const row = await findInScope(db, by, admin);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('staff').set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', row.id).execute();
    await tx.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', row.id).where('revoked_at', 'is', null).execute();
  });
  return toAccount(row);
}
