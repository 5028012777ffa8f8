import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import {
  checkPage,
  CHROMIUM,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  newContext,
  screenshot,
  serveApp,
} from '../support/browser.js';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { childProductComplaint } from '../support/fixtures.js';
import { recallInput } from '../support/recalls.js';
import { startSmtpServer } from '../support/smtp.js';
import { demo, seedStaff, signIn as apiSignIn } from '../support/staff.js';

/**
 * Recalls in a real browser: a regulator takes a defect signal to a published recall and watches its notices go out;
 * a consumer finds it by searching and by "check my product", subscribes to alerts and unsubscribes; axe-core on
 * every recall page, screenshots at phone and desktop widths.
 */
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CPT_REQUIRE_BROWSER === '1')
  throw new Error(`Chromium is required at ${CHROMIUM} (apt-get install chromium)`);

let env: TestEnv;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
let base: string;
let regulatorCookies: Awaited<ReturnType<BrowserContext['cookies']>>;
const pages: Array<[string, string]> = [];

const PRODUCT = { name: '儿童滑板车', brand: '飞鱼', model: 'FY-7', batch: 'B2026-10' };
const CONSUMERS = ['first.parent@example.com', 'second.parent@example.com', 'third.parent@example.com'];

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

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/staff/login`);
  await page.getByLabel('工作邮箱').fill(email);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/staff/login'));
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.some((to) => to.toLowerCase() === address.toLowerCase()));
/** A link of this app in an email, as a path on the test server. */
const linkIn = (text: string | undefined, path: RegExp) => {
  const url = new RegExp(`https?://[^\\s/]+(${path.source})`).exec(text ?? '')?.[1];
  expect(url, `a link matching ${path}`).toBeDefined();
  return `${base}${url!}`;
};

