import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_ARGS } from '../../server/publish/pdf-printer.js';
import { firstReportId, login } from './clients.js';
import { startServer, type ServerProcess } from './server-process.js';

/** Debian's Chromium, headless, with nothing that reaches outside the machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** What a browser test file shares: the real server with the demo, Chromium, and the demo's report. */
export interface BrowserSuite {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** The report being written this year. */
  readonly reportId: string;
}

/** Starts the server and Chromium before the file's tests and stops both after them. */
export function useBrowserSuite(): BrowserSuite {
  let started: { server: ServerProcess; browser: Browser; reportId: string } | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const ready = () => {
    if (!started) throw new Error('the server and the browser are not ready: use them inside a test');
    return started;
  };
  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    started = { server, browser, reportId: await firstReportId(server.url, await login(server.url, 'lead')) };
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
  });
  return {
    get server() {
      return ready().server;
    },
    get browser() {
      return ready().browser;
    },
    get reportId() {
      return ready().reportId;
    },
  };
}

/** A separate browser profile (own cookies, no shared BroadcastChannel) logged in through the login page. */
export async function loginInNewContext(
  browser: Browser,
  baseUrl: string,
  path: string,
  username: string,
  /** Runs on the new page before it loads anything (to watch its sockets, say). */
  watch?: (page: Page) => void,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  watch?.(page);
  await page.goto(`${baseUrl}${path}`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill('demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${baseUrl}${path}`);
  return { context, page };
}

/** Puts the caret inside the first paragraph of a section, at its start or end, as a click would. */
export async function placeCaret(page: Page, sectionId: string, where: 'start' | 'end'): Promise<void> {
  const paragraph = page.locator(`[data-section-id="${sectionId}"] .report-section-body p`).first();
  await paragraph.click();
  await paragraph.evaluate((element, at) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    while (walker.nextNode()) texts.push(walker.currentNode as Text);
    const target = at === 'start' ? texts[0]! : texts[texts.length - 1]!;
    const selection = window.getSelection()!;
    selection.collapse(target, at === 'start' ? 0 : target.length);
  }, where);
  // ProseMirror reads the DOM selection on selectionchange; let that event run.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
}

/** The text of a section's first paragraph as the document holds it (other people's caret labels left out). */
export async function paragraphText(page: Page, sectionId: string): Promise<string> {
  return page
    .locator(`[data-section-id="${sectionId}"] .report-section-body p`)
    .first()
    .evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      return copy.textContent ?? '';
    });
}
