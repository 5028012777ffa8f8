import { sql } from 'kysely';
import { jurisdictionPrefix, withinJurisdiction } from '../../shared/access/index.js';
import { hashPassword } from '../../shared/crypto/index.js';
import { withTransaction, type DbOrTx, type Tx } from '../../shared/db/index.js';
import { DomainError, invalidFields, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type {
  CreateStaffInput,
  NewStaffEvent,
  Principal,
  StaffAccount,
  StaffEventView,
  UpdateStaffInput,
} from '../../shared/staff/index.js';

/**
 * Staff administration, shared by the admin endpoints, the admin pages and the CLI (which acts as no one: `admin`
 * is absent). Every change is recorded in staff_events with who made it.
 */

const columns = ['id', 'email', 'name', 'role', 'jurisdiction_code', 'specialties', 'active'] as const;
type AccountRow = {
  id: number;
  email: string;
  name: string;
  role: StaffAccount['role'];
  jurisdiction_code: string;
  specialties: StaffAccount['specialties'];
  active: boolean;
};

const toAccount = (r: AccountRow): StaffAccount => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  jurisdictionCode: r.jurisdiction_code,
  specialties: r.specialties,
  active: r.active,
});

/** An admin manages accounts in their own jurisdiction's subtree only; others look like they do not exist. */
function assertScope(admin: Principal | undefined, jurisdictionCode: string) {
  if (admin && !withinJurisdiction(admin.jurisdictionCode, jurisdictionCode)) throw notFound('staff account');
}

async function recordStaffEvent(tx: DbOrTx, staffId: number, admin: Principal | undefined, e: NewStaffEvent) {
  await tx
    .insertInto('staff_events')
    .values({ staff_id: staffId, actor_id: admin?.id ?? null, action: e.action, data: JSON.stringify(e.data) })
    .execute();
}

async function assertJurisdictionExists(tx: DbOrTx, code: string) {
  const row = await tx.selectFrom('jurisdictions').select('code').where('code', '=', code).executeTakeFirst();
  if (!row) throw invalidFields({ field: 'jurisdictionCode', message: 'no such jurisdiction' });
}

export async function createStaff(
  ctx: ServiceContext,
  input: { account: CreateStaffInput; admin?: Principal | undefined },
): Promise<StaffAccount> {
  const { account, admin } = input;
  assertScope(admin, account.jurisdictionCode);
  const passwordHash = await hashPassword(account.password);
  return withTransaction(ctx.db, async (tx) => {
    await assertJurisdictionExists(tx, account.jurisdictionCode);
    const row = await tx
      .insertInto('staff')
      .values({
        email: account.email,
        name: account.name,
        role: account.role,
        jurisdiction_code: account.jurisdictionCode,
        specialties: account.role === 'inspector' ? account.specialties : [],
        password_hash: passwordHash,
      })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returning(columns)
      .executeTakeFirst();
    if (!row) throw new DomainError('conflict', 'a staff account with this email exists');
    await recordStaffEvent(tx, row.id, admin, {
      action: 'created',
      data: { role: row.role, jurisdictionCode: row.jurisdiction_code, specialties: row.specialties },
    });
    return toAccount(row);
  });
}

