import { createHash, createHmac } from 'node:crypto';

/**
 * The verifiable draw (双随机) of the inspectors for a sampling task. Pure and deterministic: the same seed, task and
 * roster always give the same inspectors, so anyone holding the revealed seed can recompute every draw with
 * nothing but SHA-256 and HMAC-SHA256 (docs/sampling-draw.md shows how).
 *
 * Algorithm `hmac-sha256-rejection-v1`:
 *   1. The seed is 32 random bytes, published as 64 hex digits; its commitment is SHA-256 of those 32 bytes, in hex.
 *   2. The roster is the list of pseudonymous inspector ids, sorted by UTF-16 code units (JavaScript's default sort);
 *      the declared conflicts of interest are removed, keeping that order: the eligible list.
 *   3. For counter = 0, 1, 2, …: h = HMAC-SHA256(key = seed bytes, message = UTF-8 of `${taskId}:${counter}`);
 *      x = the first 4 bytes of h as a big-endian unsigned integer; n = the number of eligible ids not yet drawn.
 *      When x < 2^32 − (2^32 mod n), the id at index x mod n of the remaining list is drawn and removed from it;
 *      otherwise x is rejected (so that every index is exactly equally likely) and the next counter is tried.
 *   4. Stop when `count` ids are drawn; they are listed in the order drawn.
 */

export const DRAW_ALGORITHM = 'hmac-sha256-rejection-v1';
/** 双随机: at least two inspectors per task. */
export const INSPECTORS_PER_TASK = 2;

const SEED_PATTERN = /^[0-9a-f]{64}$/;
const RANGE = 2 ** 32;

export class DrawError extends Error {
  override name = 'DrawError';
  constructor(
    message: string,
    readonly needed: number,
    readonly available: number,
  ) {
    super(message);
  }
}

export const isDrawSeed = (seed: string) => SEED_PATTERN.test(seed);

/** The SHA-256 commitment published before the seed is revealed. */
export function seedCommitment(seed: string): string {
  if (!isDrawSeed(seed)) throw new RangeError('a draw seed is 64 lowercase hex digits');
  return createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex');
}

export interface DrawInput {
  seed: string;
  taskId: number;
  /** Pseudonymous ids of the jurisdiction's active inspectors (any order: they are sorted here). */
  roster: readonly string[];
  /** Ids with a declared conflict of interest with the merchant (回避); never drawn. */
  excluded: readonly string[];
  count?: number;
}

export interface DrawOutcome {
  /** The roster as used: sorted, duplicates removed. */
  roster: string[];
  excluded: string[];
  drawn: string[];
}

export function drawInspectors(input: DrawInput): DrawOutcome {
  const count = input.count ?? INSPECTORS_PER_TASK;
  if (!isDrawSeed(input.seed)) throw new RangeError('a draw seed is 64 lowercase hex digits');
  const key = Buffer.from(input.seed, 'hex');
  const roster = [...new Set(input.roster)].sort();
  const excludedSet = new Set(input.excluded);
  const excluded = roster.filter((id) => excludedSet.has(id));
  const remaining = roster.filter((id) => !excludedSet.has(id));
  if (remaining.length < count) {
    throw new DrawError(
      `${remaining.length} eligible inspector(s) (${roster.length} on the roster, ${excluded.length} with a declared conflict); ${count} needed`,
      count,
      remaining.length,
    );
  }
  const drawn: string[] = [];
  for (let counter = 0; drawn.length < count; counter++) {
    const h = createHmac('sha256', key).update(`${input.taskId}:${counter}`, 'utf8').digest();
    const x = h.readUInt32BE(0);
    const n = remaining.length;
    if (x >= RANGE - (RANGE % n)) continue;
    drawn.push(...remaining.splice(x % n, 1));
  }
  return { roster, excluded, drawn };
}

/**
 * An inspector's public id in one campaign: a keyed hash under a server secret, so the revealed seed does not let
 * anyone map staff ids to pseudonyms, and the same inspector cannot be followed from campaign to campaign.
 */
export function inspectorPseudonym(secret: string, campaignId: number, staffId: number): string {
  return createHmac('sha256', secret).update(`sampling-inspector:${campaignId}:${staffId}`).digest('hex').slice(0, 16);
}
