import { randomUUID } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import type { ServiceContext } from '../../shared/context.js';
import { hashPassword, verifyPassword } from '../../shared/crypto.js';
import type { StaffRole } from '../../shared/db/schema.js';
import { DomainError } from '../../shared/errors.js';
import type { StaffUser } from '../../shared/schemas/staff.js';

export const TOKEN_ALGORITHM = 'HS256';
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export interface Principal extends StaffUser {
  role: StaffRole;
  jti: string;
}

// A real scrypt hash to verify against when the email is unknown, so both cases take the same time.
const dummyHash = hashPassword('not-a-real-password');

const invalid = () => new DomainError('unauthorized', 'invalid email or password');

/** Email + password → a signed token (HS256, explicit expiry) backed by a session row that logout revokes. */
export async function login({ ctx, email, password }: { ctx: ServiceContext; email: string; password: string }) {
  const staff = await ctx.db.selectFrom('staff').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();
  const ok = await verifyPassword(password, staff?.password_hash ?? (await dummyHash));
  if (!staff || !staff.active) throw invalid();
  if (staff.locked_until && staff.locked_until > new Date()) {
    throw new DomainError('rate_limited', 'too many failed sign-ins; try again later');
  }
  if (!ok) {
    const failures = staff.failed_logins + 1;
    await ctx.db
      .updateTable('staff')
      .set({
        failed_logins: failures >= MAX_FAILED_LOGINS ? 0 : failures,
        locked_until: failures >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000) : null,
      })
      .where('id', '=', staff.id)
      .execute();
    throw invalid();
  }
  if (staff.failed_logins > 0 || staff.locked_until) {
    await ctx.db.updateTable('staff').set({ failed_logins: 0, locked_until: null }).where('id', '=', staff.id).execute();
  }
  const jti = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const exp = now + ctx.config.TOKEN_TTL_MINUTES * 60;
  await ctx.db.insertInto('staff_sessions').values({ jti, staff_id: staff.id, expires_at: new Date(exp * 1000) }).execute();
  const token = await sign({ sub: String(staff.id), jti, role: staff.role, iat: now, exp }, ctx.config.AUTH_SECRET, TOKEN_ALGORITHM);
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    user: { id: staff.id, name: staff.name, role: staff.role, jurisdictionCode: staff.jurisdiction_code, specialties: staff.specialties },
  };
}

/** Verifies the token (algorithm pinned, expiry enforced) and that its session and account are still live. */
export async function authenticate(ctx: ServiceContext, token: string): Promise<Principal> {
  let payload: { sub?: unknown; jti?: unknown };
  try {
    payload = (await verify(token, ctx.config.AUTH_SECRET, TOKEN_ALGORITHM)) as typeof payload;
  } catch {
    throw new DomainError('unauthorized', 'invalid or expired token');
  }
  if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string') throw new DomainError('unauthorized', 'invalid token');
  const row = await ctx.db
    .selectFrom('staff_sessions')
    .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
    .select(['staff.id', 'staff.name', 'staff.role', 'staff.jurisdiction_code', 'staff.specialties', 'staff.active'])
    .where('staff_sessions.jti', '=', payload.jti)
    .where('staff_sessions.revoked_at', 'is', null)
    .where('staff_sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row || !row.active || String(row.id) !== payload.sub) throw new DomainError('unauthorized', 'session ended; sign in again');
  return { id: row.id, name: row.name, role: row.role, jurisdictionCode: row.jurisdiction_code, specialties: row.specialties, jti: payload.jti };
}

export async function logout(ctx: ServiceContext, principal: Principal): Promise<void> {
  await ctx.db.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('jti', '=', principal.jti).execute();
}
