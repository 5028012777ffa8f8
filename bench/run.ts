import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { sql } from 'kysely';
import { hashAccessCode, hashPassword } from '../shared/crypto/index.js';
import { createDb, createPool } from '../shared/db/index.js';
import { freePort, startEmbeddedPostgres } from '../shared/db/index.js';
import { migrateToLatest } from '../shared/db/index.js';
import { createLogger } from '../shared/logger/index.js';
import { syncJurisdictions } from '../shared/jurisdictions/index.js';
import { mixedBody } from './bodies.js';

/**
 * npm run bench — each figure with its baseline from the same run, on the same PostgreSQL server:
 *  - intake through HTTP into the all-in-one process (API and workers, as `npm start`), 64 connections for 10 s,
 *    against pgbench inserting the same three rows (item, first event, outbox row) at the same concurrency;
 *  - tracking reads through HTTP against pgbench running the two reads a tracking request needs (the item by its
 *    tracking number, its events) as prepared statements;
 *  - claim-next with 32 inspectors claiming and closing cases at once: latency of the claims, and double claims;
 *  - the routing lag while intake runs at half its measured maximum, API and workers in processes of their own.
 * BENCH_PHASES picks phases (intake, tracking, claims, lag); BENCH_FANOUT=off skips the fan-out bench that follows.
 * DATABASE_URL / REDIS_URL are used when set, else an embedded PostgreSQL and the PostgreSQL queue. Without
 * pgbench (PGBENCH, PATH, /usr/lib/postgresql/<v>/bin) the baselines are reported as unavailable.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PHASES = ['intake', 'tracking', 'claims', 'lag'] as const;
type Phase = (typeof PHASES)[number];
/** BENCH_PHASES=claims (or a comma-separated list) runs only those phases, e.g. to profile one of them. */
const phases = new Set<Phase>(
  (process.env.BENCH_PHASES ?? PHASES.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter((p): p is Phase => {
      if ((PHASES as readonly string[]).includes(p)) return true;
      throw new Error(`BENCH_PHASES: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
    }),
);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
/** Each HTTP load runs this long first, unmeasured, so figures are of a warm process (code compiled, statements prepared). */
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const root = path.resolve(import.meta.dirname, '..');
const logger = createLogger('warn');
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
const AUTH_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number, d = 1) => n.toFixed(d);

/** Targets from the hardening issue; each is printed with whether this run met it. */
const targets = { intakeRatio: 0.25, trackingRatio: 0.2, p99Ms: 50 };

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
  const pgbench = findPgbench();

  console.log(
    `\nbench: ${CONNECTIONS} connections, ${DURATION_S} s per phase; database ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}; queue ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'}; Node ${process.version}; pgbench ${pgbench ?? 'not found'}\n`,
  );

  const rows: Array<[string, string]> = [];
  const verdicts: string[] = [];
  const latency = (r: { p50: number; p99: number }) => `${fmt(r.p50)} / ${fmt(r.p99)}`;
  const unavailable = 'unavailable (pgbench not found)';
  const ratioOf = (n: number, base: { tps: number } | undefined) => (base ? n / base.tps : NaN);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  // Little's law: with every connection waiting for its answer, the mean latency is connections / throughput.
  const meanOf = (connections: number, rps: number) => `${fmt((1000 * connections) / rps, 0)} ms`;

  // 1. Intake through HTTP into the all-in-one process, then pgbench writing the same three rows.
  let intakeRps: number | undefined;
  if (phases.has('intake')) {
    const intakeUrl = await freshDb('intake');
    const allInOne = await startProcess('bin/start.ts', intakeUrl, work);
    await loadIntake(allInOne.base, { connections: CONNECTIONS, seconds: WARMUP_S });
    const intakeCpu = cpuMeter({ app: (pid) => (pid === allInOne.child.pid ? 'all' : undefined), ...serverProcesses });
    const intake = await loadIntake(allInOne.base, { connections: CONNECTIONS, seconds: DURATION_S });
    const intakeCpuMs = intakeCpu.msPer(intake.count);
    const allInOnePeakRss = peakRssMb(allInOne.child.pid!);
    await allInOne.stop();
    // pgbench has ended when it is read: its time is in this process's reaped children (nothing else ends meanwhile).
    const baselineCpu = cpuMeter({ pgbench: (pid) => (pid === process.pid ? 'children' : undefined), ...serverProcesses });
    const baseline = pgbench ? await pgbenchIntake(pgbench, await freshDb('intake_pgbench'), work) : undefined;
    const baselineCpuMs = baseline ? baselineCpu.msPer(baseline.count) : undefined;
    const ratio = ratioOf(intake.rps, baseline);
    intakeRps = intake.rps;
    rows.push(
      ['intake, all-in-one process (created/s)', fmt(intake.rps)],
      ['intake latency p50 / p99 (ms)', latency(intake)],
      ['intake non-2xx responses', String(intake.non2xx)],
      ['all-in-one process peak RSS (MB)', fmt(allInOnePeakRss, 0)],
      ['baseline: pgbench item+event+outbox (tx/s)', baseline ? fmt(baseline.tps) : unavailable],
      ['baseline latency p50 / p99 (ms)', baseline ? latency(baseline) : unavailable],
      ['intake / baseline', baseline ? fmt(ratio, 2) : unavailable],
      ['CPU per intake: app / postgres / redis (ms)', cpuRow(intakeCpuMs, ['app', 'postgres', 'redis'])],
      [
        'baseline CPU per transaction: pgbench / postgres (ms)',
        baselineCpuMs ? cpuRow(baselineCpuMs, ['pgbench', 'postgres']) : unavailable,
      ],
    );
    verdicts.push(
      `  intake ≥ ${targets.intakeRatio} of pgbench, p99 < ${targets.p99Ms} ms, 0 non-2xx: ${baseline ? met(ratio >= targets.intakeRatio) : 'ratio unavailable'}, ${met(intake.p99 < targets.p99Ms)}, ${met(intake.non2xx === 0)} (mean ${meanOf(CONNECTIONS, intake.rps)} at this rate)`,
    );
  }

  // 2. Tracking reads and claim-next over seeded cases, each with one accepted item and its events.
  if (phases.has('tracking') || phases.has('claims')) {
    const casesUrl = await freshDb('cases');
    await seedCases(casesUrl);
    const api = await startProcess('services/main.ts', casesUrl, work);
    if (phases.has('tracking')) {
      await loadTracking(api.base, WARMUP_S);
      const tracking = await loadTracking(api.base, DURATION_S);
      const baseline = pgbench ? await pgbenchTracking(pgbench, casesUrl, work) : undefined;
      const ratio = ratioOf(tracking.rps, baseline);
      rows.push(
        ['tracking reads (req/s)', fmt(tracking.rps)],
        ['tracking latency p50 / p99 (ms)', latency(tracking)],
        ['tracking non-2xx responses', String(tracking.non2xx)],
        ['baseline: pgbench -M prepared item + events (tx/s)', baseline ? fmt(baseline.tps) : unavailable],
        ['baseline latency p50 / p99 (ms)', baseline ? latency(baseline) : unavailable],
        ['tracking / baseline', baseline ? fmt(ratio, 2) : unavailable],
      );
      verdicts.push(
        `  tracking ≥ ${targets.trackingRatio} of pgbench, p99 < ${targets.p99Ms} ms: ${baseline ? met(ratio >= targets.trackingRatio) : 'ratio unavailable'}, ${met(tracking.p99 < targets.p99Ms)} (mean ${meanOf(CONNECTIONS, tracking.rps)} at this rate)`,
      );
    }
    if (phases.has('claims')) {
      const claims = await claimBench(casesUrl, api.base, () =>
        cpuMeter({ app: (pid) => (pid === api.child.pid ? 'all' : undefined), ...serverProcesses }),
      );
      rows.push(
        [`claim-next, ${CLAIMERS} inspectors claiming and closing (claims/s)`, fmt(claims.rps)],
        ['claim-next latency p50 / p99 (ms)', latency(claims)],
        ['close latency p50 / p99 (ms)', latency(claims.close)],
        ['claims / closes / double claims / errors', `${claims.claimed} / ${claims.closed} / ${claims.doubleClaims} / ${claims.errors}`],
        ['CPU per claim or close: app / postgres / redis (ms)', cpuRow(claims.cpuMs, ['app', 'postgres', 'redis'])],
      );
      verdicts.push(
        `  claim-next p99 < ${targets.p99Ms} ms, 0 double claims: ${met(claims.p99 < targets.p99Ms)}, ${met(claims.doubleClaims === 0)}`,
      );
    }
    await api.stop();
  }

  // 3. Routing lag while intake runs at half its measured maximum, API and workers in their own processes.
  if (phases.has('lag')) {
    const lagUrl = await freshDb('lag');
    const api = await startProcess('services/main.ts', lagUrl, work);
    const workers = await startProcess('workers/main.ts', lagUrl, work, false);
    const rate = Math.max(1, Math.floor((intakeRps ?? Number(process.env.BENCH_LAG_RATE ?? 600)) / 2));
    const lagCpu = cpuMeter({
      api: (pid) => (pid === api.child.pid ? 'all' : undefined),
      workers: (pid) => (pid === workers.child.pid ? 'all' : undefined),
      ...serverProcesses,
    });
    const halfLoad = await loadIntake(api.base, { connections: CONNECTIONS, seconds: DURATION_S, overallRate: rate });
    const lag = await routingLag(lagUrl, halfLoad.count);
    // Until every item is routed and its email sent: what one intake costs from the request to the email.
    const lagCpuMs = lagCpu.msPer(halfLoad.count);
    await api.stop();
    await workers.stop();
    rows.push(
      [`intake latency at ${rate} req/s (half of ${rate * 2}) p50 / p99 (ms)`, latency(halfLoad)],
      [`routing lag at ${rate} req/s: p50 / p95 (ms)`, `${fmt(lag.p50, 0)} / ${fmt(lag.p95, 0)}`],
      ['items routed in the lag phase', `${lag.routed} / ${halfLoad.count}`],
      [
        'CPU per intake, routed and mailed: api / workers / postgres / redis (ms)',
        cpuRow(lagCpuMs, ['api', 'workers', 'postgres', 'redis']),
      ],
      [
        '"received" email lag p50 / p95 (ms)',
        `${fmt(lag.mail.p50, 0)} / ${fmt(lag.mail.p95, 0)} (${lag.mail.sent} / ${lag.mail.wanted} sent)`,
      ],
    );
    verdicts.push(`  routing lag p95 ≤ 1000 ms: ${met(lag.p95 <= 1000)}`);
  }

  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log('\ntargets:');
  for (const v of verdicts) console.log(v);
  if (process.env.BENCH_FANOUT !== 'off') await (await import('./fanout.js')).runFanOutBench();
}

const queuePrefixBase = `cpt-bench-${randomBytes(3).toString('hex')}`;
/**
 * Each database gets queues of its own: row ids start again at 1 in every database, and a job id met again in a shared
 * queue is taken for one already done (the reconciler would send that email a minute late, as after a restore).
 */
const queuePrefixOf = (databaseUrl: string) => `{${queuePrefixBase}-${new URL(databaseUrl).pathname.slice(1)}}`;

/** Removes the run's BullMQ keys from a shared Redis. */
async function clearRedisPrefix() {
  if (!process.env.REDIS_URL) return;
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL);
  for await (const keys of redis.scanStream({ match: `{${queuePrefixBase}-*`, count: 1000 })) {
    if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
  }
  redis.disconnect();
}

const CLAIMERS = 32;
const CLAIM_CASES = 10_000;
const ACCESS_CODE = 'BENCH234';

/**
 * The tracking number of seeded item n: T, a day, and n in eight characters of the tracking alphabet (0 and 1
 * become A and B), so pgbench can name an item by its number as a consumer does. pgbench writes the same mapping.
 */
const seededTrackingNo = (n: number) => `T20261128${String(n).padStart(8, '0').replaceAll('0', 'A').replaceAll('1', 'B')}`;
const SEEDED_TRACKING_SQL = `'T20261128' || translate(lpad(:n::text, 8, '0'), '01', 'AB')`;

/** CLAIM_CASES open cases over as many merchants, each with one accepted complaint and its two events. */
async function seedCases(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`
    INSERT INTO merchants (merchant_key, name, normalized_name)
      SELECT 'bench:' || g, '商户' || g, '商户' || g FROM generate_series(1, ${CLAIM_CASES}) g;
    INSERT INTO cases (merchant_id, category, queue, jurisdiction_code, status, priority, due_at)
      SELECT id, 'scale', (ARRAY['metrology', 'product_quality', 'child_safety'])[id % 3 + 1], '410702', 'open', 1 + id % 4,
        now() + (id % 500) * interval '1 hour'
      FROM merchants ORDER BY id;`);
  await client.query(
    `INSERT INTO items (tracking_no, access_code_hash, kind, category, title, description, merchant_id, merchant, status,
       jurisdiction_code, queue, priority, case_id, routed_at)
     SELECT ${SEEDED_TRACKING_SQL.replace(':n', 'c.id')}, $1, 'complaint', 'scale', '鬼秤', '手机变砝码复核发现短斤缺两',
       c.merchant_id, jsonb_build_object('name', '商户' || c.merchant_id), 'accepted', '410702', c.queue, c.priority, c.id, now()
     FROM cases c ORDER BY c.id`,
    [hashAccessCode(AUTH_SECRET, ACCESS_CODE)],
  );
  await client.query(`
    INSERT INTO item_events (item_id, actor_type, to_status) SELECT id, 'consumer', 'submitted' FROM items ORDER BY id;
    INSERT INTO item_events (item_id, actor_type, from_status, to_status, data)
      SELECT id, 'system', 'submitted', 'accepted', '{"bureauName": "新乡市红旗区市场监督管理局"}' FROM items ORDER BY id;
    ANALYZE;`);
  await client.end();
}

