import { z } from 'zod';

/**
 * The zod building blocks every request schema is made of, so that every text field, day and id is checked the same
 * way: text that PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates) is a 400 naming the field, never a 500.
 */

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the string as text. */
export function isStorableText(s: string): boolean {
  return !NUL.test(s) && !LONE_SURROGATE.test(s);
}

const storable = (s: string) => isStorableText(s);
const storableMessage = { message: 'contains characters that cannot be stored (NUL or an unpaired surrogate)' };

/** Any string that can be stored, untrimmed; the base of every other text schema. */
export const storableString = () => z.string().refine(storable, storableMessage);

/** Trimmed text of 1..max characters. */
export const text = (max: number, min = 1) => z.string().trim().min(min).max(max).refine(storable, storableMessage);

/** Trimmed, may be empty; for notes and free text that can be left blank. */
export const optionalText = (max: number) => z.string().trim().max(max).refine(storable, storableMessage);

/**
 * A text path parameter (a tracking or recall number, a token). Hono decodes %00 to NUL, so a segment is storable text
 * like any field: a 400 naming the parameter, never a database error.
 */
export const pathText = (max: number) => storableString().min(1).max(max);

export const emailSchema = z.email().max(254);

/** A web address (a shop's page): the URL parser accepts NUL in a path, so it is checked like any text. */
export const webAddress = (max: number) =>
  z
    .url({ protocol: /^https?$/ })
    .max(max)
    .refine(storable, storableMessage);

/** Ids in paths and bodies: positive safe integers, coerced from path strings. */
export const idSchema = z.coerce.number().int().positive();

/**
 * Days are real calendar days in a sane range: from 1900 to a year from today (today where it is furthest ahead, UTC+14,
 * so no client's today is refused). Outside it PostgreSQL may refuse the day (year 0) or read it oddly.
 */
const EARLIEST_DAY = '1900-01-01';
const MAX_ZONE_AHEAD_MS = 14 * 3_600_000;
const latestDay = () => {
  const d = new Date(Date.now() + MAX_ZONE_AHEAD_MS);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
};

export const isoDay = () =>
  z.iso
    .date()
    .refine((d) => d >= EARLIEST_DAY && d <= latestDay(), { message: `must be a day between ${EARLIEST_DAY} and a year from today` });

/** A day that has already come (Asia/Shanghai is at most 14 h ahead of any zone a client may be in). */
export const pastOrTodayDay = (today: () => string) => isoDay().refine((d) => d <= today(), { message: 'must not be in the future' });

/** An instant with an offset, in a sane range, parsed to a Date. */
export const isoInstant = () =>
  z.iso.datetime({ offset: true }).refine(
    (s) => {
      const t = Date.parse(s);
      return Number.isFinite(t) && s.slice(0, 10) >= EARLIEST_DAY && s.slice(0, 10) <= latestDay();
    },
    { message: `must be a time between ${EARLIEST_DAY} and a year from now` },
  );

/** Money in yuan. */
export const yuan = () => z.number().nonnegative().max(100_000_000);
