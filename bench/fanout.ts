import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { createDb, createPool, freePort, migrateToLatest, startEmbeddedPostgres } from '../shared/db/index.js';
import { syncJurisdictions } from '../shared/jurisdictions/index.js';
import { createLogger } from '../shared/logger/index.js';
import { renderEmail } from '../shared/mail/index.js';
import { seedDemoData } from '../shared/staff/index.js';
import { seedFanOutRecipients } from './fanout-seed.js';

/**
 * npm run bench:fanout — a recall's fan-out to 50,000 recipients (consumers, their merchants, subscribers) through
 * the API and the workers, each its own process, to a local SMTP server that discards what it receives; against a
 * baseline in the same run: nodemailer (pooled) sending as many messages of the same size straight to the same
 * server at the same concurrency, from a process of its own. Reports notices per second end to end, the ratio, the
 * workers' peak memory (at two recipient counts, to show it flat), duplicates, losses, and how long publishing took.
 */
const RECIPIENTS = Number(process.env.BENCH_FANOUT_RECIPIENTS ?? 50_000);
const SMALL = Math.max(1000, Math.floor(RECIPIENTS / 10));
const CONCURRENCY = Number(process.env.BENCH_FANOUT_CONCURRENCY ?? 16);
const root = path.resolve(import.meta.dirname, '..');
const logger = createLogger('warn');
const fmt = (n: number, d = 1) => n.toFixed(d);

