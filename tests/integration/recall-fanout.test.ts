import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintInput } from '../../shared/complaints/index.js';
import type { JobPayload, JobQueueName } from '../../shared/queue/index.js';
import type { WorkerContext } from '../../workers/index.js';
import { fanOutRecall } from '../../workers/recall-fanout.js';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { childProductComplaint, scaleComplaint } from '../support/fixtures.js';
import { publishedRecall, uscc } from '../support/recalls.js';
import type { startSmtpServer } from '../support/smtp.js';
import { demo, seedStaff, signIn, startCaseworkEnv } from '../support/staff.js';

const MAKER = uscc('91410702MA44XW3R1');

async function confirmedSubscribers(env: TestEnv, n: number, prefix: string) {
  for (let i = 0; i < n; i += 500) {
    await env.db
      .insertInto('alert_subscriptions')
      .values(
        Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
          email: `${prefix}${i + j}@example.com`,
          status: 'confirmed' as const,
          nonce: 'n',
          confirmed_at: new Date(),
        })),
      )
      .execute();
  }
}

describe('fan-out of a published recall', () => {
  let env: TestEnv;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let stop: () => Promise<void>;
  let regulator: Record<string, string>;
  beforeAll(async () => {
    ({ env, smtp, stop } = await startCaseworkEnv());
    regulator = await signIn(env, demo.regulator);
  });
  afterAll(() => stop());

  async function fileAll(bodies: ComplaintInput[]) {
    const filed = await Promise.all(bodies.map(async (b) => readJson(await postJson(env.app, '/api/v1/complaints', b))));
    await eventually(async () => {
      const routed = await env.db.selectFrom('item_products').select('item_id').execute();
      return routed.length >= bodies.length;
    });
    return filed;
  }

  it('reaches exactly the consumers, merchants and subscribers the rules name, once each, with the recall number in every subject', async () => {
    const item = (email: string | undefined, product: ComplaintInput['product'], merchant?: ComplaintInput['merchant']) =>
      childProductComplaint({
        product,
        reporter: email ? { email } : {},
        ...(merchant ? { merchant } : {}),
      });
    await fileAll([
      item(
        'listed.batch@example.com',
        { brand: '乐童', model: 'LT-100', batch: '20260901' },
        { name: '甲店', districtCode: '410702', email: 'shop.a@example.com' },
      ),
      item('no.batch@example.com', { brand: '乐 童', model: 'ｌｔ １００' }),
      item(
        'other.batch@example.com',
        { brand: '乐童', model: 'LT-100', batch: '20261001' },
        { name: '乙店', districtCode: '410702', email: 'shop.b@example.com' },
      ),
      item('other.model@example.com', { brand: '乐童', model: 'LT-300' }),
      item('maker.uscc@example.com', { brand: '贴牌', model: 'LT 200', manufacturerUscc: MAKER }),
      item('maker.other.uscc@example.com', {
        brand: '贴牌',
        model: 'LT-200',
        manufacturer: '乐童玩具有限公司',
        manufacturerUscc: uscc('91410702MA44XW3R2'),
      }),
      item('maker.name@example.com', { brand: '贴牌', model: 'LT-200', manufacturer: '乐童 玩具 有限公司' }),
      item('twice@example.com', { brand: '乐童', model: 'LT-100' }),
      item('TWICE@example.com', { brand: '乐童', model: 'LT-200' }),
      item(undefined, { brand: '乐童', model: 'LT-100' }, { name: '丙店', districtCode: '410702', email: 'shop.c@example.com' }),
      scaleComplaint({ reporter: { email: 'scale@example.com' } }),
    ]);
    await confirmedSubscribers(env, 3, 'fan.sub');
    await env.db
      .insertInto('alert_subscriptions')
      .values({ email: 'fan.sub.other@example.com', status: 'confirmed', nonce: 'n', brands: ['永久'], brand_keys: ['永久'] })
      .execute();

    const recallNo = await publishedRecall(env, regulator);
    const expected = {
      'listed.batch@example.com': 'consumer',
      'no.batch@example.com': 'consumer',
      'maker.uscc@example.com': 'consumer',
      'maker.name@example.com': 'consumer',
      'twice@example.com': 'consumer',
      'shop.a@example.com': 'merchant',
      'shop.c@example.com': 'merchant',
      'fan.sub0@example.com': 'subscriber',
      'fan.sub1@example.com': 'subscriber',
      'fan.sub2@example.com': 'subscriber',
    } as const;
    const record = await eventually(async () => {
      const r = await readJson(await env.app.request(`/api/v1/recalls/${recallNo}/record`, { headers: regulator }));
      return r.fanOut?.complete && r.fanOut.sent === Object.keys(expected).length && r;
    });
    expect(record.fanOut).toEqual({ matched: 10, queued: 0, sent: 10, failed: 0, cancelled: 0, complete: true });

    const notices = smtp.received.filter((m) => m.parsed.subject?.includes(recallNo));
    const byRecipient = new Map<string, typeof notices>();
    for (const m of notices) for (const to of m.envelopeTo) byRecipient.set(to, [...(byRecipient.get(to) ?? []), m]);
    expect([...byRecipient.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [to, kind] of Object.entries(expected)) {
      expect(byRecipient.get(to)).toHaveLength(1);
      const subject = byRecipient.get(to)![0]!.parsed.subject!;
      const prefix = {
        consumer: `【召回通知 ${recallNo}】`,
        merchant: `【停止销售通知 ${recallNo}】`,
        subscriber: `【召回提醒 ${recallNo}】`,
      }[kind];
      expect(subject.startsWith(prefix), `${to}: ${subject}`).toBe(true);
    }
    expect(byRecipient.get('shop.a@example.com')![0]!.parsed.text).toContain('请立即停止销售');
  });

  it('keeps a big recall’s notices from delaying a consumer’s access-code email', async () => {
    await stop();
    ({ env, smtp, stop } = await startCaseworkEnv({ BULK_MAIL_PER_SECOND: '20' }));
    regulator = await signIn(env, demo.regulator);
    await confirmedSubscribers(env, 300, 'slow');
    const recallNo = await publishedRecall(env, regulator, { title: '大批量召回' });
    await eventually(async () => smtp.received.some((m) => m.parsed.subject?.includes(recallNo)));

    const started = Date.now();
    const filed = await readJson(
      await postJson(env.app, '/api/v1/complaints', scaleComplaint({ reporter: { email: 'urgent@example.com' } })),
    );
    const ack = await eventually(async () => smtp.received.find((m) => m.envelopeTo.includes('urgent@example.com')));
    const ackMs = Date.now() - started;
    expect(ack.parsed.text).toContain(filed.accessCode);
    const record = await readJson(await env.app.request(`/api/v1/recalls/${recallNo}/record`, { headers: regulator }));
    expect(record.fanOut.queued).toBeGreaterThan(100); // the notices were still going out at 20 a second
    expect(ackMs).toBeLessThan(5000);
  }, 60_000);
});

describe('fan-out crash and resume', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
    await seedStaff(env);
  });
  afterAll(() => env.close());

  it('resumes after the last committed batch and re-adds the jobs of a batch committed but never added', async () => {
    await confirmedSubscribers(env, 230, 'resume');
    // No workers: the fan-out runs here, with a queue that fails on the third add (a crash after a commit).
    const recallNo = await publishedRecall(env, await signIn(env, demo.regulator), { brand: '续传' });
    const recall = await env.db.selectFrom('recalls').select('id').where('recall_no', '=', recallNo).executeTakeFirstOrThrow();
    const added: number[] = []; // groups, as added
    let adds = 0;
    const ctxWith = (failOnAdd?: number): WorkerContext => ({
      ...env.ctx,
      divisions: undefined as never,
      mailer: undefined as never,
      bulkMailer: undefined as never,
      addJobs: async <Q extends JobQueueName>(_q: Q, payloads: ReadonlyArray<JobPayload<Q>>) => {
        if (++adds === failOnAdd) throw new Error('queue down');
        for (const p of payloads) {
          expect((p as JobPayload<'bulk-mail'>).recallId).toBe(recall.id);
          added.push((p as JobPayload<'bulk-mail'>).group);
        }
      },
    });

    await expect(fanOutRecall(ctxWith(3), { recallId: recall.id }, 50)).rejects.toThrow('queue down');
    const midway = await env.db.selectFrom('recall_fanouts').selectAll().where('recall_id', '=', recall.id).executeTakeFirstOrThrow();
    expect(midway).toMatchObject({ phase: 'subscribers', batches: 4, finished_at: null }); // consumers (none), then 3 batches of 50
    const groupsOf = async () => {
      const rows = await env.db.selectFrom('recall_notices').select('send_group').where('recall_id', '=', recall.id).execute();
      const sizes = new Map<number, number>();
      for (const r of rows) sizes.set(r.send_group!, (sizes.get(r.send_group!) ?? 0) + 1);
      return sizes;
    };
    // Groups of 25 at most (BULK_MAIL_PER_SECOND 100 allows 4 of 25 a second), never spanning two batches.
    expect([...(await groupsOf()).values()]).toEqual([25, 25, 25, 25, 25, 25]);
    expect(added).toHaveLength(4);

    const resumed = await fanOutRecall(ctxWith(), { recallId: recall.id }, 50);
    expect(resumed.notices).toBe(80); // only the batches after the last commit
    const notices = await env.db.selectFrom('recall_notices').select(['id', 'recipient']).where('recall_id', '=', recall.id).execute();
    expect(notices).toHaveLength(230);
    expect(new Set(notices.map((n) => n.recipient)).size).toBe(230);
    const groups = await groupsOf();
    expect([...groups.values()].reduce((a, b) => a + b)).toBe(230);
    expect([...groups.values()].every((n) => n <= 25)).toBe(true);
    expect([...new Set(added)].sort((a, b) => a - b)).toEqual([...groups.keys()].sort((a, b) => a - b));
    expect(added).toHaveLength(groups.size); // the batch whose add failed was added once, on resume

    // A finished fan-out run again adds nothing new and writes nothing.
    const before = added.length;
    expect(await fanOutRecall(ctxWith(), { recallId: recall.id }, 50)).toEqual({ batches: 0, notices: 0 });
    expect(added.length).toBe(before);
  });
});
