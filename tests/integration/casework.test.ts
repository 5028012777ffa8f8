import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, endOfShanghaiDay, WorkingCalendar, shanghaiDate } from '../../shared/calendar/index.js';
import type { IntakeResponse } from '../../shared/complaints/index.js';
import { mediationEndDay } from '../../shared/decisions/index.js';
import { eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { ebikeReport, scaleComplaint } from '../support/fixtures.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, signIn, startCaseworkEnv } from '../support/staff.js';
import { WebClient } from '../support/web-client.js';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const calendar = new WorkingCalendar();
const today = () => shanghaiDate(new Date());

let stop: () => Promise<void>;
beforeAll(async () => {
  ({ env, smtp, stop } = await startCaseworkEnv());
});
afterAll(() => stop());

async function fileRouted(body: unknown): Promise<IntakeResponse> {
  const filed = (await readJson(await postJson(env.app, '/api/v1/complaints', body))) as IntakeResponse;
  await eventually(async () => {
    const v = await readJson(
      await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, { headers: { 'x-access-code': filed.accessCode } }),
    );
    return !['submitted'].includes(v.status);
  });
  return filed;
}
const decide = (auth: Record<string, string>, trackingNo: string, body: Record<string, unknown>) =>
  postJson(env.app, `/api/v1/complaints/${trackingNo}/transitions`, body, auth);
const track = async (f: IntakeResponse) =>
  readJson(await env.app.request(`/api/v1/complaints/${f.trackingNo}`, { headers: { 'x-access-code': f.accessCode } }));
const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

describe('an inspector’s day, all through HTTP', () => {
  it('login → claim → scale verification fails → accept → close with agreement; the consumer sees and is told each step', async () => {
    const email = 'day@example.com';
    const filed = await fileRouted(
      scaleComplaint({ merchant: { name: '一天的商户', districtCode: '410702' }, reporter: { email, phone: '13912345678' } }),
    );
    const inspector = await signIn(env, demo.hongqi);

    const claimed = await postJson(env.app, '/api/v1/cases/claim', { queue: 'metrology' }, inspector);
    expect(claimed.status).toBe(200);
    const theCase = await readJson(claimed);
    const item = theCase.items.find((i: { trackingNo: string }) => i.trackingNo === filed.trackingNo);
    expect(item).toBeDefined();
    expect(item.reporter).toMatchObject({ email, phone: '13912345678' }); // the handling bureau sees full contact
    expect(theCase.contactDetails).toBe('full');

    const inspection = await postJson(
      env.app,
      `/api/v1/cases/${theCase.id}/inspections`,
      {
        type: 'scale_verification',
        trackingNo: filed.trackingNo,
        scaleMaxG: 15000,
        scaleIntervalG: 5,
        loads: [
          { loadG: 200, indicationG: 216 },
          { loadG: 5000, indicationG: 5005 },
        ],
        notes: '现场检定',
      },
      inspector,
    );
    expect(inspection.status).toBe(201);
    const verdict = await readJson(inspection);
    expect(verdict).toMatchObject({
      verdict: 'fail',
      data: {
        results: [
          { errorG: 16, mpeG: 5, withinMpe: false },
          { errorG: 5, mpeG: 10, withinMpe: true },
        ],
      },
    });

    const accepted = await decide(inspector, filed.trackingNo, { to: 'accepted', note: '符合受理条件' });
    expect(accepted.status).toBe(200);
    const end = mediationEndDay(calendar, today(), 0);
    expect(await readJson(accepted)).toMatchObject({ status: 'accepted', deadlines: { mediationEndsBy: end } });

    const closed = await decide(inspector, filed.trackingNo, { to: 'closed', outcome: 'mediated_agreement', note: '商户退还差价并赔偿' });
    expect(closed.status).toBe(200);

    const view = await track(filed);
    expect(view).toMatchObject({
      status: 'closed',
      statusLabel: '已办结',
      outcome: 'mediated_agreement',
      deadlines: { mediationEndsBy: end },
    });
    expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(['submitted', 'pending_acceptance', 'accepted', 'closed']);

    // Each step's mail is its own job, so they may arrive in any order: compare them as a set.
    const expected = [
      `您的投诉已收到（${filed.trackingNo}）`,
      `您的投诉状态更新：已受理（${filed.trackingNo}）`,
      `您的投诉状态更新：已办结（${filed.trackingNo}）`,
    ];
    await eventually(async () => expected.every((subject) => mailsTo(email).some((m) => m.parsed.subject === subject)));
    expect(mailsTo(email).map((m) => m.parsed.subject)).toEqual(expect.arrayContaining(expected));
    expect(mailsTo(email)).toHaveLength(expected.length);
    expect(mailsTo(email).find((m) => m.parsed.subject === expected[2])!.parsed.text).toContain('调解达成协议');

    const events = await readJson(await env.app.request(`/api/v1/cases/${theCase.id}/events`, { headers: inspector }));
    const actions = events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['claimed', 'contact_viewed', 'inspection_recorded', 'transition']));
    const caseAfter = await readJson(await env.app.request(`/api/v1/cases/${theCase.id}`, { headers: inspector }));
    expect(caseAfter.status).toBe('closed'); // its only item is closed
  });
});

