import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPage,
  hasChromium,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  newContext,
  screenshot,
  serveApp,
  signInPage,
} from '../support/browser.js';
import { eventually, postJson } from '../support/env.js';
import { codeFor, startSamplingEnv } from '../support/sampling.js';
import { demo, signIn as apiSignIn } from '../support/staff.js';

/**
 * 你点我检 in a real browser: a regulator creates a campaign and moderates, a citizen nominates and votes with the
 * email code, the regulator runs the draw and records a task to its final result, the public reads the results and
 * checks the draw; axe-core on every sampling page, screenshots at phone and desktop widths.
 */

let s: Awaited<ReturnType<typeof startSamplingEnv>>;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
let base: string;
let regulator: BrowserContext;
let staffPage: Page;
let campaignId: number;
let taskId: number;

const inHours = (h: number) => {
  // datetime-local in Beijing time
  const d = new Date(Date.now() + h * 3_600_000 + 8 * 3_600_000);
  return d.toISOString().slice(0, 16);
};

beforeAll(async () => {
  if (!hasChromium) return;
  s = await startSamplingEnv();
  server = await serveApp(s.env);
  base = server.base;
  browser = await launchBrowser();
  regulator = await newContext(browser, { viewport: 'desktop' });
  staffPage = await regulator.newPage();
  await signIn(staffPage, demo.regulator);
}, 120_000);

afterAll(async () => {
  if (!hasChromium) return;
  await browser?.close();
  await server?.close();
  await s?.stop();
});

const signIn = (page: Page, email: string) => signInPage(page, base, email);

const phaseOf = async () =>
  (await s.env.db.selectFrom('sampling_campaigns').select('phase').where('id', '=', campaignId).executeTakeFirstOrThrow()).phase;

/** The regulator's page checked as it is now: accessible, screenshots at desktop width (and phone, with the same session). */
async function checkStaffPage(url: string, name: string) {
  await checkPage(browser, `${base}${url}`, name, { cookies: await regulator.cookies() });
}

async function moveOn(button: RegExp, to: string | RegExp) {
  await staffPage.goto(`${base}/staff/sampling/campaigns/${campaignId}`);
  await staffPage.getByRole('button', { name: button }).click();
  await staffPage.waitForURL(/notice=moved/);
  expect(await phaseOf()).toMatch(to);
}

