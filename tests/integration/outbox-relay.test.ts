import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ OUTBOX_POLL_MS: '200' });
  await env.startWorkers();
});
afterAll(async () => {
  await env.close();
});

describe('outbox relay wake-up', () => {
  it('inserting outbox rows notifies nobody: no trigger on the table, so commits never queue on the notify lock', async () => {
    const triggers = await sql<{
      tgname: string;
    }>`SELECT tgname FROM pg_trigger WHERE tgrelid = 'outbox'::regclass AND NOT tgisinternal`.execute(env.db);
    expect(triggers.rows).toEqual([]);
  });

  it('after an idle spell the poll still picks a new row up within the idle interval', async () => {
    // The relay has backed off to its idle interval (nothing else files anything in this test file).
    await eventually(async () => env.workers!.relay.pollInterval === env.config.OUTBOX_POLL_MS);
    const res = await postJson(env.app, '/api/v1/complaints', scaleComplaint());
    expect(res.status).toBe(201);
    const { trackingNo } = (await readJson(res)) as { trackingNo: string };
    const started = Date.now();
    const row = await eventually(
      () =>
        env.db
          .selectFrom('outbox')
          .select('relayed_at')
          .where(sql<string>`payload->>'trackingNo'`, '=', trackingNo)
          .where('relayed_at', 'is not', null)
          .executeTakeFirst(),
      5_000,
      10,
    );
    expect(row.relayed_at).toBeInstanceOf(Date);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
