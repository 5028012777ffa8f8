import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJobPayload } from '../../shared/queue/index.js';
import type { IntakeResponse, TrackingView } from '../../shared/complaints/index.js';
import { triageItem } from '../../workers/triage.js';
import { sendNotification } from '../../workers/notify.js';
import { createTestEnv, eventually, jobsFinished, postJson, readJson, type TestEnv } from '../support/env.js';
import { childProductComplaint, ebikeReport, scaleComplaint } from '../support/fixtures.js';
import { startSmtpServer } from '../support/smtp.js';

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  env = await createTestEnv({ SMTP_URL: smtp.url });
  await env.startWorkers();
});
afterAll(async () => {
  await env.close();
  await smtp.close();
});

async function fileAndWaitRouted(body: unknown, lang?: string) {
  const res = await postJson(env.app, '/api/v1/complaints', body);
  expect(res.status).toBe(201);
  const filed = (await readJson(res)) as IntakeResponse;
  const view = await eventually(async () => {
    const r = await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, {
      headers: { 'x-access-code': filed.accessCode, ...(lang ? { 'accept-language': lang } : {}) },
    });
    const v = (await readJson(r)) as TrackingView;
    return v.status !== 'submitted' && v;
  });
  return { filed, view };
}

const itemOf = (trackingNo: string) =>
  env.db.selectFrom('items').selectAll().where('tracking_no', '=', trackingNo).executeTakeFirstOrThrow();