/** Tracking requests spread over the seeded items, each connection its own client address. */
async function loadTracking(base: string, seconds: number) {
  let n = 0;
  let clientNo = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    setupClient: (client) =>
      client.setHeaders({ 'x-access-code': ACCESS_CODE, 'x-forwarded-for': `10.1.${Math.floor(clientNo / 250)}.${clientNo++ % 250}` }),
    requests: [
      { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/complaints/${seededTrackingNo(1 + (n++ % CLAIM_CASES))}` }) },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/**
 * 32 inspectors, each a connection that claims the next case and closes its item (which closes the case), over and
 * over. Only the claims' latencies are reported; autocannon answers each connection's requests in order.
 */
async function claimBench(databaseUrl: string, base: string, meter: () => ReturnType<typeof cpuMeter>) {
  const passwordHash = await hashPassword('bench-claims-2026');
  const db = createDb(createPool(databaseUrl, logger, { max: 2 }));
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
  const tokens: string[] = [];
  for (let i = 0; i < CLAIMERS; i++) {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${i}` },
      body: JSON.stringify({ email: `claimer${i}@bench.local`, password: 'bench-claims-2026' }),
    });
    tokens.push(((await res.json()) as { token: string }).token);
  }
  let clientNo = 0;
  /** claim, close, claim, close… on every connection for a while; the latencies of each kind and the failures. */
  const cycle = async (seconds: number) => {
    const claimLatencies: number[] = [];
    const closeLatencies: number[] = [];
    const responsesOf = new Map<object, number>();
    const errorStatuses: number[] = [];
    let closed = 0;
    let claimed = 0;
    let instance: autocannon.Instance | undefined;
    const finished = new Promise((resolve, reject) => {
      instance = autocannon(
        {
          url: base,
          connections: CLAIMERS,
          duration: seconds,
          setupClient: (client) =>
            client.setHeaders({ authorization: `Bearer ${tokens[clientNo++ % CLAIMERS]}`, 'content-type': 'application/json' }),
          requests: [
            {
              method: 'POST',
              path: '/api/v1/cases/claim',
              body: '{}',
              onResponse: (status, body, context) => {
                (context as { trackingNo?: string }).trackingNo =
                  status === 200 ? (JSON.parse(body) as { items: Array<{ trackingNo: string }> }).items[0]?.trackingNo : undefined;
                // 204: no case left to claim, which the seeded 10,000 cases should never reach in a run.
                if (status !== 200) errorStatuses.push(status);
              },
            },
            {
              method: 'POST',
              setupRequest: (req, context) => ({
                ...req,
                path: `/api/v1/complaints/${(context as { trackingNo?: string }).trackingNo ?? 'none'}/transitions`,
                body: JSON.stringify({ to: 'closed', outcome: 'mediated_agreement' }),
              }),
              onResponse: (status) => {
                if (status === 200) closed++;
                else errorStatuses.push(status);
              },
            },
          ],
        },
        (err, result) => (err ? reject(err as Error) : resolve(result)),
      );
    });
    // Each connection sends claim, close, claim, close…: its even-numbered responses are claims.
    instance!.on('response', (client, status, _bytes, responseTime) => {
      const k = responsesOf.get(client) ?? 0;
      responsesOf.set(client, k + 1);
      (k % 2 === 0 ? claimLatencies : closeLatencies).push(responseTime);
      if (k % 2 === 0 && status === 200) claimed++;
    });
    await finished;
    return { claimLatencies, closeLatencies, claimed, closed, errorStatuses };
  };
  await cycle(WARMUP_S);
  const cpu = meter();
  const { claimLatencies, closeLatencies, claimed, closed, errorStatuses } = await cycle(DURATION_S);
  const cpuMs = cpu.msPer(claimed + closed);
  const doubles = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM (SELECT case_id FROM case_events WHERE action = 'claimed' GROUP BY case_id HAVING count(*) > 1) d`.execute(
    db,
  );
  await db.destroy();
  claimLatencies.sort((a, b) => a - b);
  closeLatencies.sort((a, b) => a - b);
  return {
    rps: claimed / DURATION_S,
    p50: percentile(claimLatencies, 50),
    p99: percentile(claimLatencies, 99),
    close: { p50: percentile(closeLatencies, 50), p99: percentile(closeLatencies, 99) },
    claimed,
    closed,
    cpuMs,
    errors: errorStatuses.length ? `${errorStatuses.length} (${[...new Set(errorStatuses)].join(', ')})` : '0',
    doubleClaims: doubles.rows[0]!.n,
  };
}

/** pgbench from PGBENCH, the PATH, or the newest PostgreSQL under /usr/lib/postgresql. */
function findPgbench(): string | undefined {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = [
    process.env.PGBENCH,
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'pgbench')),
    ...versions.map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`),
  ];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

