import SQLite from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstReportId, login } from '../support/clients.js';
import { launchChromium } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The browser app loads fast: the login page does not download the editor, built assets are kept
// by the browser, and index.html is checked every time so a new version is picked up at once.

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGTERM');
});

describe('loading the app', () => {
  it('the login page and the report list come without the editor, which arrives when a report is opened', async () => {
    const reportId = await firstReportId(server.url, await login(server.url, 'lead'));
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    try {
      await page.goto(`${server.url}/login`);
      await page.locator('input[name="username"]').fill('lead');
      await page.locator('input[name="password"]').fill('demo');
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.report-list a').first().waitFor();
      expect(scripts.some((script) => script.includes('report-page'))).toBe(false);

      await page.goto(`${server.url}/reports/${reportId}`);
      await page.locator('[data-section-id]').first().waitFor();
      const editor = scripts.find((script) => script.includes('report-page'));
      expect(editor).toBeDefined();

      const asset = await fetch(`${server.url}${editor!}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(`${server.url}/reports/${reportId}`)).headers.get('cache-control')).toBe('no-cache');
    } finally {
      await context.close();
    }
  });

  it('a user whose password an administrator set chooses their own before anything else, in the page', async () => {
    // As after `npm run admin -- reset-password --username env --password …`.
    const file = new SQLite(server.dbFile);
    try {
      file.prepare("update users set must_change_password = 1 where username = 'env'").run();
    } finally {
      file.close();
    }
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/login`);
      await page.locator('input[name="username"]').fill('env');
      await page.locator('input[name="password"]').fill('demo');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('heading', { name: '请设置您自己的密码' }).waitFor();
      await page.locator('input[name="current"]').fill('demo');
      await page.locator('input[name="next"]').fill('short');
      await page.locator('input[name="repeated"]').fill('short');
      await page.getByRole('button', { name: '保存密码' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('密码至少 10 个字符');
      await page.locator('input[name="next"]').fill('Chen-Gongcheng-2026');
      await page.locator('input[name="repeated"]').fill('Chen-Gongcheng-2026');
      await page.getByRole('button', { name: '保存密码' }).click();
      await page.locator('.report-list a').first().waitFor();
      expect(await login(server.url, 'env', 'Chen-Gongcheng-2026')).toMatch(/^report_session=/);
    } finally {
      await context.close();
    }
  });
});
