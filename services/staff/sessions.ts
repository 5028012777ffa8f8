import { randomUUID, webcrypto } from 'node:crypto';
import { sql } from 'kysely';
import { sign, verify } from 'hono/jwt';
import { hashPassword, verifyPassword } from '../../shared/crypto/index.js';
import { compiledStatement } from '../../shared/db/index.js';
import { DomainError } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';

export const TOKEN_ALGORITHM = 'HS256';
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

/** The HMAC key of the token secret, imported once per secret rather than on every sign and verify. */
const tokenKeys = new Map<string, Promise<webcrypto.CryptoKey>>();
function tokenKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = tokenKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    tokenKeys.set(secret, key);
  }
  return key;
}

// A real scrypt hash to verify against when there is no usable account, so every refusal takes the same time.
const dummyHash = hashPassword('not-a-real-password');

/** One answer for every refusal (unknown, inactive, locked, wrong password), so nothing tells which emails exist. */
const invalid = () => new DomainError('unauthorized', 'invalid email or password');

/**
 * Email + password → a signed token (HS256, explicit expiry) backed by a session row that logout revokes.
 *
 * Each try is counted before the password is checked, in one conditional UPDATE: concurrent tries queue on the row
 * lock, so at most MAX_FAILED_LOGINS of them are ever checked before the lockout, however many arrive at once.
 */
export async function login(ctx: ServiceContext, input: { email: string; password: string }) {
  const attempt = await sql<{ id: number; password_hash: string }>`
    UPDATE staff SET
      failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
      locked_until = CASE
        WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
        WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS} THEN now() + make_interval(mins => ${LOCKOUT_MINUTES})
        ELSE locked_until END
    WHERE lower(email) = ${input.email.toLowerCase()} AND active AND (locked_until IS NULL OR locked_until <= now())
    RETURNING id, password_hash`.execute(ctx.db);
  const account = attempt.rows[0];
  const ok = await verifyPassword(input.password, account?.password_hash ?? (await dummyHash));
  if (!account || !ok) throw invalid();

  const staff = await ctx.db
    .updateTable('staff')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', account.id)
    .returning(['id', 'name', 'role', 'jurisdiction_code', 'specialties'])
    .executeTakeFirstOrThrow();
  const jti = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const exp = now + ctx.config.TOKEN_TTL_MINUTES * 60;
  await ctx.db
    .insertInto('staff_sessions')
    .values({ jti, staff_id: staff.id, expires_at: new Date(exp * 1000) })
    .execute();
  const token = await sign(
    { sub: String(staff.id), jti, role: staff.role, iat: now, exp },
    await tokenKey(ctx.config.AUTH_SECRET),
    TOKEN_ALGORITHM,
  );
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    user: { id: staff.id, name: staff.name, role: staff.role, jurisdictionCode: staff.jurisdiction_code, specialties: staff.specialties },
  };
}

/** What a verified token says; its signature is checked once per process, its expiry on every use. */
interface TokenClaims {
  sub: string;
  jti: string;
  exp: number;
}
const VERIFIED_TOKENS_KEPT = 10_000;
/** Verified tokens by secret, oldest first: checking an HS256 signature through WebCrypto costs more than the request's query. */
const verifiedTokens = new Map<string, Map<string, TokenClaims>>();

async function verifiedClaims(secret: string, token: string): Promise<TokenClaims> {
  let known = verifiedTokens.get(secret);
  if (!known) verifiedTokens.set(secret, (known = new Map<string, TokenClaims>()));
  const cached = known.get(token);
  if (cached) {
    if (cached.exp * 1000 > Date.now()) return cached;
    known.delete(token);
    throw new DomainError('unauthorized', 'invalid or expired token');
  }
  let payload: { sub?: unknown; jti?: unknown; exp?: unknown };
  try {
    payload = await verify(token, await tokenKey(secret), TOKEN_ALGORITHM);
  } catch {
    throw new DomainError('unauthorized', 'invalid or expired token');
  }
  const { sub, jti, exp } = payload;
  if (typeof jti !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') throw new DomainError('unauthorized', 'invalid token');
  if (known.size >= VERIFIED_TOKENS_KEPT) known.delete(known.keys().next().value!);
  const claims = { sub, jti, exp };
  known.set(token, claims);
  return claims;
}

const sessionStatement = compiledStatement('staff_session', (db, v: { jti: string; now: Date }) =>
  db
    .selectFrom('staff_sessions')
    .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
    .select(['staff.id', 'staff.name', 'staff.role', 'staff.jurisdiction_code', 'staff.specialties', 'staff.active'])
    .where('staff_sessions.jti', '=', v.jti)
    .where('staff_sessions.revoked_at', 'is', null)
    .where('staff_sessions.expires_at', '>', v.now),
);

/**
 * Verifies the token (algorithm pinned, expiry enforced) and that its session and account are still live: the
 * session is read on every request, so a logout, a disabled account or a password reset ends it at once everywhere.
 */
export async function authenticate(ctx: ServiceContext, input: { token: string }): Promise<Principal> {
  const claims = await verifiedClaims(ctx.config.AUTH_SECRET, input.token);
  const [row] = await sessionStatement(ctx.db, { jti: claims.jti, now: new Date() });
  if (!row || !row.active || String(row.id) !== claims.sub) throw new DomainError('unauthorized', 'session ended; sign in again');
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    jurisdictionCode: row.jurisdiction_code,
    specialties: row.specialties,
    jti: claims.jti,
  };
}

export async function logout(ctx: ServiceContext, input: { staff: Principal }): Promise<void> {
  await ctx.db.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('jti', '=', input.staff.jti).execute();
}