export async function listStaff(ctx: ServiceContext, input: { admin: Principal }): Promise<StaffAccount[]> {
  const rows = await ctx.db
    .selectFrom('staff')
    .select(columns)
    .where('jurisdiction_code', 'like', `${jurisdictionPrefix(input.admin.jurisdictionCode)}%`)
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

export type StaffSelector = { id: number } | { email: string };

async function lockInScope(tx: Tx, by: StaffSelector, admin?: Principal) {
  const row = await tx
    .selectFrom('staff')
    .select(columns)
    .$if('id' in by, (q) => q.where('id', '=', (by as { id: number }).id))
    .$if('email' in by, (q) => q.where((eb) => eb(eb.fn('lower', ['email']), '=', (by as { email: string }).email.toLowerCase())))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('staff account');
  assertScope(admin, row.jurisdiction_code);
  return row;
}

const endSessions = (tx: Tx, staffId: number) =>
  tx
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('staff_id', '=', staffId)
    .where('revoked_at', 'is', null)
    .execute();

/** Changes name, role, jurisdiction or specialties; a changed role or jurisdiction ends the account's sessions. */
export async function updateStaff(
  ctx: ServiceContext,
  input: { by: StaffSelector; changes: UpdateStaffInput; admin?: Principal | undefined },
): Promise<StaffAccount> {
  const { changes, admin } = input;
  return withTransaction(ctx.db, async (tx) => {
    const row = await lockInScope(tx, input.by, admin);
    if (
      admin &&
      row.id === admin.id &&
      ((changes.role ?? row.role) !== row.role || (changes.jurisdictionCode ?? row.jurisdiction_code) !== row.jurisdiction_code)
    ) {
      throw new DomainError('conflict', 'you cannot change your own role or jurisdiction');
    }
    if (changes.jurisdictionCode !== undefined) {
      assertScope(admin, changes.jurisdictionCode);
      await assertJurisdictionExists(tx, changes.jurisdictionCode);
    }
    const role = changes.role ?? row.role;
    const next = {
      name: changes.name ?? row.name,
      role,
      jurisdiction_code: changes.jurisdictionCode ?? row.jurisdiction_code,
      specialties: role === 'inspector' ? (changes.specialties ?? row.specialties) : [],
    };
    const updated = await tx
      .updateTable('staff')
      .set({ ...next, updated_at: new Date() })
      .where('id', '=', row.id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    const changed = {
      ...(differs(row.name, next.name) ? { name: { from: row.name, to: next.name } } : {}),
      ...(differs(row.role, next.role) ? { role: { from: row.role, to: next.role } } : {}),
      ...(differs(row.jurisdiction_code, next.jurisdiction_code)
        ? { jurisdictionCode: { from: row.jurisdiction_code, to: next.jurisdiction_code } }
        : {}),
      ...(differs(row.specialties, next.specialties) ? { specialties: { from: row.specialties, to: next.specialties } } : {}),
    };
    if (Object.keys(changed).length > 0) await recordStaffEvent(tx, row.id, admin, { action: 'updated', data: changed });
    if (changed.role || changed.jurisdictionCode) await endSessions(tx, row.id);
    return toAccount(updated);
  });
}

/** Deactivates an account and ends every session it has. */
export async function deactivateStaff(
  ctx: ServiceContext,
  input: { by: StaffSelector; admin?: Principal | undefined },
): Promise<StaffAccount> {
  return withTransaction(ctx.db, async (tx) => {
    const row = await lockInScope(tx, input.by, input.admin);
    if (input.admin && row.id === input.admin.id) throw new DomainError('conflict', 'you cannot deactivate your own account');
    await tx.updateTable('staff').set({ active: false, updated_at: new Date() }).where('id', '=', row.id).execute();
    await endSessions(tx, row.id);
    if (row.active) await recordStaffEvent(tx, row.id, input.admin, { action: 'deactivated', data: {} });
    return toAccount({ ...row, active: false });
  });
}

/** Reactivates an account; its old sessions stay ended. */
export async function reactivateStaff(
  ctx: ServiceContext,
  input: { by: StaffSelector; admin?: Principal | undefined },
): Promise<StaffAccount> {
  return withTransaction(ctx.db, async (tx) => {
    const row = await lockInScope(tx, input.by, input.admin);
    await tx
      .updateTable('staff')
      .set({ active: true, failed_logins: 0, locked_until: null, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    if (!row.active) await recordStaffEvent(tx, row.id, input.admin, { action: 'reactivated', data: {} });
    return toAccount({ ...row, active: true });
  });
}

/** Sets a new password, clears a lockout and ends every session. */
export async function resetStaffPassword(
  ctx: ServiceContext,
  input: { by: StaffSelector; password: string; admin?: Principal | undefined },
): Promise<StaffAccount> {
  const hash = await hashPassword(input.password);
  return withTransaction(ctx.db, async (tx) => {
    const row = await lockInScope(tx, input.by, input.admin);
    await tx
      .updateTable('staff')
      .set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await endSessions(tx, row.id);
    await recordStaffEvent(tx, row.id, input.admin, { action: 'password_reset', data: {} });
    return toAccount(row);
  });
}

/** Recent administration events for the accounts an admin manages. */
export async function listStaffEvents(ctx: ServiceContext, input: { admin: Principal; staffId?: number | undefined; limit?: number }) {
  const rows = await ctx.db
    .selectFrom('staff_events')
    .innerJoin('staff', 'staff.id', 'staff_events.staff_id')
    .leftJoin('staff as actor', 'actor.id', 'staff_events.actor_id')
    .select([
      'staff_events.id',
      'staff_events.at',
      'staff_events.action',
      'staff_events.data',
      'staff_events.staff_id',
      'staff.email',
      'actor.email as actor_email',
    ])
    .where('staff.jurisdiction_code', 'like', `${jurisdictionPrefix(input.admin.jurisdictionCode)}%`)
    .$if(input.staffId !== undefined, (q) => q.where('staff_events.staff_id', '=', input.staffId!))
    .orderBy('staff_events.id', 'desc')
    .limit(input.limit ?? 100)
    .execute();
  // Stored through recordStaffEvent, whose data is typed by the action.
  return rows.map(
    (r) =>
      ({
        id: r.id,
        at: r.at.toISOString(),
        action: r.action,
        data: r.data,
        staffId: r.staff_id,
        email: r.email,
        actorEmail: r.actor_email,
      }) as StaffEventView,
  );
}
