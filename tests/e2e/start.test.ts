import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import PostalMime from 'postal-mime';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../shared/db/index.js';
import { eventually, readJson } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { startSmtpServer } from '../support/smtp.js';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Runs `npm start`'s entrypoint as its own process, as a user would. */
async function start(env: Record<string, string | undefined>, entry = 'bin/start.ts') {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'cpt-e2e-'));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'NODE_ENV', 'VITEST', 'TEST'].some((p) => k.startsWith(p)),
    ),
  );
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...clean, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${env.WORKER_HEALTH_PORT ?? port}`;
  await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 90_000, 250).catch((err: Error) => {
    throw new Error(`${err.message}\n${output}`);
  });
  return {
    base,
    dataDir,
    output: () => output,
    async stop() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

async function fileAndFollow(base: string, body: unknown) {
  const res = await fetch(`${base}/api/v1/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  const filed = await readJson(res);
  const view = await eventually(async () => {
    const v = await readJson(
      await fetch(`${base}/api/v1/complaints/${filed.trackingNo}`, { headers: { 'x-access-code': filed.accessCode } }),
    );
    return v.status === 'pending_acceptance' && v;
  }, 30_000);
  return { filed, view };
}

describe('npm start', () => {
  it('on embedded defaults serves the API, /docs and the workers, prints the URLs, writes mail to files and stops on SIGTERM', async () => {
    const app = await start({});
    const out = app.output();
    expect(out).toContain(`/api/v1`);
    expect(out).toContain('/docs');
    expect(out).toContain('embedded PostgreSQL');
    expect(out).toContain('/staff/login');
    // The demo content: a published recall and an open 你点我检 campaign, and the pages that show them.
    expect((await readJson(await fetch(`${app.base}/api/v1/recalls`))).total).toBe(1);
    expect((await readJson(await fetch(`${app.base}/api/v1/sampling/campaigns`))).items).toHaveLength(1);
    const home = await fetch(`${app.base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');

    const { filed, view } = await fileAndFollow(app.base, scaleComplaint({ reporter: { email: 'e2e@example.com' } }));
    expect(view).toMatchObject({ jurisdiction: { code: '410702' }, queue: 'metrology' });
    // The demo content sends mail of its own; this complaint's is the one naming its tracking number.
    const mail = await eventually(async () => {
      const dir = path.join(app.dataDir, 'mail');
      const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      const mails = await Promise.all(files.map((f) => PostalMime.parse(readFileSync(path.join(dir, f), 'utf8'))));
      return mails.find((m) => m.subject?.includes(filed.trackingNo));
    }, 60_000);
    expect(mail.subject).toContain(filed.trackingNo);
    expect(mail.text).toContain(filed.accessCode);

    const docs = await fetch(`${app.base}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    expect((await fetch(`${app.base}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    const spec = await readJson(await fetch(`${app.base}/openapi.json`));
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/complaints', '/api/v1/complaints/{trackingNo}']));

    expect(await app.stop()).toBe(0);
  }, 180_000);

  it('with DATABASE_URL, REDIS_URL (when set) and SMTP_URL uses those services', async () => {
    const smtp = await startSmtpServer();
    const { url, drop } = await emptyDatabase();
    try {
      const app = await start({
        DATABASE_URL: url.toString(),
        REDIS_URL: process.env.REDIS_URL,
        QUEUE_PREFIX: `{cpt-e2e-${randomBytes(3).toString('hex')}}`,
        SMTP_URL: smtp.url,
      });
      expect(app.output()).toContain(process.env.REDIS_URL ? 'BullMQ on Redis' : 'BullMQ on PostgreSQL');
      expect(app.output()).toContain('SMTP (SMTP_URL)');
      const { filed } = await fileAndFollow(app.base, scaleComplaint({ reporter: { email: 'smtp-e2e@example.com' } }));
      const mail = await eventually(async () => smtp.received.find((m) => m.envelopeTo.includes('smtp-e2e@example.com')));
      expect(mail.parsed.subject).toBe(`您的投诉已收到（${filed.trackingNo}）`);
      expect(await app.stop()).toBe(0);
    } finally {
      await smtp.close();
      await drop();
    }
  }, 180_000);

  it('scales out: the API and the workers as separate processes, each with its own health check', async () => {
    const { url, drop } = await emptyDatabase();
    const shared = {
      DATABASE_URL: url.toString(),
      REDIS_URL: process.env.REDIS_URL,
      QUEUE_PREFIX: `{cpt-e2e-${randomBytes(3).toString('hex')}}`,
      AUTH_SECRET: 'e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    };
    try {
      const workers = await start({ ...shared, WORKER_HEALTH_PORT: String(await freePort()) }, 'workers/main.ts');
      expect(await readJson(await fetch(`${workers.base}/readyz`))).toEqual({ status: 'ready', database: 'ok', queue: 'ok' });
      const api = await start(shared, 'services/main.ts');
      const { view } = await fileAndFollow(api.base, scaleComplaint());
      expect(view.queue).toBe('metrology');
      expect(await api.stop()).toBe(0);
      expect(await workers.stop()).toBe(0);
    } finally {
      await drop();
    }
  }, 180_000);
});

/** An empty database on the test server, for a process that migrates it itself. */
async function emptyDatabase() {
  const name = `${inject('templateDatabase')}_e2e_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('serverUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(inject('serverUrl'));
  url.pathname = `/${name}`;
  return {
    url,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
