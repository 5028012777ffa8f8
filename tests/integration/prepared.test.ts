import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepared, preparedFirst } from '../../shared/db/index.js';
import { createTestEnv, type TestEnv } from '../support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('prepared statements', () => {
  it('sends a query under its name, so the connection keeps it parsed, and returns its rows', async () => {
    await env.db.transaction().execute(async (tx) => {
      const query = (code: string) => tx.selectFrom('jurisdictions').select(['code', 'bureau_name']).where('code', '=', code);
      expect(await preparedFirst(tx, 'test_jurisdiction_by_code', query('410702'))).toMatchObject({ code: '410702' });
      expect(await prepared(tx, 'test_jurisdiction_by_code', query('000000'))).toEqual([]);
      // The same transaction holds the same connection: the statement is in its session's list.
      const names = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(tx);
      expect(names.rows.map((r) => r.name)).toContain('test_jurisdiction_by_code');
    });
  });

  it('refuses one name for two different statements', async () => {
    await prepared(env.db, 'test_two_shapes', env.db.selectFrom('jurisdictions').select('code').limit(1));
    await expect(prepared(env.db, 'test_two_shapes', env.db.selectFrom('jurisdictions').select('name').limit(1))).rejects.toThrow(
      /compiled to different SQL/,
    );
  });
});
