import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedFanOutRecipients } from '../../bench/fanout-seed.js';
import { freePort } from '../../shared/db/index.js';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { recallInput } from '../support/recalls.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, seedStaff, signIn } from '../support/staff.js';

const root = path.resolve(import.meta.dirname, '../..');
const BULK_CONCURRENCY = 8;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** The workers as their own process (workers/main.ts), on the test's database, queue prefix and SMTP server. */
async function startWorkers(env: TestEnv, smtpUrl: string) {
  const port = await freePort();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['VITEST', 'TEST'].some((p) => k.startsWith(p))));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: root,
    env: {
      ...clean,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.config.REDIS_URL,
      QUEUE_PREFIX: env.config.QUEUE_PREFIX,
      AUTH_SECRET: env.config.AUTH_SECRET,
      DATA_DIR: env.config.DATA_DIR,
      SMTP_URL: smtpUrl,
      WORKER_HEALTH_PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '200',
      BULK_MAIL_CONCURRENCY: String(BULK_CONCURRENCY),
      BULK_MAIL_PER_SECOND: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 60_000, 200).catch((err: Error) => {
    throw new Error(`${err.message}\n${output}`);
  });
  return child;
}

describe('fan-out with the worker process killed mid-way', () => {
  it('after SIGKILL and a restart every recipient has exactly one email (one Message-ID), the others none', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const env = await createTestEnv({ SMTP_URL: smtp.url });
    cleanups.push(() => env.close());
    await seedStaff(env);
    const { expected, unexpected } = await seedFanOutRecipients(env.db, {
      consumers: 1800,
      merchants: 200,
      subscribers: 1000,
      nonMatchingConsumers: 400,
      nonMatchingSubscribers: 300,
      brand: '乐童',
      model: 'KILL-1',
    });

    let workers = await startWorkers(env, smtp.url);
    const regulator = await signIn(env, demo.regulator);
    const created = await readJson(
      await postJson(env.app, '/api/v1/recalls', recallInput({ models: ['KILL-1'], batches: [], title: '断电续传召回' }), regulator),
    );
    expect((await postJson(env.app, `/api/v1/recalls/${created.recallNo}/publish`, {}, regulator)).status).toBe(200);

    await eventually(async () => smtp.received.length >= 600, 60_000, 20);
    workers.kill('SIGKILL');
    await new Promise((r) => workers.once('exit', r));
    const atKill = smtp.received.length;
    expect(atKill).toBeLessThan(expected.length);

    workers = await startWorkers(env, smtp.url);
    const sent = await eventually(
      async () => {
        const r = await readJson(await env.app.request(`/api/v1/recalls/${created.recallNo}/record`, { headers: regulator }));
        return r.fanOut?.complete && r.fanOut.sent === expected.length && r.fanOut;
      },
      150_000,
      500,
    );
    expect(sent).toEqual({ matched: expected.length, queued: 0, sent: expected.length, failed: 0, cancelled: 0, complete: true });
    // Stopped gracefully (it finishes the jobs it holds), the workers process has nothing in flight once it exits.
    workers.kill('SIGTERM');
    await new Promise((r) => workers.once('exit', r));

    const byRecipient = new Map<string, Set<string>>();
    let deliveries = 0;
    for (const m of smtp.received) {
      expect(m.parsed.subject).toContain(created.recallNo);
      for (const to of m.envelopeTo) {
        deliveries++;
        byRecipient.set(to, (byRecipient.get(to) ?? new Set()).add(m.parsed.messageId ?? ''));
      }
    }
    expect([...byRecipient.keys()].sort()).toEqual([...expected].sort());
    for (const address of unexpected) expect(byRecipient.has(address)).toBe(false);
    // One email each: any redelivery is of a message the server had accepted when the process died, before its
    // "sent" was committed; it carries the same Message-ID, which receiving systems collapse into one.
    for (const [to, ids] of byRecipient) expect(ids.size, to).toBe(1);
    expect(deliveries - expected.length).toBeLessThanOrEqual(BULK_CONCURRENCY);
  }, 240_000);
});
