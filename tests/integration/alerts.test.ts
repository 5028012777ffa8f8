import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedToken } from '../../shared/crypto/index.js';
import { runHousekeeping } from '../../workers/housekeeping.js';
import { eventually, postJson, readJson, settled, type TestEnv } from '../support/env.js';
import { publishedRecall } from '../support/recalls.js';
import { startSmtpServer, type ReceivedMail } from '../support/smtp.js';
import { demo, signIn, startCaseworkEnv } from '../support/staff.js';

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let stop: () => Promise<void>;
let regulator: Record<string, string>;

beforeAll(async () => {
  ({ env, smtp, stop } = await startCaseworkEnv({ PUBLIC_URL: 'https://recalls.example.gov.cn/' }));
  regulator = await signIn(env, demo.regulator);
});
afterAll(() => stop());

const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.some((to) => to.toLowerCase() === address.toLowerCase()));
const header = (m: ReceivedMail, name: string) => m.parsed.headers.find((h) => h.key === name.toLowerCase())?.value;

async function subscribe(email: string, filters: Record<string, unknown> = {}, language?: string) {
  const res = await postJson(env.app, '/api/v1/alerts/subscriptions', { email, filters, ...(language ? { language } : {}) });
  expect(res.status).toBe(202);
  expect(await readJson(res)).toEqual({ status: 'confirmation_sent', expiresInHours: 48 });
}
async function confirmationLink(email: string, nth = 0) {
  const mail = await eventually(
    async () => mailsTo(email).filter((m) => /确认订阅|Confirm your recall alerts/.test(m.parsed.subject ?? ''))[nth],
  );
  const url = /https:\/\/recalls\.example\.gov\.cn\/alerts\/confirm\?token=[\w.-]+/.exec(mail.parsed.text ?? '')?.[0];
  expect(url).toBeDefined();
  return new URL(url!);
}
/** What the confirmation page's button does, through the API. */
const confirm = (url: URL) => postJson(env.app, '/api/v1/alerts/confirm', { token: url.searchParams.get('token') });
const statusOf = async (email: string) =>
  (await env.db.selectFrom('alert_subscriptions').select('status').where('email', '=', email).executeTakeFirstOrThrow()).status;
const alertsTo = (email: string, recallNo: string) => mailsTo(email).filter((m) => m.parsed.subject?.includes(recallNo));

