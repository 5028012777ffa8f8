import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../shared/config/index.js';
import { statusLabel } from '../../shared/complaints/index.js';
import { negotiateLanguage } from '../../shared/i18n/index.js';
import { startupBanner } from '../../shared/runtime/index.js';

describe('language negotiation', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-TW,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.2, zh;q=0.8', 'zh-CN'],
    ['de', 'zh-CN'],
  ])('%s → %s', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });

  it('labels statuses in both languages', () => {
    expect(statusLabel('pending_acceptance', 'zh-CN')).toBe('待受理');
    expect(statusLabel('pending_acceptance', 'en')).toBe('Pending acceptance');
    expect(statusLabel('paused_for_testing', 'zh-CN')).toBe('检测鉴定中');
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'cpt-config-'));
  dirs.push(d);
  return d;
};

describe('configuration', () => {
  it('applies defaults and generates AUTH_SECRET once outside production', () => {
    const dir = tempDir();
    const a = loadConfig({ DATA_DIR: dir });
    expect(a).toMatchObject({ PORT: 3000, NODE_ENV: 'development', LOG_LEVEL: 'info' });
    expect(a.DATABASE_URL).toBeUndefined();
    expect(a.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'auth-secret'), 'utf8').trim()).toBe(a.AUTH_SECRET);
    expect(loadConfig({ DATA_DIR: dir }).AUTH_SECRET).toBe(a.AUTH_SECRET);
  });

  it('requires AUTH_SECRET in production and names every bad variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET: required in production/);
    const secret = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig(secret)).toThrow(/PUBLIC_URL: required in production/);
    expect(() => loadConfig({ ...secret, PUBLIC_URL: 'http://tousu.example.gov.cn' })).toThrow(/PUBLIC_URL: must be https/);
    expect(loadConfig({ ...secret, PUBLIC_URL: 'https://tousu.example.gov.cn/' }).baseUrl).toBe('https://tousu.example.gov.cn');
    expect(loadConfig({ ...secret, PUBLIC_URL: 'http://localhost:3000' }).baseUrl).toBe('http://localhost:3000');
    // Mail to files in production reaches nobody: the banner says so.
    const filesOnly = loadConfig({ ...secret, PUBLIC_URL: 'https://tousu.example.gov.cn', DATA_DIR: tempDir() });
    expect(startupBanner(filesOnly, { embeddedDatabase: false })).toContain('WARNING    no SMTP_URL in production');
    const banner = startupBanner({ ...filesOnly, SMTP_URL: 'smtp://relay:25' }, { embeddedDatabase: false });
    expect(banner).not.toContain('WARNING');
    expect(banner).not.toMatch(/\n\n\n/);
    const err = (() => {
      try {
        loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toMatch(/PORT/);
    expect(err?.message).toMatch(/DATABASE_URL/);
    expect(err?.message).toMatch(/REDIS_URL/);
  });

  it('retries mail for at least 24 hours', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), MAIL_RETRY_WINDOW_HOURS: '2' })).toThrow(
      /MAIL_RETRY_WINDOW_HOURS: mail is retried for at least 24 hours/,
    );
    expect(loadConfig({ DATA_DIR: tempDir(), MAIL_RETRY_WINDOW_HOURS: '24' }).MAIL_RETRY_WINDOW_HOURS).toBe(24);
  });

  it('treats empty URLs as unset', () => {
    const dir = tempDir();
    const c = loadConfig({ DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });
});
