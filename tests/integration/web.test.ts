import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import { createTestEnv, eventually, type TestEnv } from '../support/env.js';
import { jpegWithGps } from '../support/images.js';
import { demo, seedStaff } from '../support/staff.js';
import { ORIGIN, WebClient } from '../support/web-client.js';

/**
 * The pages' security over HTTP, without a browser: CSRF on every form POST, staff sessions in cookies that logout and
 * expiry end, the CSP with its nonce, and the access code never in a URL or a log line.
 */
let env: TestEnv;
const logLines: string[] = [];

beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000' }, { logLines });
  await seedStaff(env);
  await env.startWorkers();
});
afterAll(async () => {
  await env.close();
});

async function fileThroughThePage(b: WebClient, email?: string) {
  const _csrf = await b.token('/report/scale');
  const res = await b.post('/report/scale', {
    _csrf,
    _idem: crypto.randomUUID(),
    kind: 'complaint',
    title: '网页提交',
    description: '215 克的手机显示 232.5 克',
    'merchant.name': '网页商户',
    'merchant.districtCode': '410702',
    'evidence.referenceMassG': '215',
    'evidence.displayedMassG': '232.5',
    ...(email ? { 'reporter.email': email } : {}),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/report/done');
  const done = await (await b.request('/report/done')).text();
  return {
    trackingNo: /id="tracking-no">([^<]+)</.exec(done)![1]!,
    accessCode: /id="access-code">([^<]+)</.exec(done)![1]!,
  };
}

describe('CSRF', () => {
  it('refuses a form POST from another site, and one without this browser’s token', async () => {
    const b = new WebClient(env.app);
    const _csrf = await b.token('/track');
    expect((await b.post('/track', { _csrf, trackingNo: 'T1', accessCode: 'X' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await b.post('/track', { _csrf, trackingNo: 'T1', accessCode: 'X' }, {})).status).toBe(403); // no Origin, no Sec-Fetch-Site
    expect((await b.post('/track', { _csrf: 'forged', trackingNo: 'T1', accessCode: 'X' })).status).toBe(403);
    const other = new WebClient(env.app);
    const theirs = await other.token('/track');
    expect((await b.post('/track', { _csrf: theirs, trackingNo: 'T1', accessCode: 'X' })).status).toBe(403);
    // Same site and the right token: the form is processed (here: a wrong code, shown again as a form error).
    expect((await b.post('/track', { _csrf, trackingNo: 'T1', accessCode: 'X' })).status).toBe(400);
    expect((await b.post('/track', { _csrf, trackingNo: 'T1', accessCode: 'X' }, { 'sec-fetch-site': 'same-origin' })).status).toBe(400);
  });

  it('leaves the JSON API to its own rules (no cookies, bearer tokens)', async () => {
    const res = await env.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: demo.jiefang, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe('staff sessions in cookies', () => {
  const signIn = (b: WebClient, email: string) => b.signInStaff(email, DEMO_PASSWORD);

  it('keeps the session in an HttpOnly, SameSite=Lax cookie; logout revokes it server-side', async () => {
    const b = new WebClient(env.app);
    const res = await signIn(b, demo.hongqi);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cpt_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; PUBLIC_URL https makes it Secure
    expect((await b.request('/staff/queue')).status).toBe(200);

    const stolen = b.cookies.get('cpt_session')!;
    const _csrf = await b.token('/staff/queue');
    expect((await b.post('/staff/logout', { _csrf })).status).toBe(303);
    expect(b.cookies.has('cpt_session')).toBe(false);
    // The old cookie is worthless: its session row is revoked.
    const replay = new WebClient(env.app);
    replay.cookies.set('cpt_session', stolen);
    const after = await replay.request('/staff/queue');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fqueue');
  });

  it('an expired session leads back to the sign-in page', async () => {
    const b = new WebClient(env.app);
    await signIn(b, demo.hongqi2);
    await env.db
      .updateTable('staff_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('revoked_at', 'is', null)
      .execute();
    const res = await b.request('/staff/queue');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login/);
  });

  it('marks the cookie Secure when the site is served over HTTPS', async () => {
    const secure = await createTestEnv({ PUBLIC_URL: 'https://cpt.example', RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
    try {
      await seedStaff(secure);
      const page = await secure.app.request('https://cpt.example/staff/login');
      const id = page.headers.getSetCookie().find((c) => c.startsWith('cpt_csrf='))!;
      expect(id).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });

  it('sends the wrong role to a 403 page and nobody else past the sign-in', async () => {
    const b = new WebClient(env.app);
    await signIn(b, demo.hongqi);
    expect((await b.request('/regulator')).status).toBe(403);
    expect((await b.request('/admin/staff')).status).toBe(403);
    expect((await new WebClient(env.app).request('/regulator')).status).toBe(303);
  });

  it('answers a tracking number with NUL in a case page’s path or photo form as unknown, never 500', async () => {
    const filed = await fileThroughThePage(new WebClient(env.app));
    const caseId = await eventually(
      async () =>
        (await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', filed.trackingNo).executeTakeFirst())?.case_id ??
        undefined,
    );
    const b = new WebClient(env.app);
    await signIn(b, demo.hongqi);
    const _csrf = await b.token(`/staff/cases/${caseId}`);
    const decided = await b.post(`/staff/cases/${caseId}/items/${filed.trackingNo}%00/transition`, { _csrf, to: 'accepted' });
    expect(decided.status).toBe(404);
    const form = new FormData();
    form.set('_csrf', _csrf);
    form.set('trackingNo', `${filed.trackingNo}\u0000`);
    form.set('file', new File([jpegWithGps()], 'a.jpg', { type: 'image/jpeg' }));
    const photo = await b.request(`/staff/cases/${caseId}/photos`, { method: 'POST', headers: { origin: ORIGIN }, body: form });
    expect(photo.status, await photo.clone().text()).toBe(400);
  });
});

describe('content security policy', () => {
  it('allows only this site’s scripts and those carrying the response’s nonce', async () => {
    const res = await env.app.request('/report/scale');
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(nonce).toBeTruthy();
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>[^<]+<\/script>/); // no inline code at all
    const again = (await env.app.request('/report/scale')).headers.get('content-security-policy')!;
    expect(again).not.toContain(nonce!); // a fresh nonce per response
  });
});

describe('the access code', () => {
  it('never appears in a URL or a log line: not when filing, on the receipt, when tracking or in the email job', async () => {
    const b = new WebClient(env.app);
    const locations: string[] = [];
    const original = b.request.bind(b);
    b.request = async (path, init) => {
      locations.push(path);
      const res = await original(path, init);
      const loc = res.headers.get('location');
      if (loc) locations.push(loc);
      return res;
    };
    const filed = await fileThroughThePage(b, 'web@example.com');
    const _csrf = await b.token('/track');
    const tracked = await b.post('/track', { _csrf, trackingNo: filed.trackingNo, accessCode: filed.accessCode });
    expect(tracked.headers.get('location')).toBe(`/track/${filed.trackingNo}`);
    const status = await (await b.request(`/track/${filed.trackingNo}`)).text();
    expect(status).toContain(filed.trackingNo);
    // The API's tracking too, and the email that carries the code.
    await env.app.request(`/api/v1/complaints/${filed.trackingNo}`, { headers: { 'x-access-code': filed.accessCode } });
    await eventually(
      async () =>
        (await env.db.selectFrom('notifications').select('status').where('recipient', '=', 'web@example.com').executeTakeFirst())
          ?.status === 'sent',
    );

    expect(logLines.length).toBeGreaterThan(10);
    expect(locations.filter((l) => l.includes(filed.accessCode))).toEqual([]);
    expect(logLines.filter((l) => l.includes(filed.accessCode))).toEqual([]);
    // Nor in the cookies, which are sealed.
    expect([...b.cookies.values()].filter((v) => v.includes(filed.accessCode))).toEqual([]);
  });
});