describe('recall alerts: double opt-in, one-click unsubscription', () => {
  it('alerts only once confirmed; every alert carries List-Unsubscribe and one POST to it stops the next', async () => {
    const email = 'Alerts.Fan@example.com';
    await subscribe(email, { brands: ['贝 贝'] }, 'en');
    const link = await confirmationLink(email);
    const before = await publishedRecall(env, regulator, { brand: '贝贝', title: '确认前的召回' });
    await settled(env); // the recall's fan-out has run
    expect(alertsTo(email, before)).toHaveLength(0);

    // A GET on the link (a mail scanner, a preview) confirms nothing; it shows a page whose button does.
    const confirmPage = await env.app.request(`${link.pathname}${link.search}`);
    expect(confirmPage.status).toBe(200);
    const confirmHtml = await confirmPage.text();
    expect(confirmHtml).toContain('<form method="post" action="/alerts/confirm">');
    expect(confirmHtml).toContain('A***@example.com');
    expect(await statusOf(email)).toBe('pending');

    const confirmed = await confirm(link);
    expect(confirmed.status).toBe(200);
    expect(await readJson(confirmed)).toEqual({ status: 'confirmed', filters: { categories: [], brands: ['贝 贝'], models: [] } });
    expect((await confirm(link)).status).toBe(200); // a second click changes nothing

    const recallNo = await publishedRecall(env, regulator, { brand: '贝贝', title: '确认后的召回' });
    const alert = await eventually(async () => alertsTo(email, recallNo)[0]);
    expect(alert.parsed.subject).toBe(`[Recall alert ${recallNo}] 确认后的召回`);
    const listUnsubscribe = header(alert, 'List-Unsubscribe')!;
    const [https, mailto] = /^<([^>]+)>,\s*<([^>]+)>$/.exec(listUnsubscribe.replace(/\s+/g, ' ').trim())!.slice(1);
    expect(https).toMatch(/^https:\/\/recalls\.example\.gov\.cn\/alerts\/unsubscribe\/\d+\.[\w-]{32}$/);
    expect(mailto).toMatch(/^mailto:noreply@samr\.demo\.local\?subject=unsubscribe%20\d+\.[\w-]{32}$/);
    expect(header(alert, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(alert.parsed.messageId).toMatch(/@cpt\.recalls>$/);
    expect(alert.parsed.text).toContain(https);

    // A GET (a link scanner, a preview) never unsubscribes; it shows a button.
    const path = new URL(https!).pathname;
    const page = await env.app.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain(`<form method="post" action="${path}">`);
    expect(await statusOf(email)).toBe('confirmed');

    // RFC 8058: the mailbox provider's server POSTs a form, with no cookie, CSRF token or Origin; no sign-in, no redirect.
    const oneClick = await env.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('已退订');
    expect(await statusOf(email)).toBe('unsubscribed');
    const again = await env.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--',
    });
    expect(again.status).toBe(200); // again: the same answer
    const api = await env.app.request(`/api/v1/alerts/unsubscribe/${path.split('/').pop()}`, { method: 'POST' });
    expect(await readJson(api)).toEqual({ status: 'unsubscribed' });
    expect(await (await env.app.request(path)).text()).toContain('已退订');

    const after = await publishedRecall(env, regulator, { brand: '贝贝', title: '退订后的召回' });
    expect(await statusOf(email)).toBe('unsubscribed');
    await eventually(async () => {
      const state = await readJson(await env.app.request(`/api/v1/recalls/${after}/record`, { headers: regulator }));
      return state.fanOut?.complete && state.fanOut.queued === 0;
    });
    expect(alertsTo(email, after)).toHaveLength(0);
  });

  it('lets a confirmation lapse after 48 hours; housekeeping then deletes it', async () => {
    const email = 'late@example.com';
    await subscribe(email);
    const link = await confirmationLink(email);
    await env.db
      .updateTable('alert_subscriptions')
      .set({ requested_at: new Date(Date.now() - 48 * 3600_000 - 60_000) })
      .where('email', '=', email)
      .execute();
    const res = await confirm(link);
    expect(res.status).toBe(410);
    expect((await readJson(res)).error.code).toBe('gone');
    expect((await env.app.request(`${link.pathname}${link.search}`)).status).toBe(410); // the page says so too
    const ctx = env.workers!.context;
    expect((await runHousekeeping(ctx)).lapsedSubscriptions).toBe(1);
    expect(await env.db.selectFrom('alert_subscriptions').select('id').where('email', '=', email).execute()).toEqual([]);
    expect((await confirm(link)).status).toBe(404);
  });

  it('voids an older link when the address asks again, sends one email a minute at most, and refuses forged tokens', async () => {
    const email = 'twice@example.com';
    await subscribe(email, { models: ['X-1'] });
    await subscribe(email, { models: ['X-2'] }); // within a minute: no second email, the first link stands
    const first = await confirmationLink(email);
    await settled(env); // the second request's work is done
    expect(mailsTo(email)).toHaveLength(1);

    await env.db
      .updateTable('alert_subscriptions')
      .set({ requested_at: new Date(Date.now() - 120_000) })
      .where('email', '=', email)
      .execute();
    await subscribe(email, { models: ['X-3'] });
    const second = await confirmationLink(email, 1);
    expect((await confirm(first)).status).toBe(404);
    expect(await readJson(await confirm(second))).toMatchObject({ status: 'confirmed', filters: { models: ['X-3'] } });

    const id = (await env.db.selectFrom('alert_subscriptions').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const forged = [
      `${id}.${'A'.repeat(32)}`,
      signedToken('another-secret-0123456789abcdefghijklmnopqrstuvwxyz', 'alert-unsubscribe', id),
      signedToken(env.config.AUTH_SECRET, 'alert-confirm', id), // minted for another purpose
      `${id}`,
      '../../etc',
    ];
    for (const token of forged) {
      const res = await env.app.request(`/api/v1/alerts/unsubscribe/${encodeURIComponent(token)}`, { method: 'POST' });
      expect(res.status).toBe(404);
      const page = await env.app.request(`/alerts/unsubscribe/${encodeURIComponent(token)}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
      });
      expect([403, 404]).toContain(page.status);
    }
    expect((await env.db.selectFrom('alert_subscriptions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe(
      'confirmed',
    );
    expect((await postJson(env.app, '/api/v1/alerts/confirm', { token: `${id}.${'B'.repeat(32)}` })).status).toBe(404);
    expect((await env.app.request(`/alerts/confirm?token=${id}.${'B'.repeat(32)}`)).status).toBe(404);
    expect((await env.app.request(`/api/v1/alerts/confirm?token=${id}.${'B'.repeat(32)}`)).status).toBe(404); // no GET confirms
  });

  it('matches filters by category, brand or manufacturer, and model', async () => {
    const subs = {
      'cat@example.com': { categories: ['ebike'] },
      'brand@example.com': { brands: ['凤凰'] },
      'maker@example.com': { brands: ['凤凰车业有限公司'] },
      'model@example.com': { models: ['ph 1'] },
      'other@example.com': { brands: ['永久'], models: ['YJ-1'] },
      'everything@example.com': {},
    };
    for (const [email, filters] of Object.entries(subs)) {
      await subscribe(email, filters);
      expect((await confirm(await confirmationLink(email))).status).toBe(200);
    }
    const recallNo = await publishedRecall(env, regulator, {
      category: 'ebike',
      brand: '凤凰',
      manufacturer: { name: '凤凰车业有限公司' },
      models: ['PH-1'],
      batches: [],
      title: '凤凰电动自行车召回',
    });
    for (const email of ['cat@example.com', 'brand@example.com', 'maker@example.com', 'model@example.com', 'everything@example.com']) {
      await eventually(async () => alertsTo(email, recallNo).length === 1);
    }
    await eventually(
      async () => (await readJson(await env.app.request(`/api/v1/recalls/${recallNo}/record`, { headers: regulator }))).fanOut.queued === 0,
    );
    expect(alertsTo('other@example.com', recallNo)).toHaveLength(0);
  });

  it('refuses bad subscriptions naming each field', async () => {
    const res = await postJson(env.app, '/api/v1/alerts/subscriptions', {
      email: 'nope',
      filters: { categories: ['food'], models: ['--'] },
      x: 1,
    });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['email', 'filters.categories.0', 'filters.models.0', 'x']),
    );
  });
});