describe.runIf(hasChromium)('a regulator takes a defect signal to a published recall', () => {
  it('investigates the signal, drafts the recall from it, publishes it and watches the notices go out', async () => {
    // Three complaints about one scooter, each with a hazard and the parent's email: a defect signal.
    for (const email of CONSUMERS) {
      const res = await postJson(
        env.app,
        '/api/v1/complaints',
        childProductComplaint({
          product: PRODUCT,
          merchant: { name: '红旗母婴店', districtCode: '410702' },
          reporter: { email, language: 'zh-CN' },
        }),
      );
      expect(res.status).toBe(201);
    }
    const signal = await eventually(
      async () => await env.db.selectFrom('defect_signals').select('id').where('subject_label', 'like', '%飞鱼%').executeTakeFirst(),
      30_000,
    );

    const context = await newContext(browser, { viewport: 'desktop' });
    const page = await context.newPage();
    await signIn(page, demo.regulator);
    await page.getByRole('link', { name: '缺陷线索' }).first().click();
    await page.waitForURL(`${base}/regulator/signals`);
    await page.getByRole('link', { name: /飞鱼/ }).first().click();
    await page.waitForURL(`${base}/regulator/signals/${signal.id}`);
    expect(await page.locator('table').innerText()).toContain('FY-7');
    await page.getByRole('button', { name: '立案调查' }).click();
    await page.waitForURL(/notice=investigating/);
    expect(await page.locator('.notice').first().innerText()).toContain('调查中');

    // The editor starts from the evidence; a missing field is shown beside it with every value kept.
    await page.getByRole('button', { name: '据此发起召回' }).click();
    await page.waitForURL(`${base}/regulator/recalls/new?signal=${signal.id}`);
    expect(await page.getByLabel('品牌').inputValue()).toBe('飞鱼');
    expect(await page.getByLabel('型号').inputValue()).toBe('FY-7');
    await page.getByLabel('标题').fill('飞鱼牌儿童滑板车前叉断裂召回');
    await page.getByLabel('产品名称').fill('儿童滑板车');
    await page.getByLabel('生产者名称').fill('飞鱼运动用品有限公司');
    await page.getByLabel('批次 / 序列号').fill('B2026-09, B2026-10');
    await page.getByLabel('修理').check();
    await page.getByLabel('消费者应如何处理').fill('立即停止使用，联系生产者免费更换前叉。');
    await page.getByLabel('联系方式').fill('400-800-5678');
    await page.getByRole('button', { name: '保存草稿' }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('请修改以下');
    expect(await page.locator('#f-unitsAffected-error').isVisible()).toBe(true);
    expect(await page.getByLabel('标题').inputValue()).toBe('飞鱼牌儿童滑板车前叉断裂召回');
    expect(await page.getByLabel('批次 / 序列号').inputValue()).toBe('B2026-09, B2026-10');
    await screenshot(page, 'recall-editor-errors');
    await page.getByLabel('涉及数量（件）').fill('800');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/regulator\/recalls\/RC-\d{4}-\d{4}\?notice=saved$/);
    const recallNo = /RC-\d{4}-\d{4}/.exec(page.url())![0];
    expect((await page.goto(`${base}/recalls/${recallNo}`))?.status()).toBe(404); // a draft is not public
    await page.goto(`${base}/regulator/recalls/${recallNo}`);

    await page.getByRole('button', { name: '发布召回' }).click();
    await page.waitForURL(/notice=published/);
    const sent = async () => Number(await page.locator('[data-count="sent"] strong').innerText());
    // No reload: the panel refreshes itself while notices go out, then stops.
    await expect.poll(sent, { timeout: 30_000 }).toBe(CONSUMERS.length);
    await expect.poll(() => page.locator('#fan-out').getAttribute('data-live'), { timeout: 30_000 }).toBeNull();
    expect(Number(await page.locator('[data-count="matched"] strong').innerText())).toBe(CONSUMERS.length);
    expect(Number(await page.locator('[data-count="failed"] strong').innerText())).toBe(0);
    for (const email of CONSUMERS) expect(mailsTo(email).filter((m) => m.parsed.subject?.includes(recallNo))).toHaveLength(1);
    await expectAccessible(page, 'recall record');
    await screenshot(page, 'regulator-recall-published');

    // The producer's progress report; the next one falls due.
    await page.getByRole('spinbutton', { name: /已处理数量/ }).fill('120');
    await page.getByRole('button', { name: '登记进展报告' }).click();
    await page.waitForURL(/notice=progress/);
    expect(await page.locator('table').innerText()).toContain('120');
    expect(await page.locator('.facts').first().innerText()).toMatch(/下次进展报告期限\s*\d{4}-\d{2}-\d{2}/);
    expect((await env.db.selectFrom('defect_signals').select('status').where('id', '=', signal.id).executeTakeFirstOrThrow()).status).toBe(
      'recalled',
    );

    regulatorCookies = await context.cookies();
    pages.push(
      ['/regulator/signals', 'regulator-signals'],
      [`/regulator/signals/${signal.id}`, 'regulator-signal'],
      ['/regulator/recalls', 'regulator-recalls'],
      ['/regulator/recalls/new', 'regulator-recall-new'],
      [`/regulator/recalls/${recallNo}`, 'regulator-recall'],
    );
    await context.close();
  }, 120_000);

  it('completes and closes a recall, with the summary due date shown', async () => {
    const auth = await apiSignIn(env, demo.regulator);
    const created = await readJson(await postJson(env.app, '/api/v1/recalls', recallInput({ brand: '完成', title: '完成测试召回' }), auth));
    await postJson(env.app, `/api/v1/recalls/${created.recallNo}/publish`, {}, auth);
    const context = await newContext(browser, { viewport: 'phone' });
    await context.addCookies(regulatorCookies);
    const page = await context.newPage();
    await page.goto(`${base}/regulator/recalls/${created.recallNo}`);
    await page.getByRole('button', { name: '召回完成' }).click();
    await page.waitForURL(/notice=completed/);
    expect(await page.locator('.facts').first().innerText()).toMatch(/总结报告期限\s*\d{4}-\d{2}-\d{2}/);
    await page.getByRole('button', { name: '结束召回' }).click();
    await page.waitForURL(/notice=closed/);
    expect(await page.locator('.badge').first().innerText()).toBe('已结束');
    await expectNoHorizontalScroll(page, 'closed recall');
    await screenshot(page, 'regulator-recall-closed');
    await context.close();
  }, 120_000);
});

