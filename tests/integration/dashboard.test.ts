import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as backfillFirstDecision from '../../migrations/20261206210000_backfill_first_decision.js';
import type { IntakeResponse } from '../../shared/complaints/index.js';
import { eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { demo, signIn, startCaseworkEnv } from '../support/staff.js';

/** The regulator's figures: decided within the legal time limit, and overdue now, per county. */
let env: TestEnv;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ env, stop } = await startCaseworkEnv());
});
afterAll(() => stop());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function fileRouted(name: string): Promise<IntakeResponse> {
  const filed = (await readJson(
    await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name, districtCode: '410702' } })),
  )) as IntakeResponse;
  await eventually(
    async () =>
      (await env.db.selectFrom('items').select('status').where('tracking_no', '=', filed.trackingNo).executeTakeFirst())?.status ===
      'pending_acceptance',
  );
  return filed;
}

const setItem = (f: IntakeResponse, values: { accept_by?: Date; decided_at?: Date; mediation_ends_by?: Date }) =>
  env.db.updateTable('items').set(values).where('tracking_no', '=', f.trackingNo).execute();

async function hongqiFigures(regulator: Record<string, string>) {
  const dashboard = await readJson(await env.app.request('/api/v1/dashboard', { headers: regulator }));
  const row = dashboard.compliance.find((r: { jurisdictionCode: string }) => r.jurisdictionCode === '410702');
  return { decided: row?.decided ?? 0, decidedOnTime: row?.decidedOnTime ?? 0, openOverdue: row?.openOverdue ?? 0 };
}

describe('the regulator’s dashboard', () => {
  it('counts a decision on time by the first decision, not by the close; overdue means the bureau’s own limits', async () => {
    const regulator = await signIn(env, demo.regulator);
    const inspector = await signIn(env, demo.hongqi);
    const decide = (f: IntakeResponse, body: Record<string, unknown>) =>
      postJson(env.app, `/api/v1/complaints/${f.trackingNo}/transitions`, body, inspector);
    const before = await hongqiFigures(regulator);

    // Accepted in time ten days ago, closed with an agreement today, after its acceptance deadline: on time.
    const inTime = await fileRouted('按期受理');
    expect((await decide(inTime, { to: 'accepted' })).status).toBe(200);
    await setItem(inTime, { decided_at: new Date(Date.now() - 10 * DAY), accept_by: new Date(Date.now() - 5 * DAY) });
    expect((await decide(inTime, { to: 'closed', outcome: 'mediated_agreement' })).status).toBe(200);
    // Accepted after its deadline had passed: late.
    const late = await fileRouted('逾期受理');
    await setItem(late, { accept_by: new Date(Date.now() - HOUR) });
    expect((await decide(late, { to: 'accepted' })).status).toBe(200);
    // Still waiting past its deadline: overdue now.
    const waiting = await fileRouted('逾期未受理');
    await setItem(waiting, { accept_by: new Date(Date.now() - HOUR) });
    // Mediation past its 60 days is not the bureau's lapse (the deadline check closes it as expired).
    const mediation = await fileRouted('调解期满');
    expect((await decide(mediation, { to: 'accepted' })).status).toBe(200);
    await setItem(mediation, { mediation_ends_by: new Date(Date.now() - HOUR) });

    const after = await hongqiFigures(regulator);
    expect({
      decided: after.decided - before.decided,
      decidedOnTime: after.decidedOnTime - before.decidedOnTime,
      openOverdue: after.openOverdue - before.openOverdue,
    }).toEqual({ decided: 3, decidedOnTime: 2, openOverdue: 1 });
  });

  it('puts back the first decision of items whose close overwrote it (migration)', async () => {
    const inspector = await signIn(env, demo.hongqi);
    const closedEarlier = await fileRouted('早先办结');
    const decide = (body: Record<string, unknown>) =>
      postJson(env.app, `/api/v1/complaints/${closedEarlier.trackingNo}/transitions`, body, inspector);
    expect((await decide({ to: 'accepted' })).status).toBe(200);
    expect((await decide({ to: 'closed', outcome: 'mediated_agreement' })).status).toBe(200);
    const acceptedAt = (
      await env.db
        .selectFrom('item_events')
        .innerJoin('items', 'items.id', 'item_events.item_id')
        .select('item_events.at')
        .where('items.tracking_no', '=', closedEarlier.trackingNo)
        .where('item_events.to_status', '=', 'accepted')
        .executeTakeFirstOrThrow()
    ).at;
    // As the old code left it: decided_at moved to the close, a month later.
    await setItem(closedEarlier, { decided_at: new Date(acceptedAt.getTime() + 30 * DAY) });
    await backfillFirstDecision.up(env.db as unknown as Kysely<unknown>);
    const row = await env.db
      .selectFrom('items')
      .select('decided_at')
      .where('tracking_no', '=', closedEarlier.trackingNo)
      .executeTakeFirstOrThrow();
    expect(row.decided_at).toEqual(acceptedAt);
  });
});
