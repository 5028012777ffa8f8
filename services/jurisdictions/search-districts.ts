import { sql } from 'kysely';
import { jurisdictionPrefix } from '../../shared/access/index.js';
import type { District } from '../../shared/jurisdictions/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';

const counties = (ctx: ServiceContext) =>
  ctx.db.selectFrom('jurisdictions').select(['code', 'name', 'full_name', 'bureau_name']).where('level', '=', 'county');
const asDistrict = (r: { code: string; name: string; full_name: string; bureau_name: string }): District => ({
  code: r.code,
  name: r.name,
  fullName: r.full_name,
  bureauName: r.bureau_name,
});

/**
 * County-level divisions (each with its own bureau) by code or by name: every character typed must appear in the full
 * name in order, so 新乡红旗 finds 河南省新乡市红旗区. Exact code matches come first, then shorter names.
 */
export async function searchDistricts(ctx: ServiceContext, input: { q: string; limit?: number }): Promise<District[]> {
  const q = input.q.replace(/\s+/g, '');
  if (q === '') return [];
  const pattern = `%${[...q].map((ch) => ch.replace(/[\\%_]/g, (m) => `\\${m}`)).join('%')}%`;
  const rows = await counties(ctx)
    .where((eb) => eb.or([eb('code', '=', q), eb('full_name', 'like', pattern)]))
    .orderBy(sql`code = ${q}`, 'desc')
    .orderBy(sql`length(full_name)`)
    .orderBy('code')
    .limit(input.limit ?? 20)
    .execute();
  return rows.map(asDistrict);
}

export type DistrictChoice = { code: string } | { candidates: District[] };

/**
 * What a person typed in a district field: a 6-digit code stays as it is (the schema and routing check it); a name
 * that matches exactly one county becomes its code; otherwise the candidates to choose from (none when nothing matched).
 */
export async function resolveDistrict(ctx: ServiceContext, typed: string): Promise<DistrictChoice> {
  const t = typed.trim();
  const code = /^(\d{6})\b/.exec(t)?.[1];
  if (code) return { code };
  const candidates = await searchDistricts(ctx, { q: t, limit: 12 });
  const exact = candidates.filter((c) => c.fullName === t || c.name === t);
  if (candidates.length === 1) return { code: candidates[0]!.code };
  if (exact.length === 1) return { code: exact[0]!.code };
  return { candidates };
}

/** The county-level divisions inside a jurisdiction (itself, when it is one), by code: the choices of a district field. */
export async function countiesWithin(ctx: ServiceContext, code: string): Promise<District[]> {
  const rows = await counties(ctx)
    .where('code', 'like', `${jurisdictionPrefix(code)}%`)
    .orderBy('code')
    .execute();
  return rows.map(asDistrict);
}
