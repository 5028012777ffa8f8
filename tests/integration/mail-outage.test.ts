import { afterEach, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { childProductComplaint } from '../support/fixtures.js';
import { publishedRecall } from '../support/recalls.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, seedStaff, signIn } from '../support/staff.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

/**
 * Mail through an SMTP outage. Backoff is shortened through configuration (50 ms doubling up to 500 ms) so that an
 * outage of 30+ attempts — far more than a fixed attempt limit survives (the old 8 attempts at 1 s doubling gave up
 * after about two minutes) — passes in some 15 s; the 48-hour window stays the default.
 */
const FAST_RETRY = { MAIL_RETRY_BASE_MS: '50', MAIL_RETRY_MAX_DELAY_MS: '500' };
const OUTAGE_ATTEMPTS = 30;
const OUTAGE_TIMEOUT_MS = 150_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** A real SMTP server behind a proxy the test can cut (connection refused), and the app with workers sending to it. */
async function startMailEnv(smtpOptions = '') {
  const smtp = await startSmtpServer();
  cleanups.push(() => smtp.close());
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: smtp.port });
  cleanups.push(() => proxy.close());
  const env = await createTestEnv({
    SMTP_URL: `smtp://127.0.0.1:${proxy.port}${smtpOptions}`,
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    ...FAST_RETRY,
  });
  cleanups.push(() => env.close());
  await seedStaff(env);
  const regulator = await signIn(env, demo.regulator);
  await env.startWorkers();
  return { smtp, proxy, env, regulator };
}

