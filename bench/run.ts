import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { sql } from 'kysely';
import { hashAccessCode, hashPassword, randomCode } from '../shared/crypto/index.js';
import { createDb, createPool } from '../shared/db/index.js';
import { freePort, startEmbeddedPostgres } from '../shared/db/index.js';
import { migrateToLatest } from '../shared/db/index.js';
import { createLogger } from '../shared/logger/index.js';
import { syncJurisdictions } from '../shared/jurisdictions/index.js';
import { insertItemStatement, screeningFor } from '../services/complaints/index.js';
import { mixedBody } from './bodies.js';

/**
 * npm run bench — intake throughput and latency at 64 connections for 10 s against a baseline measured in the same
 * run (the same rows written directly with pg at the same concurrency), then the routing lag while intake runs at
 * half its measured maximum. The API and the workers run as their own processes, as when scaled out.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const root = path.resolve(import.meta.dirname, '..');
const logger = createLogger('warn');
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number, d = 1) => n.toFixed(d);

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'cpt-bench-'));
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
  const template = `cpt_bench_template_${randomBytes(3).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${template}`);
  const dbUrl = (name: string) => Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  {
    const db = createDb(createPool(dbUrl(template), logger, { max: 2 }));
    await migrateToLatest(db);
    await syncJurisdictions(db);
    await db.destroy();
  }
  const freshDb = async (label: string) => {
    const name = `${template}_${label}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    cleanups.push(() => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    return dbUrl(name);
  };
  cleanups.push(() => admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));

  console.log(
    `\nbench: ${CONNECTIONS} connections, ${DURATION_S} s per phase; database ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}; queue ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'}; Node ${process.version}\n`,
  );

  // 1. Intake through HTTP (API process alone; routing runs later).
  const intakeUrl = await freshDb('intake');
  const api = await startProcess('services/main.ts', intakeUrl, work);
  const intake = await loadIntake(api.base, { connections: CONNECTIONS, seconds: DURATION_S });
  const apiPeakRss = peakRssMb(api.child.pid!);
  await api.stop();

  // 2. Baseline: the same rows written straight to Postgres with pg, at the same concurrency.
  const baseline = await directWrites(await freshDb('baseline'), CONNECTIONS, DURATION_S);

  // 3. Routing lag while intake runs at half its measured maximum, API and workers in their own processes.
  const lagUrl = await freshDb('lag');
  const api2 = await startProcess('services/main.ts', lagUrl, work);
  const workers = await startProcess('workers/main.ts', lagUrl, work, false);
  const rate = Math.max(1, Math.floor(intake.rps / 2));
  const halfLoad = await loadIntake(api2.base, { connections: CONNECTIONS, seconds: DURATION_S, overallRate: rate });
  const lag = await routingLag(lagUrl, halfLoad.count);
  await api2.stop();
  await workers.stop();

  // 4. Claim-next: 32 inspectors at once over 10,000 open cases, through HTTP.
  const claims = await claimBench(await freshDb('claims'), work);

  const ratio = intake.rps / baseline.rps;
  const rows: Array<[string, string]> = [
    ['intake HTTP (req/s)', fmt(intake.rps)],
    ['intake latency p50 / p99 (ms)', `${fmt(intake.p50)} / ${fmt(intake.p99)}`],
    ['intake non-2xx responses', String(intake.non2xx)],
    ['API process peak RSS (MB)', fmt(apiPeakRss, 0)],
    ['baseline direct pg (rows/s)', fmt(baseline.rps)],
    ['baseline latency p50 / p99 (ms)', `${fmt(baseline.p50)} / ${fmt(baseline.p99)}`],
    [`routing lag at ${rate} req/s: p50 / p95 (ms)`, `${fmt(lag.p50, 0)} / ${fmt(lag.p95, 0)}`],
    ['items routed in the lag phase', `${lag.routed} / ${halfLoad.count}`],
    [
      '"received" email lag p50 / p95 (ms)',
      `${fmt(lag.mail.p50, 0)} / ${fmt(lag.mail.p95, 0)} (${lag.mail.sent} / ${lag.mail.wanted} sent)`,
    ],
    [`claim-next, ${CLAIMERS} inspectors over ${CLAIM_CASES} cases (claims/s)`, fmt(claims.rps)],
    ['claim-next latency p50 / p99 (ms)', `${fmt(claims.p50)} / ${fmt(claims.p99)}`],
    ['claims / double claims', `${claims.claimed} / ${claims.doubleClaims}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log(`\nratio intake/baseline: ${ratio.toFixed(2)} (target ≥ 0.5); routing lag p95 ${fmt(lag.p95, 0)} ms (target ≤ 1000 ms)`);
  await (await import('./fanout.js')).runFanOutBench();
}

const queuePrefix = `{cpt-bench-${randomBytes(3).toString('hex')}}`;

/** Removes the run's BullMQ keys from a shared Redis. */
async function clearRedisPrefix() {
  if (!process.env.REDIS_URL) return;
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL);
  for await (const keys of redis.scanStream({ match: `${queuePrefix}*`, count: 1000 })) {
    if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
  }
  redis.disconnect();
}

const CLAIMERS = 32;
const CLAIM_CASES = 10_000;

