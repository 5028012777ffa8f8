import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import { createTestEnv, postJson, readJson, type TestEnv } from '../support/env.js';
import { demo, seedStaff, signIn } from '../support/staff.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
  await seedStaff(env);
});
afterAll(async () => {
  await env.close();
});

const me = (headers: Record<string, string>) => env.app.request('/api/v1/auth/me', { headers });

describe('staff sign-in', () => {
  it('returns a token and the user per the contract', async () => {
    const res = await postJson(env.app, '/api/v1/auth/login', { email: 'Inspector.Hongqi@demo.local', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.user).toMatchObject({ name: '红旗区检查员一', role: 'inspector', jurisdictionCode: '410702' });
    const [header] = body.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await me({ authorization: `Bearer ${body.token}` })).status).toBe(200);
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await postJson(env.app, '/api/v1/auth/login', { email: demo.regulator, password: 'nope-nope-nope' });
    const unknown = await postJson(env.app, '/api/v1/auth/login', { email: 'nobody@demo.local', password: 'nope-nope-nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect((await readJson(res)).error.message).toBe('邮箱或密码错误');
    }
  });

  it('locks an account after five failures, even for the right password, until reset, answering like a wrong password', async () => {
    for (let i = 0; i < 5; i++) await postJson(env.app, '/api/v1/auth/login', { email: demo.hongqi2, password: 'wrong-password' });
    const locked = await postJson(env.app, '/api/v1/auth/login', { email: demo.hongqi2, password: DEMO_PASSWORD });
    expect(locked.status).toBe(401);
    expect((await readJson(locked)).error.message).toBe('邮箱或密码错误');
    const admin = await signIn(env, demo.admin);
    const { id } = (await readJson(await env.app.request('/api/v1/staff', { headers: admin }))).find(
      (s: { email: string }) => s.email === demo.hongqi2,
    );
    expect((await postJson(env.app, `/api/v1/staff/${id}/reset-password`, { password: 'a-new-password-2026' }, admin)).status).toBe(200);
    expect((await postJson(env.app, '/api/v1/auth/login', { email: demo.hongqi2, password: 'a-new-password-2026' })).status).toBe(200);
  });

  it('counts parallel wrong passwords atomically: a burst of 40 locks the account', async () => {
    const email = 'burst@demo.local';
    const admin = await signIn(env, demo.admin);
    await postJson(
      env.app,
      '/api/v1/staff',
      { email, name: '并发测试', role: 'inspector', jurisdictionCode: '410702', password: 'burst-password-2026' },
      admin,
    );
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => postJson(env.app, '/api/v1/auth/login', { email, password: 'wrong-password' })),
    );
    expect(new Set(burst.map((r) => r.status))).toEqual(new Set([401]));
    const row = await env.db
      .selectFrom('staff')
      .select(['failed_logins', 'locked_until'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now());
    expect(row.failed_logins).toBe(5); // only five tries were ever counted and checked
    expect((await postJson(env.app, '/api/v1/auth/login', { email, password: 'burst-password-2026' })).status).toBe(401);
  });

  it('answers an unknown email exactly like a known one, before and after a lockout, in similar time', async () => {
    const strip = async (res: Response) => {
      const body = await readJson(res);
      delete body.error.requestId;
      return { status: res.status, body };
    };
    const attempt = async (email: string) => {
      const started = performance.now();
      const res = await postJson(env.app, '/api/v1/auth/login', { email, password: 'wrong-password' });
      return { ...(await strip(res)), ms: performance.now() - started };
    };
    const email = 'timing@demo.local';
    await postJson(
      env.app,
      '/api/v1/staff',
      { email, name: '计时测试', role: 'inspector', jurisdictionCode: '410702', password: 'timing-password-2026' },
      await signIn(env, demo.admin),
    );
    const known = [];
    const unknown = [];
    for (let i = 0; i < 7; i++) {
      known.push(await attempt(email)); // locks after five: the last two are answered while locked
      unknown.push(await attempt('nobody-here@demo.local'));
    }
    for (let i = 0; i < 7; i++) expect({ ...known[i], ms: 0 }).toEqual({ ...unknown[i], ms: 0 });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(known.map((k) => k.ms)) / median(unknown.map((u) => u.ms));
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('rate limits sign-in attempts per client', async () => {
    const limited = await createTestEnv({ RATE_LIMIT_LOGIN_PER_MINUTE: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await postJson(limited.app, '/api/v1/auth/login', { email: 'x@demo.local', password: 'whatever-pass' })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('tokens', () => {
  it('refuses a missing, malformed, forged, expired or alg-none token', async () => {
    const good = await signIn(env, demo.jiefang);
    const payload = JSON.parse(Buffer.from(good.authorization!.split('.')[1]!, 'base64url').toString());
    const forged = await sign(payload, 'another-secret-0123456789abcdefghijklmnop', 'HS256');
    const expired = await sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 10 }, env.config.AUTH_SECRET, 'HS256');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${good.authorization!.split('.')[1]}.`;
    for (const authorization of [undefined, 'Bearer', 'Basic abc', `Bearer ${forged}`, `Bearer ${expired}`, `Bearer ${none}`]) {
      const res = await me(authorization ? { authorization } : {});
      expect(res.status, String(authorization)).toBe(401);
      expect((await readJson(res)).error.code).toBe('unauthorized');
    }
  });

  it('refuses a token that expires after it was first accepted', async () => {
    const good = await signIn(env, demo.jiefang);
    const payload = JSON.parse(Buffer.from(good.authorization!.split('.')[1]!, 'base64url').toString());
    const shortLived = await sign({ ...payload, exp: Math.floor(Date.now() / 1000) + 60 }, env.config.AUTH_SECRET, 'HS256');
    expect((await me({ authorization: `Bearer ${shortLived}` })).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect((await me({ authorization: `Bearer ${shortLived}` })).status).toBe(401);
      expect((await me(good)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is revoked by logout', async () => {
    const headers = await signIn(env, demo.jiefang);
    expect((await postJson(env.app, '/api/v1/auth/logout', {}, headers)).status).toBe(204);
    expect((await me(headers)).status).toBe(401);
  });
});

describe('staff administration', () => {
  it('lets an admin create, list and deactivate accounts in their jurisdiction; deactivation ends sessions', async () => {
    const admin = await signIn(env, demo.admin);
    const created = await postJson(
      env.app,
      '/api/v1/staff',
      {
        email: 'new.inspector@demo.local',
        name: '新检查员',
        role: 'inspector',
        jurisdictionCode: '410711',
        specialties: ['metrology'],
        password: 'long-enough-pass',
      },
      admin,
    );
    expect(created.status).toBe(201);
    const account = await readJson(created);
    expect(account).toMatchObject({ role: 'inspector', jurisdictionCode: '410711', specialties: ['metrology'], active: true });
    expect(
      (
        await postJson(
          env.app,
          '/api/v1/staff',
          { email: 'NEW.inspector@demo.local', name: 'x', role: 'admin', jurisdictionCode: '410711', password: 'long-enough-pass' },
          admin,
        )
      ).status,
    ).toBe(409);

    const session = await signIn(env, 'new.inspector@demo.local', 'long-enough-pass');
    expect((await postJson(env.app, `/api/v1/staff/${account.id}/deactivate`, {}, admin)).status).toBe(200);
    expect((await me(session)).status).toBe(401);
    expect(
      (await postJson(env.app, '/api/v1/auth/login', { email: 'new.inspector@demo.local', password: 'long-enough-pass' })).status,
    ).toBe(401);
  });

  it('refuses accounts outside the admin’s jurisdiction (404) and non-admins (403)', async () => {
    const admin = await signIn(env, demo.admin); // 410700 新乡市
    const outside = await postJson(
      env.app,
      '/api/v1/staff',
      { email: 'far@demo.local', name: 'x', role: 'inspector', jurisdictionCode: '110105', password: 'long-enough-pass' },
      admin,
    );
    expect(outside.status).toBe(404);
    const inspector = await signIn(env, demo.hongqi);
    expect((await env.app.request('/api/v1/staff', { headers: inspector })).status).toBe(403);
  });

  it('names every bad field', async () => {
    const admin = await signIn(env, demo.admin);
    const res = await postJson(
      env.app,
      '/api/v1/staff',
      { email: 'bad', name: '', role: 'boss', jurisdictionCode: '41', password: 'short' },
      admin,
    );
    expect(res.status).toBe(400);
    const fields = (await readJson(res)).error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'name', 'role', 'jurisdictionCode', 'password']));
  });
});

describe('the staff administration audit trail', () => {
  it('records who created, changed the role of, disabled, re-enabled and reset the password of an account', async () => {
    const admin = await signIn(env, demo.admin);
    const account = await readJson(
      await postJson(
        env.app,
        '/api/v1/staff',
        {
          email: 'audited@demo.local',
          name: '审计对象',
          role: 'inspector',
          jurisdictionCode: '410702',
          specialties: ['metrology'],
          password: 'long-enough-pass',
        },
        admin,
      ),
    );
    const step = async (p: string, body: unknown = {}) =>
      expect((await postJson(env.app, `/api/v1/staff/${account.id}${p}`, body, admin)).status).toBe(200);
    await step('', { role: 'regulator' });
    await step('', { role: 'regulator' }); // no change, nothing to record
    await step('/deactivate');
    await step('/reactivate');
    await step('/reset-password', { password: 'a-new-long-password' });

    const res = await env.app.request(`/api/v1/staff/events?staffId=${account.id}`, { headers: admin });
    expect(res.status).toBe(200);
    const events = await readJson(res);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['password_reset', 'reactivated', 'deactivated', 'updated', 'created']);
    for (const e of events) expect(e).toMatchObject({ staffId: account.id, email: 'audited@demo.local', actorEmail: demo.admin });
    expect(events.find((e: { action: string }) => e.action === 'updated').data).toEqual({
      role: { from: 'inspector', to: 'regulator' },
      specialties: { from: ['metrology'], to: [] },
    });
    expect(events.at(-1).data).toEqual({ role: 'inspector', jurisdictionCode: '410702', specialties: ['metrology'] });
    expect(JSON.stringify(events)).not.toContain('long-pass');
    expect(JSON.stringify(events)).not.toContain('long-password');

    // Only admins read the trail.
    expect((await env.app.request('/api/v1/staff/events', { headers: await signIn(env, demo.hongqi) })).status).toBe(403);
  });
});

describe('the staff CLI', () => {
  it('creates, resets and deactivates an account, each in the audit trail', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const run = (...args: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'bin/staff.ts', ...args], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: env.databaseUrl, AUTH_SECRET: env.config.AUTH_SECRET, DATA_DIR: env.config.DATA_DIR },
        encoding: 'utf8',
      });
    const created = run('create', '--email', 'cli@demo.local', '--name', '命令行', '--role', 'regulator', '--jurisdiction', '410700');
    expect(created).toContain('"role":"regulator"');
    expect(created).toMatch(/^password: \S{16}$/m);
    expect(run('reset', '--email', 'cli@demo.local', '--password', 'another-long-pass')).toContain('cli@demo.local');
    expect(run('deactivate', '--email', 'cli@demo.local')).toContain('"active":false');

    // The CLI acts as no one: its changes are in the audit trail with no actor.
    const trail = await env.db
      .selectFrom('staff_events')
      .innerJoin('staff', 'staff.id', 'staff_events.staff_id')
      .select(['staff_events.action', 'staff_events.actor_id', 'staff_events.data'])
      .where('staff.email', '=', 'cli@demo.local')
      .orderBy('staff_events.id')
      .execute();
    expect(trail.map((e) => [e.action, e.actor_id])).toEqual([
      ['created', null],
      ['password_reset', null],
      ['deactivated', null],
    ]);
    expect(JSON.stringify(trail)).not.toContain('another-long-pass');
  }, 120_000); // four CLI processes, each starting TypeScript
});