const consumers = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i}@example.com`);

/**
 * Files one complaint about the recalled product per address and waits until triage has noted every product (so a
 * recall published next reaches them), then publishes the recall and waits for its notice rows.
 */
async function fileAndRecall(env: TestEnv, regulator: Record<string, string>, emails: string[], subscriber: string) {
  const filed = await Promise.all(
    emails.map(async (email) => {
      const res = await postJson(
        env.app,
        '/api/v1/complaints',
        childProductComplaint({ product: { brand: '乐童', model: 'LT-100', batch: '20260901' }, reporter: { email } }),
      );
      expect(res.status).toBe(201);
      return (await readJson(res)) as { trackingNo: string; accessCode: string };
    }),
  );
  await eventually(async () => (await env.db.selectFrom('item_products').select('item_id').execute()).length >= emails.length, 30_000);
  await env.db
    .insertInto('alert_subscriptions')
    .values({ email: subscriber, status: 'confirmed', nonce: 'n', confirmed_at: new Date() })
    .execute();
  const recallNo = await publishedRecall(env, regulator);
  const recall = await env.db.selectFrom('recalls').select('id').where('recall_no', '=', recallNo).executeTakeFirstOrThrow();
  await eventually(async () => {
    const n = await env.db.selectFrom('recall_notices').select('id').where('recall_id', '=', recall.id).execute();
    return n.length === emails.length + 1;
  }, 30_000);
  return { filed, recallNo, recallId: recall.id };
}

/** Every mail row: the transactional notifications and the recall notices. */
async function mailRows(env: TestEnv) {
  const notifications = await env.db
    .selectFrom('notifications')
    .select(['id', 'template', 'status', 'attempts', 'message_id', 'last_error'])
    .execute();
  const notices = await env.db
    .selectFrom('recall_notices')
    .select(['id', 'recipient', 'status', 'attempts', 'message_id', 'last_error'])
    .execute();
  return [
    ...notifications.map((n) => ({ ...n, table: 'notifications' as const })),
    ...notices.map((n) => ({ ...n, table: 'recall_notices' as const })),
  ];
}

/**
 * Waits until every mail row has failed at least `attempts` times and is still queued. A row that was given up
 * meanwhile fails the test at once: a transient failure must never be final within the retry window.
 */
async function waitOutOutage(env: TestEnv, attempts: number, failure: RegExp) {
  let givenUp: unknown[] = [];
  await eventually(async () => {
    const rows = await mailRows(env);
    givenUp = rows.filter((r) => r.status !== 'queued');
    return givenUp.length > 0 || (rows.length > 0 && rows.every((r) => r.attempts >= attempts));
  }, OUTAGE_TIMEOUT_MS);
  if (givenUp.length > 0) throw new Error(`mail given up during a transient outage: ${JSON.stringify(givenUp)}`);
  // The failures were the outage's, not something else's.
  for (const r of await mailRows(env)) expect(r.last_error, `${r.table} ${r.id}`).toMatch(failure);
}

/** The Message-ID without its angle brackets, as postal-mime and nodemailer may differ on them. */
const bare = (id: string | null | undefined) => (id ?? '').replace(/^<|>$/g, '');

/**
 * Every mail row is sent, and the server received exactly one message per row: one per Message-ID, the set of
 * Message-IDs being the rows'. Nothing is in dead_letters.
 */
async function expectAllDeliveredOnce(env: TestEnv, smtp: Awaited<ReturnType<typeof startSmtpServer>>) {
  const rows = await eventually(async () => {
    const all = await mailRows(env);
    return (all.some((r) => r.status === 'failed') || all.every((r) => r.status === 'sent')) && all;
  }, 30_000);
  expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
  const perId = new Map<string, number>();
  for (const m of smtp.received) perId.set(bare(m.parsed.messageId), (perId.get(bare(m.parsed.messageId)) ?? 0) + 1);
  expect([...perId.keys()].sort()).toEqual(rows.map((r) => bare(r.message_id)).sort());
  expect(
    [...perId.values()].every((n) => n === 1),
    JSON.stringify([...perId]),
  ).toBe(true);
  expect(await env.db.selectFrom('dead_letters').select(['queue', 'error']).execute()).toEqual([]);
  return rows;
}

/** Each consumer got their access code once, and the recall notice once; the subscriber the notice once. */
function expectEveryRecipientServed(
  smtp: Awaited<ReturnType<typeof startSmtpServer>>,
  filed: Array<{ trackingNo: string; accessCode: string }>,
  emails: string[],
  subscriber: string,
  recallNo: string,
) {
  const to = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));
  emails.forEach((email, i) => {
    const mails = to(email);
    const codes = mails.filter((m) => m.parsed.text?.includes(filed[i]!.accessCode));
    const notices = mails.filter((m) => m.parsed.subject?.includes(recallNo));
    expect(codes, `${email}: access-code emails`).toHaveLength(1);
    expect(notices, `${email}: recall notices`).toHaveLength(1);
  });
  expect(to(subscriber).filter((m) => m.parsed.subject?.includes(recallNo))).toHaveLength(1);
}

describe('mail through an SMTP outage', () => {
  it(
    'keeps retrying while the server refuses connections for 30+ attempts, then delivers every message exactly once',
    async () => {
      const { smtp, proxy, env, regulator } = await startMailEnv();
      await proxy.cut();
      const emails = consumers('refused', 4);
      const { filed, recallNo } = await fileAndRecall(env, regulator, emails, 'refused.sub@example.com');

      await waitOutOutage(env, OUTAGE_ATTEMPTS, /ECONNREFUSED/);
      expect(smtp.received).toEqual([]);
      const rows = await mailRows(env);
      expect(rows.filter((r) => r.table === 'notifications').length).toBeGreaterThanOrEqual(emails.length);
      expect(rows.filter((r) => r.table === 'recall_notices')).toHaveLength(emails.length + 1);

      await proxy.restore();
      await expectAllDeliveredOnce(env, smtp);
      expectEveryRecipientServed(smtp, filed, emails, 'refused.sub@example.com', recallNo);
    },
    OUTAGE_TIMEOUT_MS * 2,
  );

  it(
    'keeps retrying through 421 greetings and then 451 replies to RCPT TO, then delivers every message exactly once',
    async () => {
      const { smtp, env, regulator } = await startMailEnv();
      smtp.faults.greeting = { code: 421, message: 'Service not available, closing transmission channel' };
      const emails = consumers('tempfail', 4);
      const { filed, recallNo } = await fileAndRecall(env, regulator, emails, 'tempfail.sub@example.com');

      await waitOutOutage(env, OUTAGE_ATTEMPTS / 2, /421/);
      smtp.faults.greeting = undefined;
      smtp.faults.rcpt = () => ({ code: 451, message: 'Requested action aborted: local error in processing' });
      await waitOutOutage(env, OUTAGE_ATTEMPTS, /451/);
      expect(smtp.received).toEqual([]);
      // The 451s were retried too: each consumer's two messages were offered more than once each.
      for (const email of emails) expect(smtp.rcptAttempts.get(email)).toBeGreaterThanOrEqual(4);

      smtp.faults.rcpt = undefined;
      await expectAllDeliveredOnce(env, smtp);
      expectEveryRecipientServed(smtp, filed, emails, 'tempfail.sub@example.com', recallNo);
    },
    OUTAGE_TIMEOUT_MS * 3,
  );

  it(
    'keeps retrying while the server accepts connections but never answers (timeouts), then delivers every message once',
    async () => {
      // Client timeouts shortened through the URL (nodemailer reads its options from the query), so one stalled attempt
      // takes 300 ms rather than the default 30 s wait for a greeting.
      const { smtp, proxy, env, regulator } = await startMailEnv('/?connectionTimeout=300&greetingTimeout=300&socketTimeout=1000');
      proxy.pause();
      const emails = consumers('stalled', 2);
      const { filed, recallNo } = await fileAndRecall(env, regulator, emails, 'stalled.sub@example.com');

      // More attempts than the old fixed limit of 8 allowed.
      await waitOutOutage(env, 10, /timeout|timed out|greeting never received/i);
      expect(smtp.received).toEqual([]);
      proxy.resume();
      await expectAllDeliveredOnce(env, smtp);
      expectEveryRecipientServed(smtp, filed, emails, 'stalled.sub@example.com', recallNo);
    },
    OUTAGE_TIMEOUT_MS * 2,
  );

  it(
    'keeps retrying while the relay refuses the sender (5xx to MAIL FROM: not the recipient’s failure), then delivers',
    async () => {
      const { smtp, env, regulator } = await startMailEnv();
      smtp.faults.mailFrom = { code: 550, message: '5.7.1 Sender address rejected: not permitted to relay' };
      const emails = consumers('sender', 2);
      const { filed, recallNo } = await fileAndRecall(env, regulator, emails, 'sender.sub@example.com');

      await waitOutOutage(env, 5, /550/);
      smtp.faults.mailFrom = undefined;
      await expectAllDeliveredOnce(env, smtp);
      expectEveryRecipientServed(smtp, filed, emails, 'sender.sub@example.com', recallNo);
    },
    OUTAGE_TIMEOUT_MS * 2,
  );

  it('gives up a message at once when the server answers 550 for its recipient, and delivers the others', async () => {
    const { smtp, env, regulator } = await startMailEnv();
    const bounce = 'no.such.mailbox@example.com';
    smtp.faults.rcpt = (address) => (address === bounce ? { code: 550, message: 'No such user here' } : undefined);
    const emails = [...consumers('fine', 3), bounce];
    const { filed, recallNo, recallId } = await fileAndRecall(env, regulator, emails, 'fine.sub@example.com');
    const bounceItem = await env.db
      .selectFrom('items')
      .select('id')
      .where('tracking_no', '=', filed[3]!.trackingNo)
      .executeTakeFirstOrThrow();

    // The bounced recipient's two messages (access code and recall notice) fail for good after one attempt each.
    const bounced = await eventually(async () => {
      const n = await env.db
        .selectFrom('notifications')
        .select(['status', 'attempts', 'last_error'])
        .where('item_id', '=', bounceItem.id)
        .where('template', '=', 'complaint_received')
        .executeTakeFirst();
      const r = await env.db
        .selectFrom('recall_notices')
        .select(['status', 'attempts', 'last_error'])
        .where('recall_id', '=', recallId)
        .where('recipient', '=', bounce)
        .executeTakeFirst();
      return n?.status === 'failed' && r?.status === 'failed' && { n, r };
    }, 30_000);
    expect(bounced.n).toMatchObject({ attempts: 1, last_error: expect.stringContaining('550') });
    expect(bounced.r).toMatchObject({ attempts: 1, last_error: expect.stringContaining('550') });

    // Everything else goes through, once.
    const sent = await eventually(async () => {
      const rows = await mailRows(env);
      const others = rows.filter((r) => r.status !== 'failed');
      return others.every((r) => r.status === 'sent') && others;
    }, 30_000);
    expect((await mailRows(env)).filter((r) => r.status === 'failed')).toHaveLength(2);
    const perId = new Map<string, number>();
    for (const m of smtp.received) perId.set(bare(m.parsed.messageId), (perId.get(bare(m.parsed.messageId)) ?? 0) + 1);
    expect([...perId.keys()].sort()).toEqual(sent.map((r) => bare(r.message_id)).sort());
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    expectEveryRecipientServed(smtp, filed.slice(0, 3), emails.slice(0, 3), 'fine.sub@example.com', recallNo);
    expect(smtp.received.filter((m) => m.envelopeTo.includes(bounce))).toEqual([]);
    // One RCPT TO per message for the bounced address: neither was tried again.
    expect(smtp.rcptAttempts.get(bounce)).toBe(2);

    // Each was given up as a dead letter on its first attempt, for a person to look at; nothing else was.
    const dead = await env.db.selectFrom('dead_letters').select(['queue', 'attempts', 'error']).orderBy('queue').execute();
    expect(dead).toEqual([
      { queue: 'bulk-mail', attempts: 1, error: expect.stringContaining('permanent delivery failure') },
      { queue: 'notify', attempts: 1, error: expect.stringContaining('permanent delivery failure') },
    ]);
  }, 120_000);
});