describe('decisions', () => {
  it('a rejection tells the consumer the reason and where else to go', async () => {
    const email = 'rejected@example.com';
    const filed = await fileRouted(scaleComplaint({ merchant: { name: '拒绝商户', districtCode: '410702' }, reporter: { email } }));
    const inspector = await signIn(env, demo.hongqi);
    expect((await decide(inspector, filed.trackingNo, { to: 'rejected' })).status).toBe(400);
    const res = await decide(inspector, filed.trackingNo, { to: 'rejected', reasonCode: 'time_barred' });
    expect(res.status).toBe(200);
    const mail = await eventually(async () => mailsTo(email).find((m) => m.parsed.subject?.includes('不予受理')));
    expect(mail.parsed.text).toContain('超过三年投诉时效');
    expect(mail.parsed.text).toContain('人民法院');
    // Tracking says the same, without the email: the API and the page.
    expect(await track(filed)).toMatchObject({
      status: 'rejected',
      reason: { code: 'time_barred', label: '超过三年投诉时效' },
      otherRemedies: expect.stringContaining('人民法院'),
    });
    const page = await new WebClient(env.app).trackingPage(filed.trackingNo, filed.accessCode);
    expect(page).toContain('超过三年投诉时效');
    expect(page).toContain('向仲裁机构申请仲裁');
  });

  it('mediation that ends without agreement tells the consumer where else to go; an agreement does not', async () => {
    const inspector = await signIn(env, demo.hongqi);
    const [failed, agreed] = await Promise.all(
      ['调解不成商户', '调解成功商户'].map((name) => fileRouted(scaleComplaint({ merchant: { name, districtCode: '410702' } }))),
    );
    for (const [f, outcome] of [
      [failed!, 'mediation_failed'],
      [agreed!, 'mediated_agreement'],
    ] as const) {
      expect((await decide(inspector, f.trackingNo, { to: 'accepted' })).status).toBe(200);
      expect((await decide(inspector, f.trackingNo, { to: 'closed', outcome })).status).toBe(200);
    }
    const failedView = await track(failed!);
    expect(failedView).toMatchObject({ status: 'closed', outcome: 'mediation_failed', otherRemedies: expect.stringContaining('仲裁') });
    expect(failedView.reason).toBeUndefined();
    const agreedView = await track(agreed!);
    expect(agreedView.otherRemedies).toBeUndefined();
    expect(agreedView.reason).toBeUndefined();
  });

  it('writes to an English-speaking consumer in English', async () => {
    const email = 'english@example.com';
    const filed = await fileRouted(
      scaleComplaint({ merchant: { name: '英文商户', districtCode: '410702' }, reporter: { email, language: 'en' } }),
    );
    const inspector = await signIn(env, demo.hongqi);
    expect((await decide(inspector, filed.trackingNo, { to: 'accepted' })).status).toBe(200);
    const mail = await eventually(async () => mailsTo(email).find((m) => m.parsed.subject?.includes('Accepted')));
    expect(mail.parsed.subject).toBe(`Your complaint ${filed.trackingNo}: Accepted`);
    expect(mail.parsed.text).toContain(`Your complaint ${filed.trackingNo} is now: Accepted.`);
    expect(mail.parsed.text).toContain(
      `Mediation ends by ${mediationEndDay(calendar, today(), 0)}; if there is no agreement by then it stops`,
    );
    // The link goes to the tracking page, never with the access code in it; no empty lines.
    expect(mail.parsed.text).toContain(`${env.config.baseUrl}/track with tracking number ${filed.trackingNo}`);
    expect(mail.parsed.text).not.toContain(filed.accessCode);
    expect(mail.parsed.text).not.toMatch(/\n\s*\n/);
  });

  it('an illegal move is a 409 naming the allowed targets', async () => {
    const filed = await fileRouted(scaleComplaint({ merchant: { name: '非法转换', districtCode: '410702' } }));
    const inspector = await signIn(env, demo.hongqi);
    const res = await decide(inspector, filed.trackingNo, { to: 'mediating' });
    expect(res.status).toBe(409);
    expect((await readJson(res)).error.details).toEqual({
      current: 'pending_acceptance',
      allowed: ['accepted', 'rejected', 'transferred', 'closed'],
    });
  });

  it('a tracking number with an encoded NUL is a 400 naming the parameter, not a database error', async () => {
    const inspector = await signIn(env, demo.hongqi);
    for (const segment of ['%00', 'T2026120100000000%00']) {
      const res = await decide(inspector, segment, { to: 'accepted' });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.details).toEqual([expect.objectContaining({ field: 'param.trackingNo' })]);
    }
    // A number that cannot exist but is storable stays an unknown one.
    expect((await decide(inspector, 'not-a-number', { to: 'accepted' })).status).toBe(404);
  });

  it('a transfer re-enters pending at the other county with a new accept-by, out of the first bureau’s sight', async () => {
    const filed = await fileRouted(scaleComplaint({ merchant: { name: '转办商户', districtCode: '410702' } }));
    const hongqi = await signIn(env, demo.hongqi);
    const res = await decide(hongqi, filed.trackingNo, { to: 'transferred', toDistrictCode: '410802', note: '经营地在解放区' });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toMatchObject({
      status: 'pending_acceptance',
      jurisdictionCode: '410802',
      deadlines: { acceptBy: calendar.addWorkingDays(today(), 7) },
    });
    const view = await track(filed);
    expect(view.jurisdiction.code).toBe('410802');
    expect(view.timeline.map((t: { status: string }) => t.status).slice(-2)).toEqual(['transferred', 'pending_acceptance']);
    expect((await decide(hongqi, filed.trackingNo, { to: 'accepted' })).status).toBe(404);
    const jiefang = await signIn(env, demo.jiefang);
    expect((await decide(jiefang, filed.trackingNo, { to: 'accepted' })).status).toBe(200);
  });

  it('a case stays open while one of its items is, closes with the last, and closes when a transfer leaves it empty', async () => {
    const merchant = { name: '两件商户', districtCode: '410702' };
    const [first, second] = [await fileRouted(scaleComplaint({ merchant })), await fileRouted(scaleComplaint({ merchant }))];
    const caseOf = (trackingNo: string) =>
      env.db
        .selectFrom('items')
        .innerJoin('cases', 'cases.id', 'items.case_id')
        .select(['cases.id', 'cases.status', 'cases.closed_at'])
        .where('items.tracking_no', '=', trackingNo)
        .executeTakeFirstOrThrow();
    const shared = await caseOf(first.trackingNo);
    expect((await caseOf(second.trackingNo)).id).toBe(shared.id);
    const hongqi = await signIn(env, demo.hongqi);

    expect((await decide(hongqi, first.trackingNo, { to: 'rejected', reasonCode: 'time_barred' })).status).toBe(200);
    expect(await caseOf(first.trackingNo)).toMatchObject({ id: shared.id, status: 'open', closed_at: null });
    expect((await decide(hongqi, second.trackingNo, { to: 'closed', outcome: 'withdrawn' })).status).toBe(200);
    expect(await caseOf(second.trackingNo)).toMatchObject({ id: shared.id, status: 'closed', closed_at: expect.any(Date) });

    // A lone item transferred away leaves its case empty: that case closes, the item opens one at the other county.
    const moved = await fileRouted(scaleComplaint({ merchant: { name: '迁出商户', districtCode: '410702' } }));
    const before = await caseOf(moved.trackingNo);
    expect((await decide(hongqi, moved.trackingNo, { to: 'transferred', toDistrictCode: '410802' })).status).toBe(200);
    const after = await caseOf(moved.trackingNo);
    expect(after).toMatchObject({ status: 'open' });
    expect(after.id).not.toBe(before.id);
    const left = await env.db.selectFrom('cases').select('status').where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(left.status).toBe('closed');
  });

  it('refuses a decision read before a change to what it was computed from, even one that left the status as it was', async () => {
    const filed = await fileRouted(scaleComplaint({ merchant: { name: '版本商户', districtCode: '410702' } }));
    const hongqi = await signIn(env, demo.hongqi);
    /** Decides while another transaction makes `change` to the item between the decision's read and its write. */
    const decideAround = async (change: Record<string, unknown>) => {
      let decision: Promise<Response> | undefined;
      await env.db.transaction().execute(async (tx) => {
        await tx.selectFrom('items').select('id').where('tracking_no', '=', filed.trackingNo).forUpdate().execute();
        // The decision reads the item, then waits for this transaction's row lock to write it.
        decision = decide(hongqi, filed.trackingNo, { to: 'accepted' });
        await eventually(async () => {
          const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(env.db);
          return waiting.rows[0]!.n > 0;
        });
        await tx.updateTable('items').set(change).where('tracking_no', '=', filed.trackingNo).execute();
      });
      return decision!;
    };
    // As after a pause and a resume: the same status, other paused days.
    const refused = await decideAround({ paused_days: 3 });
    expect(refused.status).toBe(409);
    expect(await readJson(refused)).toMatchObject({ error: { code: 'conflict' } });
    expect((await track(filed)).status).toBe('pending_acceptance');
    // A write to nothing the decision depends on (the "received" email clearing the sealed code) does not stop it.
    expect((await decideAround({ access_code_sealed: null, updated_at: new Date() })).status).toBe(200);
    expect((await track(filed)).status).toBe('accepted');
  });

  it('closes a case whose last two items are decided at the same moment', async () => {
    const merchant = { name: '同时办结商户', districtCode: '410702' };
    const items = [await fileRouted(scaleComplaint({ merchant })), await fileRouted(scaleComplaint({ merchant }))];
    const hongqi = await signIn(env, demo.hongqi);
    let decisions: Array<Promise<Response>> = [];
    await env.db.transaction().execute(async (tx) => {
      await tx
        .selectFrom('items')
        .select('id')
        .where(
          'tracking_no',
          'in',
          items.map((i) => i.trackingNo),
        )
        .forUpdate()
        .execute();
      // Both decisions read and start their writes before either commits: neither sees the other item finished.
      decisions = items.map((i) => decide(hongqi, i.trackingNo, { to: 'closed', outcome: 'withdrawn' }));
      await eventually(async () => {
        const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(env.db);
        return waiting.rows[0]!.n >= 2;
      });
    });
    expect((await Promise.all(decisions)).map((r) => r.status)).toEqual([200, 200]);
    const cases = await env.db
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .select(['cases.id', 'cases.status'])
      .where(
        'items.tracking_no',
        'in',
        items.map((i) => i.trackingNo),
      )
      .execute();
    expect(new Set(cases.map((c) => c.id)).size).toBe(1);
    expect(cases.map((c) => c.status)).toEqual(['closed', 'closed']);
  });

  it('leaves a case open when an item joins it while its last open item is being closed', async () => {
    const last = await fileRouted(scaleComplaint({ merchant: { name: '加入商户', districtCode: '410702' } }));
    const joining = await fileRouted(scaleComplaint({ merchant: { name: '另一商户', districtCode: '410702' } }));
    const caseId = (await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', last.trackingNo).executeTakeFirstOrThrow())
      .case_id!;
    const hongqi = await signIn(env, demo.hongqi);
    let decision: Promise<Response> | undefined;
    await env.db.transaction().execute(async (tx) => {
      // As routing does: it holds the case's row (merging priorities) and puts an open item in it, not yet committed.
      await tx
        .updateTable('cases')
        .set({ priority: sql`priority` })
        .where('id', '=', caseId)
        .execute();
      await tx.updateTable('items').set({ case_id: caseId }).where('tracking_no', '=', joining.trackingNo).execute();
      decision = decide(hongqi, last.trackingNo, { to: 'closed', outcome: 'withdrawn' });
      // The decision commits, then its case check waits for the case's row.
      await eventually(async () => {
        const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(env.db);
        return waiting.rows[0]!.n > 0;
      });
    });
    expect((await decision!).status).toBe(200);
    const theCase = await env.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(theCase.status).toBe('open');
    expect((await track(joining)).status).toBe('pending_acceptance');
  });

  it('pausing for testing stops the mediation clock and resuming restarts it', async () => {
    const filed = await fileRouted(scaleComplaint({ merchant: { name: '检测商户', districtCode: '410702' } }));
    const inspector = await signIn(env, demo.hongqi);
    await decide(inspector, filed.trackingNo, { to: 'accepted' });
    expect((await decide(inspector, filed.trackingNo, { to: 'paused_for_testing', note: '送检' })).status).toBe(200);
    // Pretend the pause began nine days ago (the lab took nine days).
    const item = await env.db
      .selectFrom('items')
      .select(['id', 'accepted_at'])
      .where('tracking_no', '=', filed.trackingNo)
      .executeTakeFirstOrThrow();
    const nineDaysAgo = new Date(Date.now() - 9 * 86_400_000);
    await env.db
      .updateTable('items')
      .set({ paused_at: nineDaysAgo, accepted_at: new Date(nineDaysAgo.getTime() - 86_400_000) })
      .where('id', '=', item.id)
      .execute();
    const resumed = await readJson(await decide(inspector, filed.trackingNo, { to: 'mediating' }));
    const accepted = shanghaiDate(new Date(nineDaysAgo.getTime() - 86_400_000));
    expect(resumed.deadlines.mediationEndsBy).toBe(mediationEndDay(calendar, accepted, 9));
    expect(resumed.deadlines.mediationEndsBy).not.toBe(mediationEndDay(calendar, accepted, 0));
  });

  it('a regulator extends a report’s verification once, by 15 working days, with a reason; an inspector cannot', async () => {
    const filed = await fileRouted(ebikeReport({ merchant: { name: '延期车行', districtCode: '410702' } }));
    const inspector = await signIn(env, demo.hongqi);
    const regulator = await signIn(env, demo.regulator);
    const before = (await track(filed)).deadlines.verifyBy;
    // The regulator's case page offers the extension while it is open to them.
    const page = new WebClient(env.app);
    await page.signInStaff(demo.regulator, DEMO_PASSWORD);
    const caseId = (
      await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', filed.trackingNo).executeTakeFirstOrThrow()
    ).case_id!;
    const offersExtension = async () =>
      (await (await page.request(`/staff/cases/${caseId}`)).text()).includes('name="to" value="pending_verification"');
    expect(await offersExtension()).toBe(true);
    expect(
      (await decide(inspector, filed.trackingNo, { to: 'pending_verification', reasonCode: 'extension', note: '待检测' })).status,
    ).toBe(403);
    const res = await decide(regulator, filed.trackingNo, {
      to: 'pending_verification',
      reasonCode: 'extension',
      note: '需委托检测机构检测',
    });
    expect(res.status).toBe(200);
    expect((await readJson(res)).deadlines.verifyBy).toBe(calendar.addWorkingDays(before, 15));
    expect((await decide(regulator, filed.trackingNo, { to: 'pending_verification', reasonCode: 'extension', note: 'again' })).status).toBe(
      409,
    );
    expect(await offersExtension()).toBe(false); // once
    expect((await decide(inspector, filed.trackingNo, { to: 'case_filed' })).status).toBe(200);
  });

  it('a verification period that has ended cannot be extended: the missed deadline stays missed', async () => {
    const filed = await fileRouted(ebikeReport({ merchant: { name: '逾期车行', districtCode: '410702' } }));
    const regulator = await signIn(env, demo.regulator);
    // Deadlines end with their Shanghai day: this one ended with yesterday.
    const ended = endOfShanghaiDay(addDays(today(), -1));
    await env.db.updateTable('items').set({ verify_by: ended }).where('tracking_no', '=', filed.trackingNo).execute();
    const res = await decide(regulator, filed.trackingNo, { to: 'pending_verification', reasonCode: 'extension', note: '补批' });
    expect(res.status).toBe(409);
    // Nor does the case page offer it.
    const page = new WebClient(env.app);
    await page.signInStaff(demo.regulator, DEMO_PASSWORD);
    const caseId = (
      await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', filed.trackingNo).executeTakeFirstOrThrow()
    ).case_id!;
    expect(await (await page.request(`/staff/cases/${caseId}`)).text()).not.toContain('name="to" value="pending_verification"');
    expect(await readJson(res)).toMatchObject({ error: { code: 'conflict', details: { verifyBy: shanghaiDate(ended) } } });
    expect(await track(filed)).toMatchObject({ status: 'pending_verification', deadlines: { verifyBy: shanghaiDate(ended) } });
  });

  it('concurrent decisions on one item: exactly one wins, the others get 409', async () => {
    const filed = await fileRouted(scaleComplaint({ merchant: { name: '并发商户', districtCode: '410702' } }));
    const a = await signIn(env, demo.hongqi);
    const b = await signIn(env, demo.hongqi2);
    const results = await Promise.all([
      decide(a, filed.trackingNo, { to: 'accepted' }),
      decide(b, filed.trackingNo, { to: 'rejected', reasonCode: 'outside_scope' }),
      decide(a, filed.trackingNo, { to: 'accepted' }),
      decide(b, filed.trackingNo, { to: 'accepted' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const events = await env.db
      .selectFrom('item_events')
      .innerJoin('items', 'items.id', 'item_events.item_id')
      .select('to_status')
      .where('items.tracking_no', '=', filed.trackingNo)
      .where('actor_type', '=', 'staff')
      .execute();
    expect(events).toHaveLength(1);
  });
});

describe('the case queue', () => {
  it('lists cases with masked contact, most urgent first, and a supervisor above the county sees masked details', async () => {
    await fileRouted(
      scaleComplaint({
        merchant: { name: '掩码商户', districtCode: '410702' },
        reporter: { name: '王小明', phone: '13800001111', email: 'mask@example.com' },
      }),
    );
    const regulator = await signIn(env, demo.regulator);
    const list = await readJson(await env.app.request('/api/v1/cases?queue=metrology', { headers: regulator }));
    const priorities = list.map((c: { priority: number }) => c.priority);
    expect(priorities).toEqual([...priorities].sort());
    const masked = list
      .flatMap((c: { items: Array<{ reporter: Record<string, string> }> }) => c.items)
      .find((i: { reporter: { email: string | null } }) => i.reporter.email === 'm***@example.com');
    expect(masked.reporter).toEqual({ name: '王**', phone: '138****1111', email: 'm***@example.com' });
    const caseId = list.find((c: { merchantName: string }) => c.merchantName === '掩码商户').id;
    const detail = await readJson(await env.app.request(`/api/v1/cases/${caseId}`, { headers: regulator }));
    expect(detail.contactDetails).toBe('masked');
    expect(JSON.stringify(detail)).not.toContain('13800001111');
  });

  it('answers 204 when nothing is claimable, and lets the assignee release and a regulator reassign', async () => {
    const jiefang = await signIn(env, demo.jiefang);
    while ((await postJson(env.app, '/api/v1/cases/claim', {}, jiefang)).status === 200) {
      // drain 410802
    }
    expect((await postJson(env.app, '/api/v1/cases/claim', {}, jiefang)).status).toBe(204);

    await fileRouted(scaleComplaint({ merchant: { name: '释放商户', districtCode: '410702' } }));
    const hongqi = await signIn(env, demo.hongqi);
    const claimed = await readJson(await postJson(env.app, '/api/v1/cases/claim', {}, hongqi));
    expect((await postJson(env.app, `/api/v1/cases/${claimed.id}/release`, {}, hongqi)).status).toBe(204);
    const regulator = await signIn(env, demo.regulator);
    const staff2 = await env.db.selectFrom('staff').select('id').where('email', '=', demo.hongqi2).executeTakeFirstOrThrow();
    expect((await postJson(env.app, `/api/v1/cases/${claimed.id}/assign`, { inspectorId: staff2.id }, regulator)).status).toBe(204);
    const jiefangId = await env.db.selectFrom('staff').select('id').where('email', '=', demo.jiefang).executeTakeFirstOrThrow();
    expect((await postJson(env.app, `/api/v1/cases/${claimed.id}/assign`, { inspectorId: jiefangId.id }, regulator)).status).toBe(400);
    expect((await postJson(env.app, `/api/v1/cases/${claimed.id}/assign`, { inspectorId: staff2.id }, hongqi)).status).toBe(403);
    const detail = await readJson(await env.app.request(`/api/v1/cases/${claimed.id}`, { headers: regulator }));
    expect(detail.claimedBy).toBe(staff2.id);
  });
});