describe.runIf(hasChromium)('你点我检 in the browser', { timeout: 120_000 }, () => {
  it('a regulator creates a campaign (errors beside the fields, values kept) and opens nominations', async () => {
    await staffPage.goto(`${base}/staff/sampling`);
    await expectAccessible(staffPage, 'staff sampling');
    await staffPage.getByRole('button', { name: '新建活动' }).click();
    await staffPage.waitForURL(`${base}/staff/sampling/campaigns/new`);
    await staffPage.getByLabel('活动说明').fill('由市民提名并投票，票数最高的商品由我局购买抽检。');
    await staffPage.getByLabel('儿童用品').check();
    await staffPage.getByLabel('电动自行车').check();
    await staffPage.getByLabel('提名开始').fill(inHours(1));
    await staffPage.getByLabel('提名截止').fill(inHours(2));
    await staffPage.getByLabel('投票开始').fill(inHours(2));
    await staffPage.getByLabel('投票截止').fill(inHours(1));
    await staffPage.getByLabel('抽检数量 N').fill('2');
    await staffPage.getByLabel('每人票数 K').fill('2');
    await staffPage.getByRole('button', { name: '创建草稿' }).click();
    expect(await staffPage.locator('#error-summary').innerText()).toContain('请修改以下 1 处');
    expect(await staffPage.locator('#f-title-error').count()).toBe(1);
    expect(await staffPage.getByLabel('活动说明').inputValue()).toContain('由市民提名');
    expect(await staffPage.getByLabel('儿童用品').isChecked()).toBe(true);

    // The windows are checked once the fields themselves are right, as in the API.
    await staffPage.getByLabel('活动名称').fill('2026 年冬季你点我检：儿童用品与电动自行车');
    await staffPage.getByRole('button', { name: '创建草稿' }).click();
    expect(await staffPage.locator('#f-votingClosesAt-error').innerText()).toContain('须晚于投票开始时间');
    expect(await staffPage.getByLabel('投票截止').inputValue()).toBe(inHours(1));
    await expectAccessible(staffPage, 'campaign form with errors');
    await screenshot(staffPage, 'sampling-staff-new-errors');

    await staffPage.getByLabel('投票截止').fill(inHours(3));
    await staffPage.getByRole('button', { name: '创建草稿' }).click();
    await staffPage.waitForURL(/\/staff\/sampling\/campaigns\/\d+\?notice=created/);
    campaignId = Number(/campaigns\/(\d+)/.exec(staffPage.url())![1]);
    expect(await phaseOf()).toBe('draft');
    // Drafts are not public.
    expect((await staffPage.goto(`${base}/sampling/${campaignId}`))?.status()).toBe(404);
    await checkStaffPage(`/staff/sampling/campaigns/${campaignId}`, 'sampling-staff-draft');

    await moveOn(/征集中/, 'nominating');
  });

  it('a citizen nominates on a phone without JavaScript; a bad form keeps its values', async () => {
    const context = await newContext(browser, { viewport: 'phone', javaScript: false });
    const page = await context.newPage();
    await page.goto(`${base}/sampling`);
    await page.getByRole('link', { name: /2026 年冬季你点我检/ }).click();
    await page.waitForURL(`${base}/sampling/${campaignId}`);
    await page.getByLabel('商品名称').fill('益智积木');
    await page.getByLabel('品牌').fill('乐童');
    await page.getByRole('button', { name: '提交提名' }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('请修改以下');
    expect(await page.getByLabel('商品名称').inputValue()).toBe('益智积木');
    expect(await page.locator('#f-merchant-name-error').count()).toBe(1);
    await screenshot(page, 'sampling-nominate-errors-nojs');

    await page.getByLabel('儿童用品').check();
    await page.getByLabel('型号').fill('LT-100');
    await page.getByLabel('商家名称').fill('快乐玩具店');
    await page.getByLabel('所在区县').selectOption({ label: '红旗区' });
    await page.getByLabel('地址').fill('新乡市红旗区平原路 88 号');
    await page.getByLabel('提名理由').fill('小零件容易脱落，孩子可能误吞。');
    await page.getByLabel('电子邮箱').fill('nominator@example.com');
    await page.getByLabel('结果公布后发邮件告诉我').check();
    await page.getByRole('button', { name: '提交提名' }).click();
    await page.waitForURL(/notice=nominated/);
    expect(await page.locator('.notice-success').innerText()).toContain('提名已收到');

    // A duplicate of it, to be merged.
    await page.getByLabel('商品名称').fill('乐童益智积木 LT-100');
    await page.getByLabel('儿童用品').check();
    await page.getByLabel('商家名称').fill('快乐玩具店');
    await page.getByLabel('所在区县').selectOption({ label: '红旗区' });
    await page.getByLabel('提名理由').fill('同一款积木，零件太小。');
    await page.getByRole('button', { name: '提交提名' }).click();
    await page.waitForURL(/notice=nominated/);
    await context.close();
  });

  it('the regulator moderates: approves one, merges its duplicate into it, then opens voting', async () => {
    await staffPage.goto(`${base}/staff/sampling/campaigns/${campaignId}/moderation?status=pending`);
    await expectAccessible(staffPage, 'moderation');
    await screenshot(staffPage, 'sampling-moderation');
    const [first, second] = await s.env.db
      .selectFrom('sampling_nominations')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .orderBy('id')
      .execute();
    await staffPage.getByRole('button', { name: `通过 #${first!.id}` }).click();
    await staffPage.waitForURL(/notice=moderated/);
    const card = staffPage.locator(`#nomination-${second!.id}`);
    await card.locator('summary', { hasText: '合并为重复提名' }).click();
    await card.getByLabel('并入提名').selectOption(String(first!.id));
    await card.getByRole('button', { name: `合并为重复提名 #${second!.id}` }).click();
    await staffPage.waitForURL(/notice=moderated/);
    const statuses = await s.env.db
      .selectFrom('sampling_nominations')
      .select(['status', 'merged_into_id'])
      .where('campaign_id', '=', campaignId)
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      { status: 'approved', merged_into_id: null },
      { status: 'merged', merged_into_id: first!.id },
    ]);
    await moveOn(/投票中/, 'voting');
  });

  it('a citizen verifies an email with the code sent to it and votes', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    await page.goto(`${base}/sampling/${campaignId}`);
    await expectAccessible(page, 'voting');
    await page.getByLabel('电子邮箱').fill('voter@example.com');
    await page.getByLabel('结果公布后发邮件告诉我').check();
    await page.getByRole('button', { name: '发送验证码' }).click();
    await page.waitForURL(/notice=code-sent/);
    expect(page.url()).not.toContain('voter@example.com');
    const code = await codeFor(s.smtp, 'voter@example.com');
    await page.getByLabel('6 位验证码').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '验证并开始投票' }).click();
    expect(await page.locator('.notice-danger').innerText()).toContain('验证码错误');
    await page.getByLabel('6 位验证码').fill(code);
    await page.getByRole('button', { name: '验证并开始投票' }).click();
    await page.waitForURL(/notice=verified/);
    expect(await page.locator('#vote .notice-success').innerText()).toContain('您还有 2 票');
    await page.getByRole('button', { name: /为“乐童 益智积木 LT-100”投一票/ }).click();
    await page.waitForURL(/notice=voted/);
    expect(await page.locator('#nominations .notice-success').innerText()).toContain('该商品现有 1 票');
    expect(await page.locator('.voted').count()).toBe(1);
    await expectAccessible(page, 'voted');
    await expectNoHorizontalScroll(page, 'voted');
    await screenshot(page, 'sampling-voted');
    const { vote_count } = await s.env.db
      .selectFrom('sampling_nominations')
      .select('vote_count')
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow();
    expect(vote_count).toBe(1);
    await context.close();
  });

  it('the regulator closes voting and runs the draw; the rosters show who was drawn', async () => {
    // The selection job may already have moved it on to sampling.
    await moveOn(/结束投票并抽取/, /^(selecting|sampling)$/);
    await eventually(async () => (await phaseOf()) === 'sampling', 30_000);
    await staffPage.goto(`${base}/staff/sampling/campaigns/${campaignId}`);
    expect(await staffPage.locator('#roster-title').count()).toBe(1);
    expect(await staffPage.locator('text=红旗区检查员一').count()).toBeGreaterThan(0);
    await checkStaffPage(`/staff/sampling/campaigns/${campaignId}`, 'sampling-staff-campaign');
    taskId = (await s.env.db.selectFrom('sampling_tasks').select('id').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).id;
  });

  it('records the task: collection with the price paid and the reserve sample, a failing lab result, the waiver', async () => {
    await staffPage.goto(`${base}/staff/sampling/tasks/${taskId}`);
    await staffPage.getByLabel('样品编号').fill('XX-2026-001');
    await staffPage.getByLabel('封条编号').fill('F-001');
    await staffPage.getByLabel('检验样品数量').fill('2');
    await staffPage.getByLabel('备样数量').fill('2');
    await staffPage.getByLabel('检验机构', { exact: false }).first().fill('新乡市产品质量检验所');
    await staffPage.getByLabel('实付价格（元）').fill('59.9');
    await staffPage.getByLabel('经营者电子邮箱').fill('shop@example.com');
    await staffPage.getByRole('button', { name: '保存抽样记录' }).click();
    await staffPage.waitForURL(/notice=saved/);
    expect(await staffPage.locator('#collection').innerText()).toContain('¥59.90');

    const results = staffPage.locator('form[action$="/results"]');
    await results.getByLabel('检验报告编号').fill('JY-2026-0001');
    await results.getByLabel('项目名称').first().fill('小零件');
    await results.getByLabel('标准条款').first().fill('GB 6675.2-2014 4.4');
    await results.getByLabel('标准要求').first().fill('不得有小零件');
    await results.getByLabel('实测值').first().fill('有小零件脱落');
    await results.getByLabel('单项结论').first().selectOption('fail');
    await screenshot(staffPage, 'sampling-task-results-form');
    await results.getByRole('button', { name: '保存检验结果并告知经营者' }).click();
    await staffPage.waitForURL(/notice=saved/);
    expect(await staffPage.locator('#results .verdict-badge').innerText()).toBe('不合格');
    await expectAccessible(staffPage, 'task notified');

    await staffPage.locator('form[action$="/waiver"]').getByRole('button').click();
    await staffPage.waitForURL(/notice=saved/);
    expect(await staffPage.locator('h2', { hasText: '结果已确定' }).innerText()).toContain('不合格');
    expect(await staffPage.locator('a[href^="/staff/cases/"]').count()).toBe(1);
    await checkStaffPage(`/staff/sampling/tasks/${taskId}`, 'sampling-staff-task');
    await checkStaffPage(`/staff/sampling/tasks/${taskId}/letter`, 'sampling-staff-letter');
  });

  it('publishes; the public reads the results with the failure and its follow-up, and checks the draw', async () => {
    await moveOn(/结果已公布/, 'published');
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    await page.goto(`${base}/sampling/${campaignId}`);
    const results = await page.locator('#results').innerText();
    expect(results).toContain('不合格');
    expect(results).toContain('JY-2026-0001');
    expect(results).toContain('停止销售');
    expect(results).not.toMatch(/@|检查员/);
    await page.getByRole('button', { name: '在浏览器中核对摘要' }).click();
    await expect.poll(() => page.locator('#commitment-result').innerText()).toContain('一致');
    await screenshot(page, 'sampling-published');
    await context.close();

    // The results email reached the opted-in nominator and voter.
    for (const to of ['nominator@example.com', 'voter@example.com'])
      await eventually(async () => s.smtp.received.some((m) => m.envelopeTo.includes(to) && /结果/.test(m.parsed.subject ?? '')), 30_000);
  });

  it('every sampling page is accessible at phone and desktop widths, in Chinese and English', async () => {
    for (const [url, name] of [
      ['/sampling', 'sampling-list'],
      ['/sampling?lang=en', 'sampling-list-en'],
      [`/sampling/${campaignId}`, 'sampling-campaign-published'],
      [`/sampling/${campaignId}?lang=en`, 'sampling-campaign-published-en'],
    ] as const)
      await checkPage(browser, `${base}${url}`, name);
    await checkStaffPage('/staff/sampling', 'sampling-staff-list');
    await checkStaffPage('/staff/sampling/campaigns/new', 'sampling-staff-new');
    await checkStaffPage(`/staff/sampling/campaigns/${campaignId}/moderation`, 'sampling-staff-moderation');
    await checkStaffPage('/staff/sampling/conflicts', 'sampling-staff-conflicts');

    // A second campaign in its nominating phase, for the nomination form at both widths.
    const auth = await apiSignIn(s.env, demo.regulator);
    const soon = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    const res = await postJson(
      s.env.app,
      '/api/v1/sampling/campaigns',
      {
        title: '电动自行车专场',
        description: '电动自行车及电池、充电器。',
        jurisdictionCode: '410700',
        categories: ['ebike'],
        nominationOpensAt: soon(60),
        nominationClosesAt: soon(120),
        votingOpensAt: soon(120),
        votingClosesAt: soon(180),
        quota: 1,
        votesPerVoter: 1,
      },
      auth,
    );
    const second = ((await res.json()) as { id: number }).id;
    expect((await postJson(s.env.app, `/api/v1/sampling/campaigns/${second}/transitions`, { to: 'nominating' }, auth)).status).toBe(200);
    await checkPage(browser, `${base}/sampling/${second}`, 'sampling-campaign-nominating');
    for (const viewport of ['phone', 'desktop'] as const) {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await page.goto(`${base}/sampling/${second}`);
      await page.getByLabel('商品名称').fill('某品牌电动自行车');
      await page.getByLabel('结果公布后发邮件告诉我').check();
      await page.getByRole('button', { name: '提交提名' }).click();
      expect(await page.locator('#f-nominator-email-error').innerText()).toContain('需要填写邮箱');
      await expectAccessible(page, `nomination errors (${viewport})`);
      if (viewport === 'phone') await expectNoHorizontalScroll(page, 'nomination errors');
      await screenshot(page, 'sampling-nominate-errors');
      await context.close();
    }
  }, 300_000); // many pages at two widths with axe: slow on a loaded machine
});
