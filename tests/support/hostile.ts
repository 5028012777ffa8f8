import fc from 'fast-check';
import { expect } from 'vitest';
import { readJson } from './env.js';

/**
 * Generators of the text, days, numbers and path segments that once made the API answer 500 (PostgreSQL refusing NUL,
 * unpaired surrogates, out-of-range days and integers), and a way to inject them into any field of a valid body.
 */

/** Characters that are valid JSON but awkward further down: NUL, unpaired surrogates, bidi marks, joiners, emoji. */
export const awkwardChars = [
  '\u0000',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u200f',
  '\u200e',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u200d',
  '\u200b',
  '\ufeff',
  '\uffff',
  '\u0085',
  '\u2028',
  '\u001b',
  '😀',
  '👨‍👩‍👧',
  '𠀀',
] as const;

/** A string made of a hostile mixture, or a valid one with one awkward character in it, or a very long one. */
export const hostileString = (base = 'abc'): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...awkwardChars),
    fc.tuple(fc.nat(base.length), fc.constantFrom(...awkwardChars)).map(([at, ch]) => base.slice(0, at) + ch + base.slice(at)),
    fc.string({ unit: fc.constantFrom(...awkwardChars, 'a', '中', ' ', '%', "'", '\\', '.', '/'), maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(1_000, 5_001, 20_000).chain((n) => fc.constantFrom('a'.repeat(n), '😀'.repeat(n / 2), `${'中'.repeat(n - 1)}\u0000`)),
    fc.constantFrom('', ' ', '\t\n', 'null', 'undefined', '%00', '%ff', '%C0%80', '..%2F', '../../etc/passwd', "'; DROP TABLE items; --"),
  );

const nextYear = new Date().getUTCFullYear() + 1;

/** Days and instants PostgreSQL refuses, misreads (infinity, epoch) or that lie outside 1900 .. next year. */
export const hostileDays = [
  '0000-01-01',
  '1899-12-31',
  '9999-12-31',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '+275760-09-13',
  '-000001-01-01',
  '',
  ' ',
  '2026-1-1',
  '20260101',
  `${nextYear + 1}-01-01`,
  'infinity',
  '-infinity',
  'epoch',
  'today',
  'now',
  'allballs',
  '2026-01-01\u0000',
  '0000-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '9999-12-31T23:59:59+14:00',
  '+275760-09-13T00:00:00.000Z',
  '2026-02-30T10:00:00+08:00',
  '2026-01-01T25:00:00Z',
  '2026-01-01T10:00:00+99:00',
] as const;

/** Numbers (and strings that look like them) beyond what a column or a safe integer holds. */
export const hostileNumbers: readonly unknown[] = [
  1e308,
  -1e308,
  -0,
  2 ** 53 + 1,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 63,
  -1,
  0,
  0.5,
  1e-320,
  'NaN',
  'Infinity',
  '1e400',
  '99999999999999999999999999',
  '9223372036854775808',
  '2147483648',
  '-1',
  '0x10',
  ' 1',
  '',
  '1',
];

/** Raw path segments: encoded NUL, invalid UTF-8, overlong encodings, traversal, huge and odd numbers, very long. */
export const hostileSegments = [
  '%00',
  'RC-2026-0001%00',
  '%ff',
  '%FF%FE',
  '%C0%80',
  '%ED%A0%80',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '..%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%',
  '%zz',
  '%20',
  '0',
  '-1',
  '1e3',
  '1.0',
  '0x1',
  'NaN',
  'Infinity',
  '2147483648',
  '9007199254740993',
  '99999999999999999999999999',
  'a'.repeat(300),
  'A'.repeat(10_000),
] as const;

/** Percent-encodes any string, unpaired surrogates included (encodeURIComponent throws on those). */
export function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (code >= 0xd800 && code <= 0xdfff)
      // The 3-byte (CESU) form of a lone surrogate: invalid UTF-8 that a lax decoder could still accept.
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** A path segment: one of the raw hostile ones, or any hostile string percent-encoded. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...hostileSegments), hostileString().map(percentEncode));

