import type { Browser, Page } from 'playwright-core';
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
import { eventually, postJson, type TestEnv } from '../support/env.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, seedStaff, signIn as signInApi } from '../support/staff.js';
import { createTestEnv } from '../support/env.js';

/**
 * The pages in a real browser (Debian's Chromium through playwright-core): the consumer's, the inspector's, the
 * regulator's and the admin's jobs end to end, axe-core on every page, screenshots at phone and desktop widths.
 * Without Chromium these are skipped, unless CPT_REQUIRE_BROWSER=1 (as in .ci/run) makes that a failure.
 */

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  smtp = await startSmtpServer();
  env = await createTestEnv({ SMTP_URL: smtp.url, RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
  await seedStaff(env);
  await env.startWorkers();
  server = await serveApp(env);
  base = server.base;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  if (!hasChromium) return;
  await browser?.close();
  await server?.close();
  await env?.close();
  await smtp?.close();
});

async function fileScaleComplaint(page: Page, opts: { javaScript: boolean; title: string; email?: string }) {
  await page.goto(`${base}/report/scale`);
  await page.getByLabel('手机准确质量（克）').fill('215');
  await page.getByLabel('摊主秤显示（克）').fill('232.5');
  await page.getByLabel('秤的最大称量 Max（克）').fill('15000');
  await page.getByLabel('检定分度值 e（克）').fill('5');
  if (opts.javaScript) {
    // The live helper shows the verdict before anything is submitted.
    await expect.poll(() => page.locator('#screening-result').innerText()).toContain('17.5');
    expect(await page.locator('#screening-result').innerText()).toContain('对商家有利');
  } else {
    await page.getByRole('button', { name: '先看看秤准不准' }).click();
    expect(await page.locator('#screening-result').innerText()).toContain('17.5');
    expect(page.url()).toBe(`${base}/report/scale`);
  }
  await page.getByLabel('标题').fill(opts.title);
  await page.getByLabel('详细经过').fill('用手机当砝码：215 克的手机在摊主秤上显示 232.5 克。');
  await page.getByLabel('商家名称或摊位').fill('张三水果摊');
  await page.getByLabel('所在区县').fill('新乡市红旗区');
  if (opts.email) await page.getByLabel('电子邮箱').fill(opts.email);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.waitForURL(`${base}/report/done`);
  const trackingNo = (await page.locator('#tracking-no').innerText()).trim();
  const accessCode = (await page.locator('#access-code').innerText()).trim();
  expect(trackingNo).toMatch(/^T\d{8}[A-Z2-9]{8}$/);
  expect(accessCode).toMatch(/^[A-Z2-9]{8}$/);
  return { trackingNo, accessCode };
}

async function track(page: Page, filed: { trackingNo: string; accessCode: string }) {
  await page.goto(`${base}/track`);
  await page.getByLabel('查询编号').fill(filed.trackingNo);
  await page.getByLabel('查询码').fill(filed.accessCode);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(`${base}/track/${filed.trackingNo}`);
  expect(page.url()).not.toContain(filed.accessCode);
}

const signIn = (page: Page, email: string) => signInPage(page, base, email);

