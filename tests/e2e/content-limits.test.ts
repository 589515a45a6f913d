import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentLimits } from '../../blocks/content-limits.js';
import { BODY_FIELD } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { connectClient, firstReportId, login, sectionText, waitForDoc, type TestClient } from '../support/clients.js';
import { launchChromium, loginInNewContext, placeCaret } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { countStoredUpdates } from '../support/stored.js';

// The limits are chosen so that what they allow stays usable: a report holding the deepest
// nesting, the widest spans and the largest table the server accepts opens in Chromium and can
// be edited, and the editor stops an honest user at a limit with a message instead of the server
// refusing the edit.

const SECTION = 'overview-finance';

let server: ServerProcess;
let browser: Browser;
let reportId: string;
let lead: TestClient;

function element(name: string, attributes: Record<string, unknown>, children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string);
  node.insert(0, children);
  return node;
}

const paragraph = (text: string) => element('paragraph', {}, [new Y.XmlText(text)]);
const cell = (text: string, attributes: Record<string, unknown> = {}) => element('tableCell', { colspan: 1, rowspan: 1, ...attributes }, [paragraph(text)]);

/** Blockquotes from depth 2 down to the deepest level allowed, with a paragraph at the bottom. */
function deepestNest(): Y.XmlElement {
  let inner = paragraph('最深一层的段落');
  for (let depth = contentLimits.maxDepth - 1; depth >= 2; depth--) inner = element('blockquote', {}, [inner]);
  return inner;
}

/** A table as wide as allowed: a header spanning every column, a cell spanning every row below it. */
function widestTable(): Y.XmlElement {
  const columns = contentLimits.maxTableColumns;
  const rows = [element('tableRow', {}, [cell('通栏标题', { colspan: columns })])];
  for (let row = 0; row < contentLimits.maxCellSpan; row++) {
    const cells = Array.from({ length: row === 0 ? columns - 1 : columns - 1 }, (_, column) => cell(String(row * columns + column)));
    rows.push(element('tableRow', {}, row === 0 ? [cell('纵向合并', { rowspan: contentLimits.maxCellSpan }), ...cells] : cells));
  }
  return element('table', {}, rows);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  const cookie = await login(server.url, 'lead');
  reportId = await firstReportId(server.url, cookie);
  lead = connectClient(server.wsUrl, reportId, cookie);
  await lead.synced;
  const section = findSectionElement(lead.doc.getXmlFragment(BODY_FIELD), SECTION)!;
  section.insert(section.length, [deepestNest(), widestTable()]);
  const watcher = connectClient(server.wsUrl, reportId, await login(server.url, 'env'));
  await watcher.synced;
  await waitForDoc(watcher.doc, () => findSectionElement(watcher.body, SECTION)!.toString().includes('最深一层的段落'), 'the largest allowed content to be stored');
  watcher.destroy();
});

afterAll(async () => {
  lead?.destroy();
  await browser?.close();
  await server?.kill('SIGTERM');
});

describe('a report at the content limits in the browser', () => {
  it('opens with the deepest nesting and the widest table, and its department can still type', async () => {
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    const errors: string[] = [];
    finance.page.on('pageerror', (error) => errors.push(error.message));
    try {
      const section = finance.page.locator(`[data-section-id="${SECTION}"]`);
      await expect.poll(() => section.locator('blockquote p', { hasText: '最深一层的段落' }).count()).toBe(1);
      expect(await section.locator('blockquote').count()).toBe(contentLimits.maxDepth - 2);
      expect(await section.locator('table td[colspan="30"]').count()).toBe(1);
      expect(await section.locator('table td[rowspan="30"]').count()).toBe(1);

      await placeCaret(finance.page, SECTION, 'end');
      await finance.page.keyboard.type('限额内的报告照常编辑。');
      await waitForDoc(lead.doc, () => sectionText(lead.body, SECTION).toString().includes('限额内的报告照常编辑。'), 'the typing to reach the lead office');
      expect(errors).toEqual([]);
    } finally {
      await finance.context.close();
    }
  });

  it('stops nesting one level deeper with a message, and the connection stays', async () => {
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    try {
      const deepest = finance.page.locator(`[data-section-id="${SECTION}"] blockquote p`, { hasText: '最深一层的段落' });
      await deepest.click();
      await deepest.evaluate((element) => window.getSelection()!.collapse(element.firstChild!, 2));
      await finance.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
      // A bullet list around the paragraph would put it two levels deeper than allowed.
      await finance.page.keyboard.press('Control+Shift+8');
      await expect.poll(() => finance.page.getByTestId('notice').textContent()).toContain('嵌套层级已达上限');
      expect(await finance.page.locator(`[data-section-id="${SECTION}"] blockquote`).count()).toBe(contentLimits.maxDepth - 2);

      await placeCaret(finance.page, SECTION, 'end');
      await finance.page.keyboard.type('提示之后继续输入。');
      await waitForDoc(lead.doc, () => sectionText(lead.body, SECTION).toString().includes('提示之后继续输入。'), 'typing after the notice');
    } finally {
      await finance.context.close();
    }
  });

  it('an editor never writes in answer to someone else’s change: a ragged table stays as its department left it', async () => {
    // The finance bureau removes one cell of the widest table's second row: its rows now differ in width.
    const finance = connectClient(server.wsUrl, reportId, await login(server.url, 'finance'));
    await finance.synced;
    const table = findSectionElement(finance.body, SECTION)!.toArray().find((child) => child instanceof Y.XmlElement && child.nodeName === 'table') as Y.XmlElement;
    const secondRow = table.get(2) as Y.XmlElement;
    const before = secondRow.length;
    secondRow.delete(0, 1);
    await waitForDoc(lead.doc, () => ((findSectionElement(lead.body, SECTION)!.toArray().find((child) => child instanceof Y.XmlElement && child.nodeName === 'table') as Y.XmlElement).get(2) as Y.XmlElement).length === before - 1, 'the ragged row');
    finance.destroy();

    // The lead office, who may write anywhere, opens the report and types elsewhere.
    const logged = await countStoredUpdates(server, reportId, SECTION);
    const page = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'lead');
    try {
      await page.page.locator(`[data-section-id="${SECTION}"] table`).waitFor();
      await placeCaret(page.page, 'other', 'end');
      await page.page.keyboard.type('政府办另写一句。');
      await waitForDoc(lead.doc, () => sectionText(lead.body, 'other').toString().includes('政府办另写一句。'), 'the lead office’s typing');
      expect(await countStoredUpdates(server, reportId, SECTION)).toBe(logged);
    } finally {
      await page.context.close();
    }
  });
});