/** A query-string value, already encoded. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...hostileSegments),
  hostileString().map(percentEncode),
  fc.constantFrom(...hostileDays).map(percentEncode),
  fc.constantFrom(...hostileNumbers).map((n) => percentEncode(String(n))),
);

const DAY = /^[+-]?\d{4,6}-\d{2}-\d{2}/;

/** Every leaf of a JSON value (strings, numbers, booleans, nulls) with its path. */
export function leaves(v: unknown, prefix: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...prefix, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
  return [{ path: prefix, value: v }];
}

/** A value meant to break a field holding this one: hostile of its own kind mostly, of another kind sometimes. */
export function hostileFor(value: unknown): fc.Arbitrary<unknown> {
  const other = fc.oneof(
    fc.constantFrom(...hostileNumbers),
    fc.constantFrom(...hostileDays),
    hostileString(),
    fc.constantFrom(null, true, [], {}),
  );
  if (typeof value === 'string' && DAY.test(value)) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...hostileDays) }, other);
  if (typeof value === 'string') return fc.oneof({ weight: 4, arbitrary: hostileString(value) }, other);
  if (typeof value === 'number') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...hostileNumbers) }, other);
  return other;
}

export interface Injected<T> {
  body: T;
  /** The dotted path of the changed field, as the error envelope names it. */
  field: string;
}

/** A valid body (made fresh each time) with one leaf replaced by a value meant to break it. */
export function injectedBody<T>(make: () => T): fc.Arbitrary<Injected<T>> {
  const all = leaves(make()).filter((l) => l.path.length > 0);
  return fc
    .constantFrom(...all)
    .chain((leaf) => hostileFor(leaf.value).map((value) => ({ leaf, value })))
    .map(({ leaf, value }) => {
      const body = make();
      let target = body as Record<string | number, unknown>;
      for (const key of leaf.path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
      target[leaf.path.at(-1)!] = value;
      return { body, field: leaf.path.join('.') };
    });
}

/** How many answers have been checked, so a suite can prove how many it sent. */
export const checkedResponses = { count: 0 };

export interface Checked {
  status: number;
  json: { error?: { code?: string; details?: { field?: string; code?: string }[] } } | undefined;
}

/**
 * The rule every answer keeps: never a 5xx; a 4xx carries the error envelope; a validation failure names the field
 * (or, for a cross-field rule, a field of the same object).
 */
export async function expectNoServerError(res: Response, what: string, field?: string): Promise<Checked> {
  checkedResponses.count++;
  const type = res.headers.get('content-type') ?? '';
  const json = type.startsWith('application/json') ? ((await readJson(res)) as Checked['json']) : undefined;
  const seen = `${what} → ${res.status} ${JSON.stringify(json)?.slice(0, 500)}`;
  expect(res.status, seen).toBeLessThan(500);
  if (res.status >= 400) {
    expect(json?.error?.code, seen).toEqual(expect.any(String));
    if (field !== undefined && json?.error?.code === 'validation_failed') {
      const details = json.error.details ?? [];
      const scope = field
        .split('.')
        .slice(0, field.startsWith('query.') || field.startsWith('param.') ? 2 : 1)
        .join('.');
      const parent = field.split('.').slice(0, -1).join('.');
      const names = (f: string) => f === scope || f.startsWith(`${scope}.`);
      // A rule across fields (a load above the scale's 10000e) may name the other field, in the same object.
      const crossField = (f: string, code?: string) => code === 'custom' && (parent === '' || f === parent || f.startsWith(`${parent}.`));
      expect(
        details.some((d) => names(d.field ?? '') || crossField(d.field ?? '', d.code)),
        `${seen}: the details should name ${field}`,
      ).toBe(true);
    }
  }
  return { status: res.status, json };
}

/** Runs per property: FUZZ_RUNS_SCALE shrinks or grows them all (default 1, which is over 10,000 bodies in all). */
export const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS_SCALE ?? 1)));