async function claimBench(databaseUrl: string, work: string) {
  const db = createDb(createPool(databaseUrl, logger, { max: 4 }));
  const passwordHash = await hashPassword('bench-claims-2026');
  await db
    .insertInto('staff')
    .values(
      Array.from({ length: CLAIMERS }, (_, i) => ({
        email: `claimer${i}@bench.local`,
        name: `检查员${i}`,
        role: 'inspector' as const,
        jurisdiction_code: '410702',
        specialties: ['metrology', 'product_quality', 'child_safety'],
        password_hash: passwordHash,
      })),
    )
    .execute();
  for (let i = 0; i < CLAIM_CASES; i += 1000) {
    const merchants = await db
      .insertInto('merchants')
      .values(
        Array.from({ length: 1000 }, (_, j) => ({ merchant_key: `bench:${i + j}`, name: `商户${i + j}`, normalized_name: `商户${i + j}` })),
      )
      .returning('id')
      .execute();
    const queues = ['metrology', 'product_quality', 'child_safety'] as const;
    await db
      .insertInto('cases')
      .values(
        merchants.map((m, j) => ({
          merchant_id: m.id,
          category: 'scale' as const,
          queue: queues[j % 3]!,
          jurisdiction_code: '410702',
          status: 'open' as const,
          priority: 1 + ((i + j) % 4),
          due_at: new Date(Date.now() + ((i + j) % 500) * 3600_000),
        })),
      )
      .execute();
  }
  const api = await startProcess('services/main.ts', databaseUrl, work);
  const tokens: string[] = [];
  for (let i = 0; i < CLAIMERS; i++) {
    const res = await fetch(`${api.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${i}` },
      body: JSON.stringify({ email: `claimer${i}@bench.local`, password: 'bench-claims-2026' }),
    });
    tokens.push(((await res.json()) as { token: string }).token);
  }
  let clientNo = 0;
  const result = await autocannon({
    url: `${api.base}/api/v1/cases/claim`,
    method: 'POST',
    connections: CLAIMERS,
    duration: DURATION_S,
    setupClient: (client) => client.setHeaders({ authorization: `Bearer ${tokens[clientNo++ % CLAIMERS]}` }),
  });
  await api.stop();
  const doubles = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM (SELECT case_id FROM case_events WHERE action = 'claimed' GROUP BY case_id HAVING count(*) > 1) d`.execute(
    db,
  );
  const claimed = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('claimed_by', 'is not', null)
    .executeTakeFirstOrThrow();
  await db.destroy();
  return {
    rps: result['2xx'] / DURATION_S,
    p50: result.latency.p50,
    p99: result.latency.p99,
    claimed: Number(claimed.n),
    doubleClaims: doubles.rows[0]!.n,
  };
}

async function startProcess(entry: string, databaseUrl: string, work: string, isApi = true) {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: path.join(work, 'data'),
    AUTH_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    TRUST_PROXY: 'true',
    RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    QUEUE_PREFIX: queuePrefix,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  if (isApi) {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error(`${entry} did not become ready`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } else {
    await new Promise((r) => setTimeout(r, 3000)); // workers have no port: give them time to connect
  }
  return {
    base,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function loadIntake(base: string, opts: { connections: number; seconds: number; overallRate?: number }) {
  let n = 0;
  let clientNo = 0;
  const result = await autocannon({
    url: `${base}/api/v1/complaints`,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    // Each connection is its own client address, as many consumers would be.
    setupClient: (client) =>
      client.setHeaders({
        'content-type': 'application/json',
        'x-forwarded-for': `10.0.${Math.floor(clientNo / 250)}.${clientNo++ % 250}`,
      }),
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: JSON.stringify(mixedBody(n++)) }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    count: result['2xx'],
  };
}

/** The same statement intake runs (merchant upsert, item, first event, outbox row), sent straight with pg: no HTTP, no validation. */
async function directWrites(databaseUrl: string, concurrency: number, seconds: number) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  const compiler = createDb(createPool(databaseUrl, logger, { max: 1 }));
  const latencies: number[] = [];
  let i = 0;
  const until = Date.now() + seconds * 1000;
  const writer = async () => {
    while (Date.now() < until) {
      const input = mixedBody(i++);
      const query = insertItemStatement(compiler, {
        input,
        trackingNo: `B${randomCode(16)}`,
        accessCodeHash: hashAccessCode('bench', randomCode(8)),
        accessCodeSealed: null,
        screening: screeningFor(input),
        warnings: [],
        receivedAt: new Date(),
      }).compile();
      const started = performance.now();
      await pool.query(query.sql, query.parameters as unknown[]);
      latencies.push(performance.now() - started);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, writer));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.end();
  await compiler.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function routingLag(databaseUrl: string, expected: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const deadline = Date.now() + 60_000;
  let routed = 0;
  while (Date.now() < deadline) {
    routed = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM items WHERE routed_at IS NOT NULL`)).rows[0]!.n);
    if (routed >= expected) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const { rows } = await client.query<{ ms: number }>(
    `SELECT extract(epoch FROM routed_at - received_at) * 1000 AS ms FROM items WHERE routed_at IS NOT NULL ORDER BY 1`,
  );
  // The "received" emails yield to routing under load; report how late they went out.
  let wanted = 0;
  while (Date.now() < deadline) {
    const counts = await client.query<{ n: string; sent: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'sent') AS sent FROM notifications`,
    );
    wanted = Number(counts.rows[0]!.n);
    if (Number(counts.rows[0]!.sent) >= wanted) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const mail = await client.query<{ ms: number }>(
    `SELECT extract(epoch FROM n.sent_at - i.received_at) * 1000 AS ms FROM notifications n JOIN items i ON i.id = n.item_id
     WHERE n.status = 'sent' ORDER BY 1`,
  );
  await client.end();
  const lags = rows.map((r) => Number(r.ms));
  const mailLags = mail.rows.map((r) => Number(r.ms));
  return {
    p50: percentile(lags, 50),
    p95: percentile(lags, 95),
    routed,
    mail: { sent: mailLags.length, wanted, p50: percentile(mailLags, 50), p95: percentile(mailLags, 95) },
  };
}

function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await clearRedisPrefix().catch(() => {});
}