/** Runs a pgbench script at CONNECTIONS clients for DURATION_S with prepared statements; tx/s and latency percentiles. */
async function runPgbench(pgbench: string, databaseUrl: string, work: string, label: string, script: string) {
  const dir = mkdtempSync(path.join(work, `pgbench-${label}-`));
  writeFileSync(path.join(dir, 'script.sql'), script);
  const args = ['-n', '-M', 'prepared', '-c', String(CONNECTIONS), '-j', '2', '-T', String(DURATION_S), '-f', 'script.sql', '-l'];
  const child = spawn(pgbench, [...args, databaseUrl], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
  if (code !== 0 || !tps) throw new Error(`pgbench ${label} failed (${code}):\n${out}`);
  // Per-transaction log lines: client, transaction, latency in µs, script, epoch s, µs.
  const latencies = readdirSync(dir)
    .filter((f) => f.startsWith('pgbench_log'))
    .flatMap((f) =>
      readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => Number(line.split(' ')[2]) / 1000),
    )
    .sort((a, b) => a - b);
  return { tps: Number(tps), count: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** The rows one intake writes (item, first event, triage outbox row), in one statement as intake does. */
async function pgbenchIntake(pgbench: string, databaseUrl: string, work: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`INSERT INTO merchants (merchant_key, name, normalized_name) VALUES ('bench-pgbench', '商户', '商户')`);
  await client.end();
  return runPgbench(
    pgbench,
    databaseUrl,
    work,
    'intake',
    `WITH i AS (
  INSERT INTO items (tracking_no, access_code_hash, kind, category, title, description, merchant_id, merchant, evidence, status, received_at)
  VALUES ('P' || md5(random()::text || clock_timestamp()::text), md5(random()::text), 'complaint', 'scale', '鬼秤', '手机变砝码复核发现短斤缺两',
    (SELECT id FROM merchants WHERE merchant_key = 'bench-pgbench'), '{"name": "商户", "districtCode": "410702"}',
    '{"referenceMassG": 200, "displayedMassG": 210, "scaleIntervalG": 5}', 'submitted', now())
  RETURNING id, tracking_no
), e AS (
  INSERT INTO item_events (item_id, actor_type, to_status) SELECT id, 'consumer', 'submitted' FROM i
)
INSERT INTO outbox (queue, payload) SELECT 'triage', jsonb_build_object('trackingNo', tracking_no) FROM i;
`,
  );
}

/** The two reads a tracking request needs at least: the item (with its bureau) by tracking number, and its events. */
function pgbenchTracking(pgbench: string, databaseUrl: string, work: string) {
  return runPgbench(
    pgbench,
    databaseUrl,
    work,
    'tracking',
    `\\set n random(1, ${CLAIM_CASES})
SELECT i.id, i.tracking_no, i.access_code_hash, i.kind, i.category, i.status, i.queue, i.accept_by, i.verify_by,
  i.mediation_ends_by, i.rectify_by, i.recheck_by, j.code, j.full_name, j.bureau_name
FROM items i LEFT JOIN jurisdictions j ON j.code = i.jurisdiction_code WHERE i.tracking_no = ${SEEDED_TRACKING_SQL};
SELECT at, to_status, data FROM item_events WHERE item_id = :n ORDER BY id;
`,
  );
}

async function startProcess(entry: string, databaseUrl: string, work: string, isApi = true) {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: path.join(work, 'data'),
    AUTH_SECRET,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TRUST_PROXY: 'true',
    RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    // The load comes from a few hundred addresses, far above a consumer's limits.
    RATE_LIMIT_MULTIPLIER: '100000',
    QUEUE_PREFIX: queuePrefixOf(databaseUrl),
    // A workers process answers /readyz there once its workers run.
    ...(isApi ? {} : { WORKER_HEALTH_PORT: String(port) }),
  };
  // BENCH_NODE_ARGS passes flags to the measured processes, e.g. "--cpu-prof --cpu-prof-dir=prof" to profile them.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
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

/** The database and queue servers, by process name: on this machine or embedded, they share its CPUs with the service. */
const serverProcesses: Record<string, CpuSource> = {
  postgres: (_pid, comm) => (comm === 'postgres' ? 'all' : undefined),
  redis: (_pid, comm) => (comm.startsWith('redis-server') ? 'all' : undefined),
};

/**
 * Which CPU time of a process counts for a group: its own and its reaped children's ('all': a server's backends that
 * exited are in the postmaster's children's time), only its reaped children's, or none.
 */
type CpuSource = (pid: number, comm: string) => 'all' | 'children' | undefined;

/**
 * CPU time (user + system, from /proc) of groups of processes from now on, to say what one request costs across the
 * service, PostgreSQL and Redis, beside what one pgbench transaction costs. Zero where /proc is missing; processes that
 * end before the reading are not counted (the load runs while they live).
 */
function cpuMeter(groups: Record<string, CpuSource>) {
  const ticksPerSecond = 100;
  const read = () => {
    const totals = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
    if (!existsSync('/proc')) return totals;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime (fields 14–17 of proc(5), counted from the state field).
      const [own, children] = [Number(fields[11]) + Number(fields[12]), Number(fields[13]) + Number(fields[14])];
      for (const [group, source] of Object.entries(groups)) {
        const counted = source(Number(pid), comm);
        if (counted) totals[group]! += (counted === 'all' ? own + children : children) / ticksPerSecond;
      }
    }
    return totals;
  };
  const start = read();
  return {
    /** Milliseconds of CPU per unit of work (requests, transactions) since the meter started, by group. */
    msPer(units: number): Record<string, number> {
      const end = read();
      return Object.fromEntries(Object.keys(groups).map((g) => [g, (1000 * (end[g]! - start[g]!)) / Math.max(1, units)]));
    },
  };
}

const cpuRow = (ms: Record<string, number>, groups: string[]) =>
  `${groups.map((g) => fmt(ms[g] ?? NaN, 2)).join(' / ')} (total ${fmt(
    groups.reduce((sum, g) => sum + (ms[g] ?? 0), 0),
    2,
  )})`;

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