describe.runIf(hasChromium)('the consumer in the browser', () => {
  let filed: { trackingNo: string; accessCode: string };

  it('files a scale complaint with the helper’s verdict shown before submitting, then follows it on the tracking page', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    filed = await fileScaleComplaint(page, { javaScript: true, title: '水果摊秤不准', email: 'browser@example.com' });
    await expectAccessible(page, 'receipt');
    await screenshot(page, 'report-done');
    // The receipt is shown once: a reload no longer shows the access code.
    await page.reload();
    expect(await page.content()).not.toContain(filed.accessCode);

    await track(page, filed);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('.status').innerText();
        },
        { timeout: 20_000 },
      )
      .toBe('待受理');
    expect(await page.locator('.facts').innerText()).toContain('新乡市红旗区市场监督管理局');
    expect(await page.locator('.deadlines').innerText()).toMatch(/我局应于 \d{4}-\d{2}-\d{2} 前决定是否受理/);
    await expectAccessible(page, 'tracking page');
    await expectNoHorizontalScroll(page, 'tracking page');
    await screenshot(page, 'track-status');
    await context.close();
  });

  it('does the same without JavaScript', async () => {
    const context = await newContext(browser, { viewport: 'phone', javaScript: false });
    const page = await context.newPage();
    const noJs = await fileScaleComplaint(page, { javaScript: false, title: '无脚本也能提交' });
    await track(page, noJs);
    expect(await page.locator('.status').innerText()).toMatch(/已提交|待受理/);
    await screenshot(page, 'track-status-nojs');
    await context.close();
  });

  it('shows field errors beside the fields with the values kept, and refuses another consumer’s item', async () => {
    const context = await newContext(browser, { viewport: 'phone', javaScript: false });
    const page = await context.newPage();
    await page.goto(`${base}/report/other`);
    await page.getByLabel('标题').fill('没有详细经过');
    await page.getByLabel('手机号码').fill('12345');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('请修改以下');
    expect(await page.getByLabel('标题').inputValue()).toBe('没有详细经过');
    expect(await page.locator('#f-reporter-phone-error').innerText()).toContain('手机号码');
    await screenshot(page, 'report-errors');

    // Signed in to one's own item, another's number leads back to the form, not to its data.
    await track(page, filed);
    const other = await fileScaleComplaint(await context.newPage(), { javaScript: false, title: '另一个人的投诉' });
    await page.goto(`${base}/track/${other.trackingNo}`);
    expect(await page.content()).not.toContain('另一个人的投诉');
    expect(await page.locator('form[action="/track"]').count()).toBe(1);
    await page.getByLabel('查询编号').fill(other.trackingNo);
    await page.getByLabel('查询码').fill(filed.accessCode);
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('查询编号或查询码不正确');
    await context.close();
  });
});

describe.runIf(hasChromium)('a decision as the consumer reads it', () => {
  it('a rejected complaint’s page gives the legal reason and where else to turn', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const filed = await fileScaleComplaint(page, { javaScript: true, title: '超过时效的投诉' });
    await eventually(
      async () =>
        (await env.db.selectFrom('items').select('status').where('tracking_no', '=', filed.trackingNo).executeTakeFirst())?.status ===
        'pending_acceptance',
    );
    const inspector = await signInApi(env, demo.hongqi);
    const decided = await postJson(
      env.app,
      `/api/v1/complaints/${filed.trackingNo}/transitions`,
      { to: 'rejected', reasonCode: 'time_barred' },
      inspector,
    );
    expect(decided.status).toBe(200);
    await track(page, filed);
    expect(await page.locator('.status').innerText()).toBe('不予受理');
    expect(await page.locator('.facts').innerText()).toContain('超过三年投诉时效');
    expect(await page.getByRole('heading', { name: '您还可以' }).count()).toBe(1);
    // Decided: no time limit runs any more, and there is nothing left to add photos to.
    expect(await page.getByRole('heading', { name: '法定期限' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: '补充照片' }).count()).toBe(0);
    await expectAccessible(page, 'rejected tracking page');
    await expectNoHorizontalScroll(page, 'rejected tracking page');
    await screenshot(page, 'track-rejected');
    await context.close();
  });
});

