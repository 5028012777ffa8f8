import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledStatement } from '../../shared/db/index.js';
import type { JurisdictionLevel } from '../../shared/jurisdictions/index.js';
import { createTestEnv, type TestEnv } from '../support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('prepared statements', () => {
  it('sends a statement under its name, so the connection keeps it parsed, and returns its rows', async () => {
    const byCode = compiledStatement('test_jurisdiction_by_code', (db, v: { code: string }) =>
      db.selectFrom('jurisdictions').select(['code', 'bureau_name']).where('code', '=', v.code),
    );
    await env.db.transaction().execute(async (tx) => {
      expect(await byCode(tx, { code: '410702' })).toMatchObject([{ code: '410702' }]);
      expect(await byCode(tx, { code: '000000' })).toEqual([]);
      // The same transaction holds the same connection: the statement is in its session's list.
      const names = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(tx);
      expect(names.rows.map((r) => r.name)).toContain('test_jurisdiction_by_code');
    });
  });

  it('refuses one name for two different statements, and two names for one', async () => {
    const first = compiledStatement('test_two_shapes', (db) => db.selectFrom('jurisdictions').select('code').limit(1));
    const second = compiledStatement('test_two_shapes', (db) => db.selectFrom('jurisdictions').select('name').limit(1));
    const alias = compiledStatement('test_alias', (db) => db.selectFrom('jurisdictions').select('code').limit(1));
    await first(env.db, {});
    await expect(second(env.db, {})).rejects.toThrow(/compiled to different SQL/);
    await expect(alias(env.db, {})).rejects.toThrow(/same SQL as "test_two_shapes"/);
  });

  it('compiles a statement once and binds each call’s values in the compiler’s order', async () => {
    const byCodeOrLevel = compiledStatement('test_compiled_by_code', (db, v: { code: string; level: JurisdictionLevel; limit: number }) =>
      db
        .selectFrom('jurisdictions')
        .select(['code', 'level'])
        .where((eb) => eb.or([eb('code', '=', v.code), eb('level', '=', v.level)]))
        .where('code', 'like', '41%')
        .orderBy('code')
        .limit(v.limit),
    );
    expect(await byCodeOrLevel(env.db, { code: '410702', level: 'province', limit: 5 })).toEqual([
      { code: '410000', level: 'province' },
      { code: '410702', level: 'county' },
    ]);
    const cities = await byCodeOrLevel(env.db, { code: '000000', level: 'city', limit: 3 });
    expect(cities).toHaveLength(3);
    expect(cities.every((c) => c.level === 'city' && c.code.startsWith('41'))).toBe(true);
    await env.db.transaction().execute(async (tx) => {
      expect(await byCodeOrLevel(tx, { code: '410703', level: 'city', limit: 1 })).toEqual([{ code: '410100', level: 'city' }]);
    });
  });

  it('refuses a builder that tests, transforms or inlines its values', async () => {
    const tests = compiledStatement('test_compiled_branching', (db, v: { code: string | null }) =>
      db
        .selectFrom('jurisdictions')
        .select('code')
        .where('code', '=', v.code ?? '410702'),
    );
    // The placeholder is never null, so the compiled statement would ignore a null: the check on every call sees it.
    await tests(env.db, { code: '410703' });
    await expect(tests(env.db, { code: null })).rejects.toThrow(/does not depend on its values alone/);
    const transforms = compiledStatement('test_compiled_template', (db, v: { code: string }) =>
      db.selectFrom('jurisdictions').select('code').where('code', 'like', `${v.code}%`),
    );
    await expect(transforms(env.db, { code: '4107' })).rejects.toThrow(/transformed a value/);
    const inlines = compiledStatement('test_compiled_inline', (db, v: { code: string }) =>
      db.selectFrom('jurisdictions').select('code').where('code', '=', sql.lit(v.code)),
    );
    await expect(inlines(env.db, { code: '410702' })).rejects.toThrow(/into its SQL text/);
  });
});
