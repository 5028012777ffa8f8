import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldIssue } from '../../shared/errors/index.js';

/**
 * Forms post fields named after the JSON contract's paths (`merchant.name`, `evidence.referenceMassG`), so the same
 * zod schema validates a page's form and the API's body. This turns posted fields into the body the schema expects:
 * dotted names become nested objects, and each value is coerced to what the schema wants at its path (numbers,
 * booleans, lists). Empty fields count as absent, and an object left with no fields disappears.
 */

type Raw = string | File | Array<string | File>;
type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    const def = defOf(cur);
    if (['optional', 'nullable', 'default', 'readonly', 'catch', 'nonoptional', 'prefault'].includes(def.type))
      cur = def.innerType as z.ZodType;
    else if (def.type === 'pipe') cur = def.in as z.ZodType;
    else return cur;
  }
}

/** Nested object from dotted field names; a name posted more than once keeps all its values. */
export function nestFields(fields: Record<string, Raw>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('_')) continue; // _csrf and other form plumbing
    const parts = name.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

/** One value of a field that may have been posted several times: the first or the last. */
const single = (value: unknown, which: 'first' | 'last'): unknown => {
  if (!Array.isArray(value)) return value;
  const list = value as unknown[];
  return which === 'first' ? list[0] : list[list.length - 1];
};

const isEmpty = (v: unknown): boolean => v === '' || (v instanceof File && v.size === 0) || (Array.isArray(v) && v.every(isEmpty));

function coerce(schema: z.ZodType | undefined, value: unknown): unknown {
  if (schema === undefined) return value;
  const s = unwrap(schema);
  const def = defOf(s);
  if (value instanceof File) return value.size === 0 && value.name === '' ? undefined : value;
  switch (def.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        // A field the schema does not know is kept (a strict schema then names it) unless it was left empty.
        const c = shape[k] ? coerce(shape[k], v) : isEmpty(v) ? undefined : v;
        if (c !== undefined) out[k] = c;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'union': {
      const options = def.options as z.ZodType[];
      const key = def.discriminator as string | undefined;
      if (key && typeof value === 'object' && value !== null) {
        const wanted = (value as Record<string, unknown>)[key];
        const match = options.find((o) => {
          const field = (defOf(unwrap(o)).shape as Record<string, z.ZodType> | undefined)?.[key];
          return field !== undefined && (defOf(field).values as unknown[] | undefined)?.includes(wanted);
        });
        return coerce(match ?? options[0], value);
      }
      return coerce(options[0], value);
    }
    case 'array': {
      // Rows posted as loads.0.loadG, loads.1.loadG … arrive as an object keyed by index.
      const list =
        typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof File)
          ? Object.entries(value)
              .filter(([k]) => /^\d+$/.test(k))
              .sort(([a], [b]) => Number(a) - Number(b))
              .map(([, v]) => v as unknown)
          : Array.isArray(value)
            ? value
            : [value];
      return list.map((v) => coerce(def.element as z.ZodType, v)).filter((v) => v !== undefined);
    }
    case 'number': {
      const v = single(value, 'first');
      if (typeof v !== 'string' || v.trim() === '') return undefined;
      const n = Number(v.trim());
      return Number.isNaN(n) ? v : n;
    }
    case 'boolean': {
      const v = single(value, 'last');
      if (v === 'true' || v === 'on' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      return undefined;
    }
    default: {
      const v = single(value, 'last');
      return typeof v === 'string' && v.trim() === '' ? undefined : v;
    }
  }
}

/** Posted fields → the body the schema expects (not yet validated). */
export function formToInput(schema: z.ZodType, fields: Record<string, Raw>): unknown {
  return coerce(schema, nestFields(fields)) ?? {};
}

/** Field issues keyed by field name, for showing each message beside its input. */
export function errorsByField(issues: readonly FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[i.field] ??= i.message;
  return out;
}

/** A field's id in the page, derived from its name so labels, error links and the summary agree. */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]+/g, '-')}`;

/** The posted value of a field, as text, for putting it back into the form after an error. */
export function valueOf(fields: Record<string, Raw> | undefined, name: string): string {
  const v = fields?.[name];
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof one === 'string' ? one : '';
}

export function valuesOf(fields: Record<string, Raw> | undefined, name: string): string[] {
  const v = fields?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

export type FormFields = Record<string, Raw>;

/** The posted fields of a form (urlencoded or multipart); a name sent more than once keeps all its values. */
export async function readForm(c: Context): Promise<FormFields> {
  const body: Record<string, unknown> = await c.req.parseBody({ all: true });
  return body as FormFields;
}
