import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Email-verified voting: keyed hashes of addresses, the 6-digit codes, the voter token and the unsubscribe token.
 * Everything is keyed with the server secret, so a database dump reveals neither addresses nor codes, and a token
 * cannot be forged without the secret.
 */

export const voterLimits = {
  codeLength: 6,
  codeTtlMinutes: 15,
  /** Wrong codes allowed per code; then a new one must be requested. */
  codeTries: 5,
  tokenTtlHours: 24,
} as const;

const mac = (secret: string, purpose: string, value: string) =>
  createHmac('sha256', secret).update(`${purpose}:${value}`).digest('base64url');

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const normalizeEmail = (email: string) => email.normalize('NFKC').trim().toLowerCase();

/** How an address is stored when its owner did not opt in to results, and how opt-outs are recognised. */
export const emailHash = (secret: string, email: string) => mac(secret, 'sampling-email', normalizeEmail(email));

export const newVoterCode = () => String(randomInt(0, 10 ** voterLimits.codeLength)).padStart(voterLimits.codeLength, '0');

/** A code is bound to its voter row, so a code sent for one campaign is worthless in another. */
export const voterCodeHash = (secret: string, voterId: number, code: string) => mac(secret, 'sampling-voter-code', `${voterId}:${code}`);

export const voterCodeMatches = (secret: string, voterId: number, code: string, stored: string) =>
  equal(voterCodeHash(secret, voterId, code), stored);

export interface VoterClaims {
  voterId: number;
  campaignId: number;
  expiresAt: Date;
}

/** `v1.<voterId>.<campaignId>.<expiry, unix seconds>.<HMAC>`: stateless, bound to one voter and one campaign. */
export function signVoterToken(secret: string, claims: VoterClaims): string {
  const body = `v1.${claims.voterId}.${claims.campaignId}.${Math.floor(claims.expiresAt.getTime() / 1000)}`;
  return `${body}.${mac(secret, 'sampling-voter-token', body)}`;
}

export type VoterTokenCheck = { ok: true; claims: VoterClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function readVoterToken(secret: string, token: string, now: Date): VoterTokenCheck {
  const m = /^(v1\.([1-9]\d{0,15})\.([1-9]\d{0,15})\.(\d{1,12}))\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, body, voterId, campaignId, expiry, signature] = m as unknown as [string, string, string, string, string, string];
  if (!equal(mac(secret, 'sampling-voter-token', body), signature)) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(Number(expiry) * 1000);
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { voterId: Number(voterId), campaignId: Number(campaignId), expiresAt } };
}

/** The token of a results email's unsubscribe link: the address's keyed hash and a MAC over it. */
export const unsubscribeToken = (secret: string, hash: string) => `${hash}.${mac(secret, 'sampling-unsubscribe', hash)}`;

/** The address hash an unsubscribe token stands for, or undefined for a forged or malformed one. */
export function readUnsubscribeToken(secret: string, token: string): string | undefined {
  const m = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  return equal(mac(secret, 'sampling-unsubscribe', m[1]!), m[2]!) ? m[1] : undefined;
}
