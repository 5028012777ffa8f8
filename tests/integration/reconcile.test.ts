import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../shared/db/index.js';
import { jobQueueNames, rowJobId } from '../../shared/queue/index.js';
import { reconciledQueues } from '../../workers/reconcile.js';
import { queueRegistry } from '../../workers/registry.js';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { startSmtpServer } from '../support/smtp.js';

// Each test's database, queues, servers go when it ends: a PostgreSQL queue holds a good few connections.
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const redisServer = (() => {
  try {
    return execFileSync('which', ['redis-server']).toString().trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** A Redis of this test's own, without persistence, so flushing it touches nobody else's keys. */
async function startOwnRedis(): Promise<{ url: string; client: Redis }> {
  const port = await freePort();
  const child: ChildProcess = spawn(redisServer!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  cleanups.push(async () => {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  });
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  await eventually(async () => {
    await client.connect().catch(() => {});
    return (await client.ping()) === 'PONG';
  });
  cleanups.push(async () => client.disconnect());
  return { url: `redis://127.0.0.1:${port}`, client };
}

const scheduledIds = jobQueueNames.flatMap((q) => {
  const s = queueRegistry[q].schedule;
  return s ? [{ queue: q, id: s.id }] : [];
});

async function fileComplaints(env: TestEnv, tag: string, n: number) {
  const emails = Array.from({ length: n }, (_, i) => `reporter-${tag}-${i}@example.com`);
  const responses = await Promise.all(
    emails.map((email) => postJson(env.app, '/api/v1/complaints', scaleComplaint({ reporter: { name: '李女士', email } }))),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(n).fill(201));
  const trackingNos = await Promise.all(responses.map(async (r) => (await readJson(r)).trackingNo as string));
  return { emails, trackingNos };
}

/** The state of each job that the rows of these ids stand for, once every one of them is in the queue. */
async function waitForJobs(env: TestEnv, queue: 'notify' | 'triage', payloads: Array<Record<string, unknown>>) {
  await eventually(async () => {
    const states = await Promise.all(payloads.map((p) => env.queues[queue].getJobState(rowJobId(queue, p)!)));
    return states.every((s) => s === 'waiting');
  });
}

/**
 * Files complaints in three groups: one whose mail has gone out, one whose mail sits in the (paused) notify queue,
 * one whose routing sits in the (paused) triage queue. Then the queue store loses everything; every reporter must
 * still get exactly one email, and the schedulers must be back, without a restart.
 */
async function loseTheQueueMidFlow(env: TestEnv, smtp: Awaited<ReturnType<typeof startSmtpServer>>, lose: () => Promise<void>) {
  await env.startWorkers();
  const sent = await fileComplaints(env, 'sent', 2);
  await eventually(() => Promise.resolve(smtp.received.length === 2));

  await env.queues.notify.pause();
  const mailQueued = await fileComplaints(env, 'mail', 3);
  const queuedNotifications = await eventually(async () => {
    const rows = await env.db
      .selectFrom('notifications')
      .innerJoin('items', 'items.id', 'notifications.item_id')
      .select('notifications.id')
      .where('items.tracking_no', 'in', mailQueued.trackingNos)
      .where('notifications.status', '=', 'queued')
      .execute();
    return rows.length === 3 && rows;
  });
  await waitForJobs(
    env,
    'notify',
    queuedNotifications.map((r) => ({ notificationId: r.id })),
  );

  await env.queues.triage.pause();
  const triageQueued = await fileComplaints(env, 'triage', 3);
  await waitForJobs(
    env,
    'triage',
    triageQueued.trackingNos.map((trackingNo) => ({ trackingNo })),
  );
  expect(smtp.received).toHaveLength(2);

  await lose();

  const everyone = [...sent.emails, ...mailQueued.emails, ...triageQueued.emails];
  // A periodic pass that read the schedulers before the loss and the rows after it sends every email yet leaves a
  // scheduler for the next pass: wait for both.
  await eventually(async () => {
    const unsent = await env.db.selectFrom('notifications').select('id').where('status', '<>', 'sent').execute();
    return smtp.received.length >= everyone.length && unsent.length === 0 && (await schedulersAreBack(env));
  }, 30_000);
  // Once more, by hand: with every row sent and every scheduler back nothing is pending, so nothing is added again.
  expect(await env.workers!.reconciler.runOnce()).toEqual({ readded: {}, markedFailed: 0, schedules: [] });

  const perRecipient = new Map<string, number>();
  for (const m of smtp.received) for (const to of m.envelopeTo) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  expect(Object.fromEntries(perRecipient)).toEqual(Object.fromEntries(everyone.map((e) => [e, 1])));
  const messageIds = smtp.received.map((m) => m.parsed.messageId);
  expect(new Set(messageIds).size).toBe(everyone.length);
  const routed = await env.db.selectFrom('items').select('status').where('tracking_no', 'in', triageQueued.trackingNos).execute();
  expect(routed.map((r) => r.status)).toEqual(['pending_acceptance', 'pending_acceptance', 'pending_acceptance']);

  for (const { queue, id } of scheduledIds) {
    const schedulers = await env.queues[queue].getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([id]);
  }
}

async function schedulersAreBack(env: TestEnv): Promise<boolean> {
  for (const { queue, id } of scheduledIds) {
    const schedulers = await env.queues[queue].getJobSchedulers();
    if (!schedulers.some((s) => s.key === id)) return false;
  }
  return true;
}

describe('the queue store loses its data', () => {
  it('every queue is reconciled: by a ledger of its pending rows, or as a schedule', () => {
    expect([...reconciledQueues].sort()).toEqual([...jobQueueNames].sort());
  });

  it.skipIf(!redisServer)(
    'Redis flushed mid-flow (skipped without a redis-server binary to run a Redis of its own): every email still goes out once',
    async () => {
      const smtp = await startSmtpServer();
      cleanups.push(() => smtp.close());
      const redis = await startOwnRedis();
      const env = await createTestEnv({ REDIS_URL: redis.url, SMTP_URL: smtp.url, RECONCILE_INTERVAL_MS: '300' });
      cleanups.push(() => env.close());
      expect(env.queueBackend.kind).toBe('redis');
      await loseTheQueueMidFlow(env, smtp, async () => {
        await redis.client.flushall();
      });
    },
    90_000,
  );

  it('the embedded PostgreSQL queue loses its jobs and schedulers mid-flow: every email still goes out once', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const env = await createTestEnv({ REDIS_URL: undefined, SMTP_URL: smtp.url, RECONCILE_INTERVAL_MS: '300' });
    cleanups.push(() => env.close());
    expect(env.queueBackend.kind).toBe('postgres');
    await loseTheQueueMidFlow(env, smtp, async () => {
      // BullMQ's tables live in this test's own database; emptying them is what a lost queue store looks like.
      await sql`
        DELETE FROM bullmq.job;
        DELETE FROM bullmq.scheduler;
        DELETE FROM bullmq.dedup;
        DELETE FROM bullmq.dedup_next;
        DELETE FROM bullmq.job_log;
        DELETE FROM bullmq.meta WHERE field = 'paused';
      `.execute(env.db);
    });
  }, 90_000);

  it('a finished job of a row still queued: left alone when it ran, written to the row when it failed, replaced when left by an earlier row', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const env = await createTestEnv({ REDIS_URL: undefined, SMTP_URL: smtp.url, RECONCILE_INTERVAL_MS: '600000' });
    cleanups.push(() => env.close());
    const workers = await env.startWorkers();
    const notificationOf = async (trackingNo: string) =>
      eventually(() =>
        env.db
          .selectFrom('notifications')
          .innerJoin('items', 'items.id', 'notifications.item_id')
          .select(['notifications.id', 'notifications.status', 'notifications.last_error'])
          .where('items.tracking_no', '=', trackingNo)
          .executeTakeFirst(),
      );
    // The job moved by hand, in BullMQ's own table, into the state a fault would have left it in.
    const setJob = (notificationId: number, state: 'completed' | 'failed', ageMs: number) =>
      sql`
        UPDATE bullmq.job SET state = ${state}::bullmq.job_state, added_at_ms = added_at_ms - ${ageMs}::bigint,
          finished_at_ms = (extract(epoch FROM now()) * 1000)::bigint,
          failed_reason = CASE WHEN ${state} = 'failed' THEN 'job stalled more than allowable limit' END
        WHERE queue = 'notify' AND id = ${rowJobId('notify', { notificationId })}`.execute(env.db);

    // Sent, then the row reads queued again (a database restored from before the commit): the job ran, so no resend.
    const ran = await fileComplaints(env, 'ran', 1);
    const ranRow = await eventually(async () => {
      const row = await notificationOf(ran.trackingNos[0]!);
      return row.status === 'sent' && row;
    });
    await env.db.updateTable('notifications').set({ status: 'queued' }).where('id', '=', ranRow.id).execute();

    await env.queues.notify.pause();
    const [failed, earlier] = await Promise.all([fileComplaints(env, 'failed', 1), fileComplaints(env, 'earlier', 1)]);
    const failedRow = await notificationOf(failed.trackingNos[0]!);
    const earlierRow = await notificationOf(earlier.trackingNos[0]!);
    await waitForJobs(env, 'notify', [{ notificationId: failedRow.id }, { notificationId: earlierRow.id }]);
    // The worker died on its last attempt, before it could write the outcome.
    await setJob(failedRow.id, 'failed', 0);
    // A finished job an hour older than its row: left by an earlier row that had the same id.
    await setJob(earlierRow.id, 'completed', 3_600_000);

    expect(await workers.reconciler.runOnce()).toEqual({ readded: { notify: 1 }, markedFailed: 1, schedules: [] });
    expect(await notificationOf(ran.trackingNos[0]!)).toMatchObject({ status: 'queued' });
    expect(await notificationOf(failed.trackingNos[0]!)).toMatchObject({
      status: 'failed',
      last_error: expect.stringContaining('job stalled more than allowable limit'),
    });

    await env.queues.notify.resume();
    await eventually(async () => (await notificationOf(earlier.trackingNos[0]!)).status === 'sent');
    expect(smtp.received.flatMap((m) => m.envelopeTo).sort()).toEqual([...ran.emails, ...earlier.emails].sort());
  });

  it('a relayed outbox row of a queue without pending rows of its own gets its lost job back once, and is done once it ran', async () => {
    const env = await createTestEnv({ REDIS_URL: undefined, RECONCILE_INTERVAL_MS: '600000' });
    cleanups.push(() => env.close());
    const workers = await env.startWorkers();
    const { trackingNos } = await fileComplaints(env, 'signals', 1);
    const item = await eventually(() =>
      env.db
        .selectFrom('items')
        .select('id')
        .where('tracking_no', '=', trackingNos[0]!)
        .where('status', '<>', 'submitted')
        .executeTakeFirst(),
    );
    // Its email gone out (to the mail folder), nothing else is pending.
    await eventually(() =>
      env.db.selectFrom('notifications').select('id').where('item_id', '=', item.id).where('status', '=', 'sent').executeTakeFirst(),
    );
    // Relayed, and its job lost with the queue's data.
    await env.db
      .insertInto('outbox')
      .values({ queue: 'signals', payload: JSON.stringify({ itemId: item.id }), relayed_at: new Date() })
      .execute();
    expect(await workers.reconciler.runOnce()).toEqual({ readded: { signals: 1 }, markedFailed: 0, schedules: [] });
    const jobId = rowJobId('signals', { itemId: item.id })!;
    await eventually(async () => (await env.queues.signals.getJobState(jobId)) === 'completed');
    expect(await workers.reconciler.runOnce()).toEqual({ readded: {}, markedFailed: 0, schedules: [] });
  });
});
