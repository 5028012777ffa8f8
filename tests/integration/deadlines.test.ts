import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfShanghaiDay, shanghaiDate } from '../../shared/calendar/index.js';
import { withTransaction } from '../../shared/db/index.js';
import { expireMediation } from '../../shared/decisions/index.js';
import { checkDeadlines, findDeadlineCandidates } from '../../workers/deadlines.js';
import { eventually, firstDeadlineCheckDone, postJson, readJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, signIn, startCaseworkEnv } from '../support/staff.js';
import { WebClient } from '../support/web-client.js';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ env, smtp, stop } = await startCaseworkEnv());
  await firstDeadlineCheckDone(env);
});
afterAll(() => stop());

async function routedItem(name: string) {
  const filed = await readJson(
    await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name, districtCode: '410702' } })),
  );
  return eventually(async () => {
    const row = await env.db
      .selectFrom('items')
      .select(['id', 'case_id', 'status'])
      .where('tracking_no', '=', filed.trackingNo)
      .executeTakeFirst();
    return row?.status === 'pending_acceptance' && { ...row, trackingNo: filed.trackingNo as string };
  });
}

describe('deadline warnings and escalation', () => {
  it('warns the assignee a working day ahead and escalates an overdue item to the regulators, once per item and level', async () => {
    const ctx = env.workers!.context;
    const now = new Date();
    const dueSoon = await routedItem('即将到期');
    const overdue = await routedItem('已经超期');
    const later = await routedItem('还早');
    const soonDay = ctx.calendar.addWorkingDays(shanghaiDate(now), 1);
    await env.db
      .updateTable('items')
      .set({ accept_by: endOfShanghaiDay(soonDay) })
      .where('id', '=', dueSoon.id)
      .execute();
    await env.db
      .updateTable('items')
      .set({ accept_by: new Date(now.getTime() - 3600_000) })
      .where('id', '=', overdue.id)
      .execute();
    const hongqi = await signIn(env, demo.hongqi);
    const hongqiId = (await readJson(await env.app.request('/api/v1/auth/me', { headers: hongqi }))).id;
    await env.db.updateTable('cases').set({ claimed_by: hongqiId }).where('id', '=', dueSoon.case_id!).execute();
    // Due as soon, but nobody holds its case: the warning goes to the regulators, who assign.
    const unclaimed = await routedItem('无人认领');
    await env.db
      .updateTable('items')
      .set({ accept_by: endOfShanghaiDay(soonDay) })
      .where('id', '=', unclaimed.id)
      .execute();

    const first = await checkDeadlines(ctx, now);
    expect(first).toEqual({ warnings: 2, escalations: 1, mediationsEnded: 0 });
    expect(await checkDeadlines(ctx, now)).toEqual({ warnings: 0, escalations: 0, mediationsEnded: 0 });
    const unclaimedWarning = await eventually(async () =>
      smtp.received.find((m) => m.envelopeTo.includes(demo.regulator) && m.parsed.subject?.includes(unclaimed.trackingNo)),
    );
    expect(unclaimedWarning.parsed.subject).toBe(`期限提醒：${unclaimed.trackingNo} 将于 ${soonDay} 到期`);
    expect(unclaimedWarning.parsed.text).toContain('尚无人承办，请及时指派检查员');
    expect(smtp.received.filter((m) => m.envelopeTo.includes(demo.hongqi) && m.parsed.subject?.includes(unclaimed.trackingNo))).toEqual([]);

    const warning = await eventually(async () =>
      smtp.received.find((m) => m.envelopeTo.includes(demo.hongqi) && m.parsed.subject?.includes(dueSoon.trackingNo)),
    );
    expect(warning.parsed.subject).toBe(`期限提醒：${dueSoon.trackingNo} 将于 ${soonDay} 到期`);
    const escalation = await eventually(async () =>
      smtp.received.find((m) => m.envelopeTo.includes(demo.regulator) && m.parsed.subject?.includes(overdue.trackingNo)),
    );
    expect(escalation.parsed.subject).toBe(`超期督办：${overdue.trackingNo}`);
    const alertMail = (m: (typeof smtp.received)[number]) => /^(期限提醒|超期督办)/.test(m.parsed.subject ?? '');
    expect(smtp.received.filter((m) => alertMail(m) && m.parsed.subject!.includes(later.trackingNo))).toHaveLength(0);
    // once each, though the check ran twice (the unclaimed one to each regulator of 红旗区)
    const unclaimedMail = (m: (typeof smtp.received)[number]) => m.parsed.subject!.includes(unclaimed.trackingNo);
    expect(smtp.received.filter((m) => alertMail(m) && !unclaimedMail(m))).toHaveLength(2);
    expect(smtp.received.filter((m) => alertMail(m) && unclaimedMail(m) && m.envelopeTo.includes(demo.regulator))).toHaveLength(1);

    const flagged = await env.db
      .selectFrom('cases')
      .select(['id', 'escalated_at'])
      .where('id', 'in', [overdue.case_id!, dueSoon.case_id!])
      .execute();
    expect(flagged.find((c) => c.id === overdue.case_id)?.escalated_at).not.toBeNull();
    expect(flagged.find((c) => c.id === dueSoon.case_id)?.escalated_at).toBeNull();
    const list = await readJson(await env.app.request('/api/v1/cases', { headers: await signIn(env, demo.regulator) }));
    expect(list.find((c: { id: number }) => c.id === overdue.case_id).escalated).toBe(true);
  });

  it('does not run the clock while an item is paused for testing', async () => {
    const ctx = env.workers!.context;
    const item = await routedItem('暂停中');
    await env.db
      .updateTable('items')
      .set({ status: 'paused_for_testing', mediation_ends_by: new Date(Date.now() - 3600_000) })
      .where('id', '=', item.id)
      .execute();
    await checkDeadlines(ctx);
    expect(await env.db.selectFrom('deadline_alerts').selectAll().where('item_id', '=', item.id).execute()).toHaveLength(0);
  });

  it('reads only items whose running clock ends soon: a stopped clock or a far deadline does not make a candidate', async () => {
    const ctx = env.workers!.context;
    const now = new Date();
    const day = 86_400_000;
    // Accepted long ago: the acceptance deadline has passed but no longer runs; mediation ends in two months.
    const acceptedLongAgo = await routedItem('调解期还长');
    await env.db
      .updateTable('items')
      .set({ status: 'accepted', accept_by: new Date(now.getTime() - 20 * day), mediation_ends_by: new Date(now.getTime() + 60 * day) })
      .where('id', '=', acceptedLongAgo.id)
      .execute();
    const farAcceptance = await routedItem('受理期还长');
    await env.db
      .updateTable('items')
      .set({ accept_by: new Date(now.getTime() + 30 * day) })
      .where('id', '=', farAcceptance.id)
      .execute();
    const mediatingSoon = await routedItem('调解将到期');
    await env.db
      .updateTable('items')
      .set({ status: 'mediating', accept_by: new Date(now.getTime() - 20 * day), mediation_ends_by: new Date(now.getTime() - 3600_000) })
      .where('id', '=', mediatingSoon.id)
      .execute();

    const ids = (await findDeadlineCandidates(env.db, now).execute()).map((c) => c.id);
    expect(ids).toContain(mediatingSoon.id);
    expect(ids).not.toContain(acceptedLongAgo.id);
    expect(ids).not.toContain(farAcceptance.id);

    await checkDeadlines(ctx, now);
    const alerted = await env.db
      .selectFrom('deadline_alerts')
      .select(['item_id', 'deadline', 'level'])
      .where('item_id', 'in', [acceptedLongAgo.id, farAcceptance.id, mediatingSoon.id])
      .execute();
    expect(alerted).toEqual([]);
    // The mediation that ran out is over by law, not a deadline missed: closed, not escalated.
    expect(await env.db.selectFrom('items').select(['status', 'outcome']).where('id', '=', mediatingSoon.id).executeTakeFirst()).toEqual({
      status: 'closed',
      outcome: 'mediation_expired',
    });
  });

  it('ends a mediation whose 60 days have run out: closed as mediation_expired by the system, the consumer told where else to turn, once', async () => {
    const ctx = env.workers!.context;
    const email = 'expired@example.com';
    const filed = await readJson(
      await postJson(
        env.app,
        '/api/v1/complaints',
        scaleComplaint({ merchant: { name: '调解期满', districtCode: '410702' }, reporter: { email } }),
      ),
    );
    await eventually(
      async () =>
        (await env.db.selectFrom('items').select('status').where('tracking_no', '=', filed.trackingNo).executeTakeFirst())?.status ===
        'pending_acceptance',
    );
    const hongqi = await signIn(env, demo.hongqi);
    const decide = (body: Record<string, unknown>) => postJson(env.app, `/api/v1/complaints/${filed.trackingNo}/transitions`, body, hongqi);
    expect((await decide({ to: 'accepted' })).status).toBe(200);
    expect((await decide({ to: 'mediating' })).status).toBe(200);
    // Before its day mediation cannot be closed as expired, by staff or by the check.
    const early = await decide({ to: 'closed', outcome: 'mediation_expired' });
    expect(early.status).toBe(409);
    // Nor does the case page offer it as an outcome.
    const page = new WebClient(env.app);
    await page.signInStaff(demo.hongqi, DEMO_PASSWORD);
    const caseId = (
      await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', filed.trackingNo).executeTakeFirstOrThrow()
    ).case_id!;
    const casePage = await (await page.request(`/staff/cases/${caseId}`)).text();
    expect(casePage).toContain('value="mediation_failed"');
    expect(casePage).not.toContain('value="mediation_expired"');
    // A minute before its end the system leaves it alone too (the check itself looks 12 days ahead).
    await env.db
      .updateTable('items')
      .set({ mediation_ends_by: new Date(Date.now() + 60_000) })
      .where('tracking_no', '=', filed.trackingNo)
      .execute();
    expect(await expireMediation(ctx, filed.trackingNo, new Date())).toBe(false);
    expect(await checkDeadlines(ctx)).toMatchObject({ mediationsEnded: 0 });

    const endedAt = new Date(Date.now() - 60_000);
    await env.db.updateTable('items').set({ mediation_ends_by: endedAt }).where('tracking_no', '=', filed.trackingNo).execute();
    // Ended by law, before the check has run: it can no longer be paused for testing.
    expect(await readJson(await decide({ to: 'paused_for_testing' }))).toMatchObject({ error: { code: 'conflict' } });
    const [first, second] = [await checkDeadlines(ctx), await checkDeadlines(ctx)];
    expect(first.mediationsEnded).toBe(1);
    expect(second.mediationsEnded).toBe(0);

    const view = await readJson(
      await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, { headers: { 'x-access-code': filed.accessCode } }),
    );
    expect(view).toMatchObject({ status: 'closed', outcome: 'mediation_expired', otherRemedies: expect.stringContaining('仲裁') });
    const events = await env.db
      .selectFrom('item_events')
      .innerJoin('items', 'items.id', 'item_events.item_id')
      .select(['item_events.actor_type', 'item_events.actor_id', 'item_events.from_status', 'item_events.to_status'])
      .where('items.tracking_no', '=', filed.trackingNo)
      .orderBy('item_events.id', 'desc')
      .limit(1)
      .execute();
    expect(events).toEqual([{ actor_type: 'system', actor_id: null, from_status: 'mediating', to_status: 'closed' }]);
    const mail = await eventually(async () =>
      smtp.received.find((m) => m.envelopeTo.includes(email) && m.parsed.subject?.includes('已办结')),
    );
    expect(mail.parsed.text).toContain('调解期满未达成协议');
    expect(mail.parsed.text).toContain('向仲裁机构申请仲裁');
    expect(
      await env.db
        .selectFrom('deadline_alerts')
        .innerJoin('items', 'items.id', 'deadline_alerts.item_id')
        .select(['deadline_alerts.deadline', 'deadline_alerts.level'])
        .where('items.tracking_no', '=', filed.trackingNo)
        .execute(),
    ).toEqual([{ deadline: 'mediation_ends_by', level: 'warning' }]); // warned the day before; never escalated
  });

  it('a serious injury is reported to the provincial bureau within 2 working days: warned, escalated once, recorded once', async () => {
    const ctx = env.workers!.context;
    const filed = await readJson(
      await postJson(
        env.app,
        '/api/v1/complaints',
        scaleComplaint({ merchant: { name: '伤人的秤', districtCode: '410702' }, harm: { injury: 'serious', childInvolved: false } }),
      ),
    );
    const harmless = await routedItem('没有伤害');
    const row = await eventually(async () => {
      const r = await env.db
        .selectFrom('items')
        .select(['id', 'status', 'received_at', 'provincial_report_by', 'case_id'])
        .where('tracking_no', '=', filed.trackingNo)
        .executeTakeFirst();
      return r?.status === 'pending_acceptance' && r;
    });
    expect(row.provincial_report_by).toEqual(endOfShanghaiDay(ctx.calendar.addWorkingDays(shanghaiDate(row.received_at), 2)));
    const inspector = await signIn(env, demo.hongqi);
    const record = (trackingNo: string) => postJson(env.app, `/api/v1/complaints/${trackingNo}/provincial-report`, {}, inspector);
    expect(await readJson(await record(harmless.trackingNo))).toMatchObject({ error: { code: 'conflict' } }); // nothing to report

    // Overdue and unrecorded: the regulators are told once, and the case is flagged.
    await env.db
      .updateTable('items')
      .set({ provincial_report_by: new Date(Date.now() - 60_000) })
      .where('id', '=', row.id)
      .execute();
    const alertsOf = () =>
      env.db
        .selectFrom('deadline_alerts')
        .select(['deadline', 'level'])
        .where('item_id', '=', row.id)
        .where('deadline', '=', 'provincial_report_by')
        .execute();
    await checkDeadlines(ctx);
    await checkDeadlines(ctx);
    expect(await alertsOf()).toEqual([{ deadline: 'provincial_report_by', level: 'overdue' }]);
    const mail = await eventually(async () =>
      smtp.received.find((m) => m.envelopeTo.includes(demo.regulator) && m.parsed.subject === `超期督办：${filed.trackingNo}`),
    );
    expect(mail.parsed.text).toContain('向省局报告死亡或严重伤害的期限');

    // The case page shows it due, records it once, then shows when.
    const page = new WebClient(env.app);
    await page.signInStaff(demo.hongqi, DEMO_PASSWORD);
    expect(await (await page.request(`/staff/cases/${row.case_id}`)).text()).toContain('涉及死亡或严重伤害');
    const _csrf = await page.token(`/staff/cases/${row.case_id}`);
    const recorded = await page.post(`/staff/cases/${row.case_id}/items/${filed.trackingNo}/provincial-report`, { _csrf });
    expect(recorded.status).toBe(303);
    expect(await (await page.request(`/staff/cases/${row.case_id}?notice=provincial`)).text()).toContain('报告省局');
    expect(await readJson(await record(filed.trackingNo))).toMatchObject({ error: { code: 'conflict' } }); // once
    const stored = await env.db
      .selectFrom('items')
      .select(['provincial_reported_at', 'provincial_reported_by'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored.provincial_reported_at).not.toBeNull();
    // Recorded: nothing more is raised about it, even for a new due time.
    await env.db
      .updateTable('items')
      .set({ provincial_report_by: new Date(Date.now() - 30_000) })
      .where('id', '=', row.id)
      .execute();
    await checkDeadlines(ctx);
    expect(await alertsOf()).toHaveLength(1);
  });

  it('reads each clock through its own index, as a range up to the horizon', async () => {
    type PlanNode = { 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
    const scans: Array<[string, string]> = [];
    const walk = (n: PlanNode) => {
      if (n['Index Name']) scans.push([n['Index Name'], n['Index Cond'] ?? '']);
      n.Plans?.forEach(walk);
    };
    await withTransaction(env.db, async (tx) => {
      // The test tables are small enough that a sequential scan would win; the production table is not.
      await sql`SET LOCAL enable_seqscan = off`.execute(tx);
      const [row] = await findDeadlineCandidates(tx, new Date()).explain('json');
      walk((row as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan);
    });
    for (const clock of ['accept_by', 'verify_by', 'mediation_ends_by', 'recheck_by']) {
      expect(scans, clock).toContainEqual([`items_${clock}_running_idx`, expect.stringContaining(`(${clock} <`)]);
    }
  });

  it('is scheduled through the queue', async () => {
    const schedulers = await env.queues.deadlines.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['deadline-check', 900_000]]);
  });
});