describe('triage through the real relay and queue', () => {
  it('routes a scale complaint to the county bureau’s metrology queue with its accept-by date, and emails the consumer', async () => {
    const { filed, view } = await fileAndWaitRouted(scaleComplaint({ reporter: { email: 'li@example.com' } }));
    expect(view).toMatchObject({
      status: 'pending_acceptance',
      statusLabel: '待受理',
      jurisdiction: { code: '410702', bureauName: '新乡市红旗区市场监督管理局' },
      queue: 'metrology',
      timeline: [{ status: 'submitted' }, { status: 'pending_acceptance', note: '已分派至新乡市红旗区市场监督管理局' }],
    });
    const item = await itemOf(filed.trackingNo);
    expect(item.priority).toBe(3); // 3.5 × MPE
    const received = item.received_at;
    const expected = env.workers!.context.calendar.addWorkingDays(
      new Date(received.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
      7,
    );
    expect(view.deadlines.acceptBy).toBe(expected);
    expect(item.case_id).not.toBeNull();

    const mail = await eventually(async () => smtp.received.find((m) => m.envelopeTo.includes('li@example.com')));
    expect(mail.parsed.subject).toBe(`您的投诉已收到（${filed.trackingNo}）`);
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m); // RFC 2047 encoded, not raw UTF-8
    expect(mail.parsed.text).toContain(filed.trackingNo);
    expect(mail.parsed.text).toContain(filed.accessCode);
    expect(mail.parsed.text).toContain(view.deadlines.acceptBy!);
    expect(mail.parsed.text).toContain('新乡市红旗区市场监督管理局');

    // Once delivered, no recoverable copy of the access code is kept.
    await eventually(async () => (await itemOf(filed.trackingNo)).access_code_sealed === null);
    const n = await env.db.selectFrom('notifications').selectAll().where('item_id', '=', item.id).executeTakeFirstOrThrow();
    expect(n.status).toBe('sent');
    const notifyRows = await env.db.selectFrom('outbox').select('payload').where('queue', '=', 'notify').execute();
    expect(notifyRows.map((r) => parseJobPayload('notify', r.payload))).toContainEqual({ notificationId: n.id });
    expect(JSON.stringify(n.params)).not.toContain('accessCodeSealed');
  });

  it('routes a report with a verify-by date and an English email', async () => {
    const { filed, view } = await fileAndWaitRouted(ebikeReport({ reporter: { email: 'en@example.com', language: 'en' } }), 'en');
    expect(view).toMatchObject({ status: 'pending_verification', statusLabel: 'Pending verification', queue: 'product_quality' });
    expect(view.deadlines.verifyBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await itemOf(filed.trackingNo)).priority).toBe(2); // e-bike sold without CCC
    const mail = await eventually(async () => smtp.received.find((m) => m.envelopeTo.includes('en@example.com')));
    expect(mail.parsed.subject).toBe(`We received your report ${filed.trackingNo}`);
  });

  it('an e-bike that caught fire is P1 though nobody was hurt and it had its CCC mark', async () => {
    const { filed } = await fileAndWaitRouted(ebikeReport({ evidence: { hasCccMark: true, issues: [], hazards: ['fire'] } }));
    expect((await itemOf(filed.trackingNo)).priority).toBe(1);
  });

  it('routes a children’s product to child safety in the merchant’s county', async () => {
    const { filed, view } = await fileAndWaitRouted(childProductComplaint());
    expect(view).toMatchObject({ jurisdiction: { code: '410802' }, queue: 'child_safety' });
    expect((await itemOf(filed.trackingNo)).priority).toBe(2);
  });

  it('sends an unroutable item to the city intake queue for manual routing', async () => {
    const { view } = await fileAndWaitRouted(scaleComplaint({ merchant: { name: '流动摊贩', address: '新乡市某夜市' } }));
    expect(view).toMatchObject({ status: 'pending_acceptance', jurisdiction: { code: '410700' }, queue: 'intake' });
  });

  it('finds the county from the address when no district code is given', async () => {
    const { view } = await fileAndWaitRouted(scaleComplaint({ merchant: { name: '王五肉铺', address: '河南省焦作市解放区焦南菜市场' } }));
    expect(view.jurisdiction?.code).toBe('410802');
  });

  it('raises the priority of the third open item against one merchant, and groups them in one case', async () => {
    const merchant = { name: '重复商户', uscc: '91410702317449576K', districtCode: '410702' };
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(await fileAndWaitRouted(scaleComplaint({ merchant, evidence: { referenceMassG: 215, displayedMassG: 232.5 } })));
    const items = await Promise.all(results.map((r) => itemOf(r.filed.trackingNo)));
    expect(items.map((i) => i.priority)).toEqual([3, 3, 2]);
    expect(new Set(items.map((i) => i.case_id)).size).toBe(1);
    const theCase = await env.db.selectFrom('cases').selectAll().where('id', '=', items[0]!.case_id!).executeTakeFirstOrThrow();
    expect(theCase).toMatchObject({ status: 'open', priority: 2, queue: 'metrology', jurisdiction_code: '410702' });
  });

  it('is idempotent: triage and notify run again change nothing and send nothing', async () => {
    const { filed } = await fileAndWaitRouted(scaleComplaint({ reporter: { email: 'twice@example.com' } }));
    await eventually(async () => smtp.received.some((m) => m.envelopeTo.includes('twice@example.com')));
    // The server has the email before the worker commits "sent" (and clears the sealed code): wait for the row.
    await eventually(async () =>
      (
        await env.db
          .selectFrom('notifications')
          .select('status')
          .where('item_id', '=', (await itemOf(filed.trackingNo)).id)
          .execute()
      ).every((n) => n.status === 'sent'),
    );
    const item = await itemOf(filed.trackingNo);
    const eventsBefore = await env.db.selectFrom('item_events').selectAll().where('item_id', '=', item.id).execute();
    const ctx = env.workers!.context;

    expect(await triageItem(ctx, { trackingNo: item.tracking_no })).toEqual({ routed: false, reason: 'already_routed' });
    const n = await env.db.selectFrom('notifications').select('id').where('item_id', '=', item.id).executeTakeFirstOrThrow();
    expect(await sendNotification(ctx, { notificationId: n.id, finalAttempt: false })).toBe('already_sent');
    // The same jobs again through the queue, as a relay retry would add them.
    await env.queues.triage.add('triage', { trackingNo: item.tracking_no }, { jobId: `replay-${item.id}` });
    await env.queues.notify.add('notify', { notificationId: n.id }, { jobId: `replay-n-${n.id}` });
    expect(await jobsFinished(env.queues.triage, [`replay-${item.id}`])).toEqual(['completed']);
    expect(await jobsFinished(env.queues.notify, [`replay-n-${n.id}`])).toEqual(['completed']);

    expect(await env.db.selectFrom('item_events').selectAll().where('item_id', '=', item.id).execute()).toEqual(eventsBefore);
    expect(await itemOf(filed.trackingNo)).toEqual(item);
    expect(smtp.received.filter((m) => m.envelopeTo.includes('twice@example.com'))).toHaveLength(1);
  });

  it('routes an item exactly once when several triage runs race for it', async () => {
    const res = await postJson(env.app, '/api/v1/complaints', scaleComplaint({ reporter: { email: 'race@example.com' } }));
    const { trackingNo } = await readJson(res);
    const { id } = await itemOf(trackingNo);
    const results = await Promise.all(Array.from({ length: 6 }, () => triageItem(env.workers!.context, { trackingNo })));
    expect(results.filter((r) => r.routed).length).toBeLessThanOrEqual(1); // the relayed job may have won
    await eventually(async () => (await itemOf(trackingNo)).status === 'pending_acceptance');
    const events = await env.db.selectFrom('item_events').select('to_status').where('item_id', '=', id).execute();
    expect(events.map((e) => e.to_status)).toEqual(['submitted', 'pending_acceptance']);
    const notifications = await env.db.selectFrom('notifications').select('id').where('item_id', '=', id).execute();
    expect(notifications).toHaveLength(1);
  });

  it('writes nothing, not even a case, in a run that loses the race while it routes', async () => {
    // Routed once, then made submitted again with another county filed, so a second run would open a new case there.
    const { filed } = await fileAndWaitRouted(scaleComplaint({ merchant: { name: '抢单商户', districtCode: '410702' } }));
    const item = await itemOf(filed.trackingNo);
    await env.db
      .updateTable('items')
      .set({ status: 'submitted', merchant: JSON.stringify({ name: '抢单商户', districtCode: '410703' }) })
      .where('id', '=', item.id)
      .execute();
    const casesOfMerchant = () =>
      env.db.selectFrom('cases').select('jurisdiction_code').where('merchant_id', '=', item.merchant_id).execute();
    let loser: Promise<unknown> | undefined;
    await env.db.transaction().execute(async (tx) => {
      // The winner holds the row: the loser read the item as submitted and now waits for the lock.
      await tx.updateTable('items').set({ status: 'pending_acceptance' }).where('id', '=', item.id).execute();
      loser = triageItem(env.workers!.context, { trackingNo: filed.trackingNo });
      await eventually(async () => {
        const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(env.db);
        return waiting.rows[0]!.n > 0;
      });
    });
    expect(await loser).toEqual({ routed: false, reason: 'already_routed' });
    expect((await casesOfMerchant()).map((c) => c.jurisdiction_code)).toEqual(['410702']);
  });

  it('records a job with a bad payload as a dead letter without retrying it', async () => {
    await env.queues.triage.add('triage', { itemId: 'nope' }, { jobId: 'bad-payload-1' });
    const dead = await eventually(async () =>
      env.db.selectFrom('dead_letters').selectAll().where('job_id', '=', 'bad-payload-1').executeTakeFirst(),
    );
    expect(dead).toMatchObject({ queue: 'triage', attempts: 1 });
    expect(dead.error).toMatch(/invalid triage payload/);
  });
});