describe.runIf(hasChromium)('staff in the browser', () => {
  it('an inspector signs in, claims the complaint from the queue, records a scale verification and accepts it', async () => {
    const context = await newContext(browser, { viewport: 'desktop' });
    const consumer = await context.newPage();
    const filed = await fileScaleComplaint(consumer, { javaScript: true, title: '待领取的秤案件' });
    await eventually(
      async () =>
        (await env.db.selectFrom('items').select('status').where('tracking_no', '=', filed.trackingNo).executeTakeFirst())?.status ===
        'pending_acceptance',
    );

    const page = await context.newPage();
    await signIn(page, demo.hongqi);
    expect(new URL(page.url()).pathname).toBe('/staff/queue');
    await expectAccessible(page, 'queue');
    await screenshot(page, 'staff-queue');
    await page.getByRole('button', { name: '领取下一个案件' }).click();
    await page.waitForURL(/\/staff\/cases\/\d+$/);
    await expectAccessible(page, 'case');

    const form = page.locator('form[data-scale-verification]');
    await form.getByLabel('砝码（克） 1').fill('215');
    await form.getByLabel('示值（克） 1').fill('232.5');
    await form.getByLabel('砝码（克） 2').fill('1000');
    await form.getByLabel('示值（克） 2').fill('1000');
    // The verdict is computed as the loads are typed.
    await expect.poll(() => form.locator('[data-scale-verdict]').innerText()).toBe('不合格');
    await screenshot(page, 'staff-case');
    await form.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/notice=inspected/);
    expect(await page.locator('.notice').first().innerText()).toContain('不合格');

    const itemSection = page.locator(`section[aria-labelledby="item-${filed.trackingNo}"]`);
    await itemSection.locator('summary', { hasText: '作出决定' }).click();
    await itemSection.locator('form:has(input[name="to"][value="accepted"])').getByRole('button', { name: '确认' }).click();
    await page.waitForURL(/notice=decided/);
    expect(await page.locator('.notice').first().innerText()).toContain('已受理');
    const item = await env.db
      .selectFrom('items')
      .select(['status', 'mediation_ends_by'])
      .where('tracking_no', '=', filed.trackingNo)
      .executeTakeFirstOrThrow();
    expect(item.status).toBe('accepted');
    expect(item.mediation_ends_by).not.toBeNull();
    await context.close();
  });

  it('a regulator opens the dashboard and sees the charts drawn', async () => {
    const context = await newContext(browser, { viewport: 'desktop' });
    const page = await context.newPage();
    await signIn(page, demo.regulator);
    await page.goto(`${base}/regulator`);
    await page.waitForSelector('html[data-charts="drawn"]');
    const drawn = await page.evaluate<boolean[]>("[...document.querySelectorAll('canvas')].map((c) => c.width > 0 && c.height > 0)");
    expect(drawn).toEqual([true, true]);
    await expectAccessible(page, 'dashboard');
    await screenshot(page, 'regulator-dashboard');
    await context.close();
  });

  it('an admin opens the staff administration and the queue dashboard; others are refused it', async () => {
    const anonymous = await (await newContext(browser)).newPage();
    expect((await anonymous.goto(`${base}/admin/queues`))?.status()).toBe(401);
    const inspector = await (await newContext(browser)).newPage();
    await signIn(inspector, demo.hongqi2);
    expect((await inspector.goto(`${base}/admin/queues`))?.status()).toBe(403);

    const context = await newContext(browser, { viewport: 'desktop' });
    const page = await context.newPage();
    await signIn(page, demo.admin);
    expect(new URL(page.url()).pathname).toBe('/admin/staff');
    await expectAccessible(page, 'admin staff');
    await screenshot(page, 'admin-staff');
    const res = await page.goto(`${base}/admin/queues`);
    expect(res?.status()).toBe(200);
    await page.waitForSelector('text=triage', { timeout: 15_000 });
    await screenshot(page, 'admin-queues');
    await context.close();
  });
});

describe.runIf(hasChromium)('every public page', () => {
  it.each([
    ['/', 'home'],
    ['/report', 'report-choose'],
    ['/report/scale', 'report-scale'],
    ['/report/ebike', 'report-ebike'],
    ['/report/child-product', 'report-child-product'],
    ['/report/other', 'report-other'],
    ['/report/done', 'report-done-empty'],
    ['/track', 'track'],
    ['/staff/login', 'staff-login'],
    ['/?lang=en', 'home-en'],
  ])('%s is accessible at phone and desktop widths', async (url, name) => {
    await checkPage(browser, `${base}${url}`, name);
  });
});
