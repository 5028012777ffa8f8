import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../shared/staff/index.js';
import type { TestEnv } from './env.js';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`; .ci/run installs it) through playwright-core,
 * with the flags this machine needs: no sandbox as root, and no background networking on a closed network.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Without Chromium the browser tests are skipped, unless CPT_REQUIRE_BROWSER=1 (as in .ci/run) makes that a failure. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CPT_REQUIRE_BROWSER === '1')
  throw new Error(`Chromium is required at ${CHROMIUM} (apt-get install chromium)`);

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screenshots');
export const viewports = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Serves a test environment's app over HTTP on a free loopback port. */
export async function serveApp(env: TestEnv): Promise<{ base: string; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

export async function newContext(
  browser: Browser,
  opts: { viewport?: keyof typeof viewports; javaScript?: boolean; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: viewports[opts.viewport ?? 'phone'],
    javaScriptEnabled: opts.javaScript ?? true,
    locale: opts.locale ?? 'zh-CN',
    // Lets the tests inject axe-core; the CSP itself is checked on the response headers.
    bypassCSP: true,
  });
}

/** Fails the test on any serious or critical accessibility violation axe-core finds on the page as it is now. */
export async function expectAccessible(page: Page, label: string) {
  await page.addScriptTag({ content: axeSource });
  // Evaluated in the page (given as text, so this file needs no DOM types).
  const violations = await page.evaluate<Array<{ id: string; impact: string; help: string; targets: string[] }>>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${label}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

/** No sideways scrolling at the page's width. */
export async function expectNoHorizontalScroll(page: Page, label: string) {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${label} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** A full-page screenshot under test-results/screenshots (ignored by git), for people to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const vp = page.viewportSize();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${vp?.width ?? 0}.png`), fullPage: true });
}

/** Checks a page at both widths: accessible, no sideways scroll, screenshots saved. */
export async function checkPage(
  browser: Browser,
  url: string,
  name: string,
  opts: { cookies?: Awaited<ReturnType<BrowserContext['cookies']>> } = {},
) {
  for (const viewport of ['phone', 'desktop'] as const) {
    const context = await newContext(browser, { viewport });
    if (opts.cookies) await context.addCookies(opts.cookies);
    const page = await context.newPage();
    const res = await page.goto(url);
    expect(res?.status(), `${name} status`).toBeLessThan(400);
    await expectAccessible(page, `${name} (${viewport})`);
    if (viewport === 'phone') await expectNoHorizontalScroll(page, name);
    await screenshot(page, name);
    await context.close();
  }
}

/** Signs a staff member in through the login page with the demo password. */
export async function signInPage(page: Page, base: string, email: string) {
  await page.goto(`${base}/staff/login`);
  await page.getByLabel('工作邮箱').fill(email);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/staff/login'));
}