describe.runIf(hasChromium)('a consumer finds the recall, checks a product and takes alerts', () => {
  it('searches, opens the recall and checks a product by brand, model and batch', async () => {
    const context = await newContext(browser, { viewport: 'phone', javaScript: false });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByRole('link', { name: '召回信息' }).first().click();
    await page.waitForURL(`${base}/recalls`);
    await page.getByLabel('关键词').fill('滑板车 前叉');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/recalls\?q=/);
    expect(await page.getByRole('status').first().innerText()).toBe('共 1 条召回');
    await screenshot(page, 'recalls-search');
    await page.getByRole('link', { name: '飞鱼牌儿童滑板车前叉断裂召回' }).click();
    await page.waitForURL(/\/recalls\/RC-/);
    expect(await page.locator('#what-to-do').innerText()).toContain('修理');
    expect(await page.locator('.recall-facts').innerText()).toContain('B2026-09');
    await expectNoHorizontalScroll(page, 'recall');
    await screenshot(page, 'recall-public');
    pages.push([new URL(page.url()).pathname, 'recall-public'], ['/recalls?q=stroller&page=1', 'recalls-search-none']);

    await page.goto(`${base}/recalls/check`);
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.locator('#f-brand-error').isVisible()).toBe(true);
    await page.getByLabel('品牌或生产者').fill('飞鱼');
    await page.getByLabel('型号').fill('fy 7');
    await page.getByLabel('批次号或序列号').fill('b2026-10');
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.locator('#matches').innerText()).toContain('停止使用');
    expect(await page.locator('.recall-card').innerText()).toContain('您的批次在召回范围内');
    await screenshot(page, 'recall-check-match');
    await page.getByLabel('批次号或序列号').fill('B2025-01');
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('没有找到该产品的召回');
    pages.push(['/recalls/check?brand=飞鱼&model=FY-7', 'recall-check-unbatched']);
    await context.close();
  }, 120_000);

  it('subscribes by the confirmation link’s button, gets an alert and unsubscribes from its link', async () => {
    const email = 'Alert.Reader@example.com';
    const context = await newContext(browser, { viewport: 'phone', javaScript: false });
    const page = await context.newPage();
    await page.goto(`${base}/alerts/subscribe`);
    await page.getByLabel('电子邮箱').fill('not-an-address');
    await page.getByLabel('品牌或生产者').fill('雪狐, 雪狐');
    await page.getByRole('button', { name: '订阅' }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('请修改以下 2 处');
    expect(await page.getByLabel('品牌或生产者').inputValue()).toBe('雪狐, 雪狐');
    await screenshot(page, 'alerts-subscribe-errors');
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('品牌或生产者').fill('雪狐，凤凰');
    await page.getByLabel('儿童用品').check();
    await page.getByRole('button', { name: '订阅' }).click();
    await page.waitForURL(`${base}/alerts/subscribe?sent=1`);
    expect(await page.getByRole('status').first().innerText()).toContain('确认邮件已发送');

    const confirmation = await eventually(async () => mailsTo(email)[0], 20_000);
    const confirmLink = linkIn(confirmation.parsed.text, /\/alerts\/confirm\?token=[\w.-]+/);
    await page.goto(confirmLink);
    expect(await page.locator('main').innerText()).toContain('雪狐、凤凰');
    const stored = () => env.db.selectFrom('alert_subscriptions').select('status').where('email', '=', email).executeTakeFirstOrThrow();
    expect((await stored()).status).toBe('pending'); // opening the link confirms nothing
    await screenshot(page, 'alerts-confirm');
    await page.getByRole('button', { name: '确认订阅' }).click();
    await page.waitForURL(confirmLink);
    expect(await page.getByRole('status').first().innerText()).toContain('订阅成功');
    expect((await stored()).status).toBe('confirmed');

    const auth = await apiSignIn(env, demo.regulator);
    const created = await readJson(await postJson(env.app, '/api/v1/recalls', recallInput({ brand: '雪狐', title: '雪狐童车召回' }), auth));
    await postJson(env.app, `/api/v1/recalls/${created.recallNo}/publish`, {}, auth);
    const alert = await eventually(async () => mailsTo(email).find((m) => m.parsed.subject?.includes(created.recallNo)), 30_000);
    const unsubscribeLink = linkIn(alert.parsed.text, /\/alerts\/unsubscribe\/[\w.-]+/);
    await page.goto(unsubscribeLink);
    expect((await stored()).status).toBe('confirmed'); // nor does opening this one unsubscribe
    await screenshot(page, 'alerts-unsubscribe');
    pages.push([new URL(unsubscribeLink).pathname, 'alerts-unsubscribe']);
    await page.getByRole('button', { name: '退订' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('已退订召回提醒');
    expect((await stored()).status).toBe('unsubscribed');
    await screenshot(page, 'alerts-unsubscribed');
    await context.close();
  }, 120_000);
});

describe.runIf(hasChromium)('every recall page', () => {
  it('is accessible and fits a phone, in Chinese and in English', async () => {
    const auth = await apiSignIn(env, demo.regulator);
    const draft = await readJson(await postJson(env.app, '/api/v1/recalls', recallInput({ title: '草稿' }), auth));
    expect(
      (await postJson(env.app, '/api/v1/alerts/subscriptions', { email: 'pending@example.com', filters: { models: ['LT-100'] } })).status,
    ).toBe(202);
    const confirmLink = linkIn(
      (await eventually(async () => mailsTo('pending@example.com')[0])).parsed.text,
      /\/alerts\/confirm\?token=[\w.-]+/,
    );
    pages.push([confirmLink.slice(base.length), 'alerts-confirm']);
    pages.push(
      [`/regulator/recalls/${draft.recallNo}/edit`, 'regulator-recall-edit'],
      [`/regulator/recalls/${draft.recallNo}`, 'regulator-recall-draft'],
    );
    const publicPages: Array<[string, string]> = [
      ['/recalls', 'recalls'],
      ['/recalls?lang=en', 'recalls-en'],
      ['/recalls/check', 'recall-check'],
      ['/alerts/subscribe', 'alerts-subscribe'],
      ['/alerts/subscribe?lang=en', 'alerts-subscribe-en'],
    ];
    for (const [url, name] of [...publicPages, ...pages.filter(([u]) => !u.startsWith('/regulator'))])
      await checkPage(browser, `${base}${url}`, name);
    for (const [url, name] of pages.filter(([u]) => u.startsWith('/regulator'))) {
      await checkPage(browser, `${base}${url}`, name, { cookies: regulatorCookies });
    }
  }, 300_000); // many pages at two widths with axe: slow on a loaded machine
});
