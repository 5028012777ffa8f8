import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import { readJson, type TestEnv } from '../support/env.js';
import { startSamplingEnv } from '../support/sampling.js';
import { demo, signIn } from '../support/staff.js';
import { WebClient } from '../support/web-client.js';

/** The conflicts-of-interest (回避) page beside the API: declare, see, withdraw; a regulator for their inspectors. */
let env: TestEnv;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ env, stop } = await startSamplingEnv());
});
afterAll(() => stop());

async function signedIn(email: string) {
  const b = new WebClient(env.app);
  await b.signInStaff(email, DEMO_PASSWORD);
  return b;
}

const declarationsOf = async (email: string) =>
  (await readJson(await env.app.request('/api/v1/sampling/conflicts', { headers: await signIn(env, email) }))).items as Array<{
    merchantName: string;
    inspectorName: string;
    declaredBy: number;
    withdrawnAt: string | null;
  }>;

describe('declaring a conflict of interest on its page', () => {
  it('an inspector declares one (errors beside the fields, values kept), sees it and withdraws it', async () => {
    const b = await signedIn(demo.hongqi);
    const page = await (await b.request('/staff/sampling/conflicts')).text();
    expect(page).toContain('回避声明');
    expect(page).not.toContain('name="inspectorId"'); // an inspector declares their own
    expect(page).toContain('value="410702"'); // the counties of their jurisdiction

    const _csrf = await b.token('/staff/sampling/conflicts');
    const bad = await b.post('/staff/sampling/conflicts', {
      _csrf,
      'merchant.name': '表哥的五金店',
      'merchant.districtCode': '410702',
      reason: '',
    });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('id="f-declare-reason-error"');
    expect(badPage).toContain('value="表哥的五金店"');
    expect(await declarationsOf(demo.hongqi)).toEqual([]);

    const ok = await b.post('/staff/sampling/conflicts', {
      _csrf,
      'merchant.name': '表哥的五金店',
      'merchant.districtCode': '410702',
      'merchant.uscc': '',
      reason: '经营者是我的表哥',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/staff/sampling/conflicts?notice=declared');
    const listed = await (await b.request('/staff/sampling/conflicts?notice=declared')).text();
    expect(listed).toContain('回避声明已登记');
    expect(listed).toContain('经营者是我的表哥');
    const [declared] = await declarationsOf(demo.hongqi);
    expect(declared).toMatchObject({ merchantName: '表哥的五金店', withdrawnAt: null });

    const action = /action="(\/staff\/sampling\/conflicts\/\d+\/withdraw)"/.exec(listed)![1]!;
    const withdrawn = await b.post(action, { _csrf });
    expect(withdrawn.status).toBe(303);
    expect((await declarationsOf(demo.hongqi))[0]!.withdrawnAt).not.toBeNull();
    expect(await (await b.request('/staff/sampling/conflicts')).text()).toContain('撤回');
  });

  it('a regulator records one for an inspector of their jurisdiction and sees every inspector’s', async () => {
    const b = await signedIn(demo.regulator);
    const page = await (await b.request('/staff/sampling/conflicts')).text();
    const option = new RegExp(`<option value="(\\d+)"[^>]*>[^<]*（410702）`).exec(page);
    expect(option).not.toBeNull();
    const _csrf = await b.token('/staff/sampling/conflicts');
    const res = await b.post('/staff/sampling/conflicts', {
      _csrf,
      inspectorId: option![1]!,
      'merchant.name': '同学的童装店',
      'merchant.districtCode': '410702',
      reason: '检查员与经营者是同学，本人口头申请，由科长登记',
    });
    expect(res.status).toBe(303);
    const all = await declarationsOf(demo.regulator);
    expect(all.map((k) => k.merchantName)).toEqual(expect.arrayContaining(['同学的童装店', '表哥的五金店']));
    expect(await (await b.request('/staff/sampling/conflicts')).text()).toContain('同学的童装店');
  });
});
