import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, keyLen: 64 } as const;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

/** Unambiguous characters for codes a person types (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function randomCode(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
  return out;
}

/**
 * Access codes are stored as a keyed hash: ~40 bits of entropy would fall to an offline search of a plain hash,
 * not of an HMAC under the server secret. Compared in constant time.
 */
export function hashAccessCode(secret: string, code: string): string {
  return createHmac('sha256', secret).update(`access-code:${code.trim().toUpperCase()}`).digest('base64url');
}

export function accessCodeMatches(secret: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(hashAccessCode(secret, code));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sealKey(secret: string): Buffer {
  return createHash('sha256').update(`seal:${secret}`).digest();
}

/** AES-256-GCM under a key derived from the server secret; for short-lived secrets the system must send once. */
export function seal(secret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(secret: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A token naming a row that only the server can mint: `<id>.<HMAC(secret, purpose:id:salt)>`. Nothing is stored
 * (changing the salt voids old tokens); a token minted for one purpose is worthless for another.
 */
export function signedToken(secret: string, purpose: string, id: number, salt = ''): string {
  const mac = createHmac('sha256', secret).update(`${purpose}:${id}:${salt}`).digest('base64url').slice(0, 32);
  return `${id}.${mac}`;
}

/** The id a token claims to name, or undefined when it is malformed; check it with signedTokenMatches. */
export function signedTokenId(token: string): number | undefined {
  const m = /^([1-9]\d{0,14})\.[\w-]{32}$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

/** Whether the token was minted for this purpose, id and salt (compared in constant time). */
export function signedTokenMatches(secret: string, purpose: string, token: string, id: number, salt = ''): boolean {
  const a = Buffer.from(signedToken(secret, purpose, id, salt));
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