/** A discarding SMTP server that counts what each address receives. */
async function countingSmtpServer() {
  const perRecipient = new Map<string, number>();
  let total = 0;
  let last = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) perRecipient.set(r.address, (perRecipient.get(r.address) ?? 0) + 1);
        total++;
        last = performance.now();
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`,
    get total() {
      return total;
    },
    get lastAt() {
      return last;
    },
    perRecipient,
    reset() {
      perRecipient.clear();
      total = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The notice a subscriber gets, rendered by the real template: the baseline sends messages of the same size. */
function sampleNotice() {
  return renderEmail('recall_notice', 'zh-CN', {
    kind: 'subscriber',
    recallNo: 'RC-2026-0001',
    type: 'voluntary',
    title: '乐童牌儿童推车刹车失灵召回',
    manufacturer: '乐童玩具有限公司',
    brand: '乐童',
    productName: '儿童推车',
    models: ['BENCH-1'],
    batches: [],
    hazard: '后轮刹车装置可能失灵，推车在坡道上溜车，存在摔伤儿童的风险。',
    remedy: 'repair',
    remedyInstructions: '立即停止使用，联系生产者免费更换刹车组件。',
    consumerContact: '400-800-1234（工作日 9:00-17:00）',
    recallUrl: 'http://localhost:3000/recalls/RC-2026-0001',
    unsubscribe: { url: 'http://localhost:3000/api/v1/alerts/unsubscribe/1.abcdefghijklmnopqrstuvwxyz012345', mailto: 'mailto:x@y' },
  });
}

/** Baseline (run in its own process): `count` messages with pooled nodemailer, `concurrency` at a time. */
async function baselineSender(smtpUrl: string, count: number, concurrency: number) {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: concurrency, maxMessages: 1000 });
  const email = sampleNotice();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      await transport.sendMail({ from: 'bench@samr.demo.local', to: `baseline${n}@fanout.test`, ...email, messageId: `<b${n}@bench>` });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  transport.close();
  const { user, system } = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuSeconds: (user + system) / 1e6 }));
}

/** The node flags of `npm run start:workers`, so the bench runs the workers as they are deployed. */
function startWorkersFlags(): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = scripts['start:workers']!.split(' ');
  return words.slice(1, words.indexOf('--import'));
}

/** CPU seconds (user and system) a live process has used, from /proc: a cost that other load on the machine does not skew. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function runFanOutBench(): Promise<void> {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  // One prefix per run of the bench; each fan-out gets its own under it (job ids derive from row ids, which repeat
  // across the fresh databases, exactly as they would across two deployments sharing one prefix).
  const runId = randomBytes(3).toString('hex');
  try {
    const work = mkdtempSync(path.join(tmpdir(), 'cpt-bench-fanout-'));
    cleanups.push(() => Promise.resolve(rmSync(work, { recursive: true, force: true })));
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false, logger });
      cleanups.push(() => embedded.stop());
      serverUrl = embedded.url;
    }
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    cleanups.push(() => admin.end());
    const smtp = await countingSmtpServer();
    cleanups.push(() => smtp.close());

    const spawnProcess = async (entry: string, env: Record<string, string>, readyUrl?: string, nodeArgs: string[] = []) => {
      const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...entry.split(' ')], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      if (readyUrl) {
        for (let i = 0; ; i++) {
          if (
            await fetch(readyUrl).then(
              (r) => r.ok,
              () => false,
            )
          )
            break;
          if (i > 600) throw new Error(`${entry} did not become ready`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      return {
        child,
        stdout: () => stdout,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    };

    /** One fan-out of `count` recipients on a fresh database; the SMTP server's counts are reset first. */
    const fanOut = async (count: number) => {
      const name = `cpt_bench_fanout_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      cleanups.push(() => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
      const db = createDb(createPool(databaseUrl, logger, { max: 4 }));
      await migrateToLatest(db);
      await syncJurisdictions(db);
      await seedDemoData(db, { isProduction: false });
      // A tenth of the recipients are merchants (reached through consumers' items), 60 % consumers, 30 % subscribers.
      const merchants = Math.floor(count / 10);
      const consumers = Math.floor(count * 0.6);
      const { expected, unexpected } = await seedFanOutRecipients(db, {
        consumers,
        merchants,
        subscribers: count - consumers - merchants,
        nonMatchingConsumers: Math.floor(count / 20),
        nonMatchingSubscribers: Math.floor(count / 20),
        brand: '乐童',
        model: 'BENCH-1',
      });
      await db.destroy();
      smtp.reset();

      const common = {
        DATABASE_URL: databaseUrl,
        DATA_DIR: path.join(work, 'data'),
        AUTH_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        PUBLIC_URL: 'http://localhost',
        HOST: '127.0.0.1',
        QUEUE_PREFIX: `{cpt-bench-fanout-${runId}-${name}}`,
        SMTP_URL: smtp.url,
        RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
        BULK_MAIL_CONCURRENCY: String(CONCURRENCY),
        BULK_MAIL_PER_SECOND: '1000000',
      };
      const apiPort = await freePort();
      const workerPort = await freePort();
      const api = await spawnProcess('services/main.ts', { ...common, PORT: String(apiPort) }, `http://127.0.0.1:${apiPort}/readyz`);
      // BENCH_WORKERS_NODE_OPTIONS (say --max-old-space-size=160) sizes the workers' heap, to tell garbage from a leak.
      const workerOptions: Record<string, string> = process.env.BENCH_WORKERS_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_WORKERS_NODE_OPTIONS }
        : {};
      const workers = await spawnProcess(
        'workers/main.ts',
        { ...common, ...workerOptions, WORKER_HEALTH_PORT: String(workerPort) },
        `http://127.0.0.1:${workerPort}/readyz`,
        // The flags `npm run start:workers` starts them with (the heap bound), then BENCH_WORKERS_NODE_ARGS: flags
        // NODE_OPTIONS refuses, e.g. "--cpu-prof --cpu-prof-dir=prof".
        [...startWorkersFlags(), ...(process.env.BENCH_WORKERS_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
      );
      const cpuAtStart = cpuSeconds(workers.child.pid!);
      const base = `http://127.0.0.1:${apiPort}/api/v1`;
      const post = (p: string, body: unknown, token?: string) =>
        fetch(`${base}${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const { token } = (await (
        await post('/auth/login', { email: 'regulator.xinxiang@demo.local', password: 'demo-pass-2026' })
      ).json()) as {
        token: string;
      };
      const draft = (await (
        await post(
          '/recalls',
          {
            type: 'voluntary',
            title: '乐童牌儿童推车刹车失灵召回',
            category: 'child_product',
            manufacturer: { name: '乐童玩具有限公司' },
            brand: '乐童',
            productName: '儿童推车',
            models: ['BENCH-1'],
            unitsAffected: count,
            hazard: '后轮刹车装置可能失灵，推车在坡道上溜车，存在摔伤儿童的风险。',
            remedy: 'repair',
            remedyInstructions: '立即停止使用，联系生产者免费更换刹车组件。',
            consumerContact: '400-800-1234（工作日 9:00-17:00）',
            startsOn: '2026-11-20',
          },
          token,
        )
      ).json()) as { recallNo: string };

      const t0 = performance.now();
      const published = await post(`/recalls/${draft.recallNo}/publish`, {}, token);
      const publishMs = performance.now() - t0;
      if (published.status !== 200) throw new Error(`publish answered ${published.status}`);
      const deadline = Date.now() + 30 * 60_000;
      while (smtp.total < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 2000)); // late duplicates would land now
      const seconds = (smtp.lastAt - t0) / 1000;
      const peak = peakRssMb(workers.child.pid!);
      const cpu = cpuSeconds(workers.child.pid!) - cpuAtStart;
      await api.stop();
      await workers.stop();

      const expectedSet = new Set(expected);
      let duplicates = 0;
      let strays = 0;
      for (const [address, n] of smtp.perRecipient) {
        if (!expectedSet.has(address)) strays += n;
        else duplicates += n - 1;
      }
      const losses = expected.filter((a) => !smtp.perRecipient.has(a)).length;
      return {
        count: expected.length,
        unexpected: unexpected.length,
        seconds,
        rate: expected.length / seconds,
        peak,
        cpuMsPerNotice: (cpu * 1000) / expected.length,
        publishMs,
        duplicates,
        losses,
        strays,
      };
    };

    const baseline = async (count: number) => {
      smtp.reset();
      const t0 = performance.now();
      const sender = await spawnProcess(`bench/fanout.ts --baseline ${smtp.url} ${count} ${CONCURRENCY}`, {});
      await new Promise((r) => sender.child.once('exit', r));
      if (smtp.total !== count) throw new Error(`the baseline delivered ${smtp.total} of ${count}`);
      const seconds = (smtp.lastAt - t0) / 1000;
      const { cpuSeconds: cpu } = JSON.parse(sender.stdout()) as { cpuSeconds: number };
      return { seconds, rate: count / seconds, cpuMsPerMessage: (cpu * 1000) / count };
    };

    console.log(
      `\nbench:fanout: ${RECIPIENTS} recipients, bulk-mail concurrency ${CONCURRENCY}; database ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}; queue ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'}\n`,
    );
    const small = await fanOut(SMALL);
    const big = await fanOut(RECIPIENTS);
    const direct = await baseline(big.count);
    const rows: Array<[string, string]> = [
      [`fan-out end to end, ${big.count} notices (notices/s)`, fmt(big.rate)],
      [`baseline nodemailer straight to SMTP, ${big.count} messages (messages/s)`, fmt(direct.rate)],
      [
        'CPU per message, workers process vs baseline sender (ms)',
        `${fmt(big.cpuMsPerNotice, 2)} vs ${fmt(direct.cpuMsPerMessage, 2)} (at ${small.count}: ${fmt(small.cpuMsPerNotice, 2)})`,
      ],
      ['publish latency (ms)', `${fmt(big.publishMs, 0)} (at ${small.count}: ${fmt(small.publishMs, 0)})`],
      ['workers process peak RSS (MB)', `${fmt(big.peak, 0)} at ${big.count}, ${fmt(small.peak, 0)} at ${small.count}`],
      ['duplicates / losses', `${big.duplicates} / ${big.losses} (at ${small.count}: ${small.duplicates} / ${small.losses})`],
      [`mail to the ${big.unexpected} non-matching`, String(big.strays + small.strays)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
    console.log(
      `\nratio fan-out/baseline: ${fmt(big.rate / direct.rate, 2)} (target ≥ 0.6); peak RSS ${fmt(big.peak, 0)} MB (target < 300, flat); publish ${fmt(big.publishMs, 0)} ms (target < 1000)`,
    );
  } finally {
    for (const c of children) c.kill('SIGKILL');
    for (const c of cleanups.reverse()) await c().catch(() => {});
    if (process.env.REDIS_URL) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(process.env.REDIS_URL);
      for await (const keys of redis.scanStream({ match: `{cpt-bench-fanout-${runId}-*`, count: 1000 })) {
        if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
      }
      redis.disconnect();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const [flag, smtpUrl, count, concurrency] = process.argv.slice(2);
    if (flag === '--baseline') await baselineSender(smtpUrl!, Number(count), Number(concurrency));
    else await runFanOutBench();
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  }
}
