import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_FIELD } from '../../blocks/contract.js';
import { connectClient, firstReportId, getJson, login, sectionText, waitForDoc } from '../support/clients.js';
import { launchChromium, loginInNewContext, placeCaret } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// Two people in two browser profiles work on table B of the demo report: what one types, both see
// checked — the same cell marked, the same finding listed — and the text's linked figures follow.

let server: ServerProcess;
let browser: Browser;
let reportId: string;
let leadCookie: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  leadCookie = await login(server.url, 'lead');
  reportId = await firstReportId(server.url, leadCookie);
  const assigned = await fetch(`${server.url}/api/reports/${reportId}/sections/requests/assign`, {
    method: 'POST',
    headers: { cookie: leadCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ department: 'finance' }),
  });
  expect(assigned.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGTERM');
});

const cellInput = (page: Page, cell: string) => page.locator(`input[data-cell="${cell}"]`);
const cellClass = (page: Page, cell: string) => cellInput(page, cell).evaluate((input) => input.closest('td')!.className);
const errorCount = (page: Page) => page.getByTestId('findings-errors').textContent();
const listedRules = (page: Page) => page.locator('[data-testid="findings-panel"] li[data-severity="error"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-rule')).sort());
const figure = (page: Page, cell: string) => page.locator(`span[data-annex-figure][data-cell="${cell}"]`).first().textContent();

async function openFindings(page: Page) {
  await cellInput(page, 'B/new:natural').waitFor();
  await page.getByTestId('findings-toggle').click();
  await page.getByTestId('findings-panel').waitFor();
}

/** Types `text` into a cell key by key and leaves it with Tab, which finishes the entry. */
async function typeInto(page: Page, cell: string, text: string) {
  const input = cellInput(page, cell);
  await input.click();
  await input.press('Control+A');
  await input.pressSequentially(text);
  await input.press('Tab');
}

describe('annex tables are checked live for everyone', () => {
  it('a wrong number typed by one user is marked and listed for both, a linked figure follows it, and fixing it clears both', async () => {
    const lead = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'lead');
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    await openFindings(lead.page);
    await openFindings(finance.page);
    expect(await errorCount(lead.page)).toBe('0');
    expect(await figure(lead.page, 'B/new:natural')).toBe('96');
    // The page says which report is open; a cell is named by the national labels, not internal ids.
    expect(await lead.page.getByTestId('report-heading').textContent()).toMatch(/年度报告.*2025/);
    const label = await cellInput(lead.page, 'B/new:natural').getAttribute('aria-label');
    expect(label).toContain('本年新收');
    expect(label).not.toContain('new');

    // Full-width digits from a Chinese input method are understood.
    await typeInto(finance.page, 'B/new:natural', '１００');
    for (const page of [lead.page, finance.page]) {
      await expect.poll(() => cellClass(page, 'B/new:natural')).toContain('cell-error');
      await expect.poll(() => listedRules(page)).toEqual(['B1', 'B3']);
      await expect.poll(() => figure(page, 'B/new:natural')).toBe('100');
    }
    // The row's 总计 still agrees with the 总计 column (B1): it is not offered the row's sum, which
    // would break that; the cells entered are what to check.
    expect(await cellClass(lead.page, 'B/new:total')).not.toContain('cell-error');
    expect(await lead.page.locator('td:has(input[data-cell="B/new:total"]) .cell-suggestion').count()).toBe(0);

    // The server runs the same rules on the same document.
    const server_ = await getJson<{ findings: Array<{ rule: string; severity: string }> }>(server.url, `/api/reports/${reportId}/findings`, leadCookie);
    expect(server_.findings.filter((f) => f.severity === 'error').map((f) => f.rule).sort()).toEqual(['B1', 'B3']);

    // What is not a number is refused in place and stored nowhere.
    await typeInto(finance.page, 'B/new:natural', '12a');
    await finance.page.locator('td:has(input[data-cell="B/new:natural"]) .cell-problem').waitFor();
    expect(await figure(lead.page, 'B/new:natural')).toBe('100');

    await typeInto(finance.page, 'B/new:natural', '96');
    for (const page of [lead.page, finance.page]) {
      await expect.poll(() => errorCount(page)).toBe('0');
      await expect.poll(() => cellClass(page, 'B/new:natural')).not.toContain('cell-error');
      await expect.poll(() => figure(page, 'B/new:natural')).toBe('96');
    }

    // A total the format defines as a sum, entered wrong, is offered the computed value.
    await typeInto(finance.page, 'B/new:total', '130');
    await expect.poll(() => cellClass(lead.page, 'B/new:total')).toContain('cell-error');
    await expect.poll(() => lead.page.locator('td:has(input[data-cell="B/new:total"]) .cell-suggestion').textContent()).toBe('应为 124');
    await typeInto(finance.page, 'B/new:total', '124');
    await expect.poll(() => errorCount(lead.page)).toBe('0');
    await lead.context.close();
    await finance.context.close();
  });

  it('new 规章 are questioned (A2) until the lead office says a city writes the report; the finding goes in every browser', async () => {
    const lead = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'lead');
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    const warned = (page: Page) => page.locator('[data-testid="findings-panel"] li[data-severity="warning"][data-rule="A2"]').count();
    await openFindings(lead.page);
    await openFindings(finance.page);
    await typeInto(lead.page, 'A/regulations:issued', '1');
    for (const page of [lead.page, finance.page]) await expect.poll(() => warned(page)).toBe(1);

    await lead.page.getByTestId('dashboard-tab').click();
    const settings = lead.page.locator('form.level-form');
    await settings.getByLabel('报告主体层级').selectOption('city');
    await settings.getByRole('button', { name: '保存层级' }).click();
    await expect.poll(async () => (await getJson<{ level: string }>(server.url, `/api/reports/${reportId}/annex`, leadCookie)).level).toBe('city');
    // The other browser hears of it and checks again with the new level.
    await expect.poll(() => warned(finance.page)).toBe(0);
    await expect.poll(() => settings.getByRole('button', { name: '保存层级' }).isDisabled()).toBe(true);

    const restored = await fetch(`${server.url}/api/reports/${reportId}/level`, { method: 'PUT', headers: { cookie: leadCookie, 'content-type': 'application/json' }, body: JSON.stringify({ level: 'county' }) });
    expect(restored.status).toBe(200);
    await expect.poll(() => warned(finance.page)).toBe(1);
    // Table A as it was, for the tests after this one.
    const client = connectClient(server.wsUrl, reportId, leadCookie);
    await client.synced;
    (client.doc.getMap(ANNEX_FIELD).get('A') as Y.Map<number>).set('regulations:issued', 0);
    await expect.poll(() => warned(finance.page)).toBe(0);
    client.destroy();
    await lead.context.close();
    await finance.context.close();
  });

  it('a department inserts a linked figure into its text and everyone sees it show the live table value', async () => {
    const lead = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'lead');
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    const figures = (page: Page) => page.locator('[data-section-id="requests"] span[data-annex-figure][data-cell="B/new:total"]');
    await figures(lead.page).first().waitFor();
    const before = await figures(lead.page).count();

    await placeCaret(finance.page, 'requests', 'end');
    await finance.page.getByRole('button', { name: '插入联动数字' }).click();
    await expect.poll(() => finance.page.getByTestId('figure-preview').textContent()).toBe('124');
    await finance.page.getByRole('dialog').getByRole('button', { name: '插入' }).click();

    await expect.poll(() => figures(lead.page).count()).toBe(before + 1);
    await expect.poll(() => figures(lead.page).last().textContent()).toBe('124');
    await lead.context.close();
    await finance.context.close();
  });

  it('Enter moves down a column, and a block pasted from a spreadsheet fills the cells it covers in one change', async () => {
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    const page = finance.page;
    await cellInput(page, 'B/new:natural').click();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('B/carried:natural');
    await page.keyboard.press('Enter');
    // The heading row 三、本年度办理结果 has no cells: Enter skips it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('B/granted:natural');

    await cellInput(page, 'B/granted:natural').evaluate((input) => {
      const data = new DataTransfer();
      data.setData('text/plain', '50\t11\r\n10\t1\r\n');
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => cellInput(page, 'B/granted:business').inputValue()).toBe('11');
    expect(await cellInput(page, 'B/granted:natural').inputValue()).toBe('50');
    expect(await cellInput(page, 'B/partial:natural').inputValue()).toBe('10');
    expect(await cellInput(page, 'B/partial:business').inputValue()).toBe('1');
    await finance.context.close();
  });

  it('only finished, valid entries are ever stored: another client never sees a partial or invalid value', async () => {
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    const watcher = connectClient(server.wsUrl, reportId, leadCookie);
    const seen: Array<number | null> = [];
    try {
      await watcher.synced;
      const table = watcher.doc.getMap(ANNEX_FIELD).get('B') as Y.Map<number | null>;
      table.observe((event) => {
        if (event.keysChanged.has('new:business')) seen.push(table.get('new:business') ?? null);
      });
      const page = finance.page;
      const problem = page.locator('td:has(input[data-cell="B/new:business"]) .cell-problem');
      const storedNow = () => table.get('new:business');
      const original = storedNow();

      for (const invalid of ['12a', '3.5', '-3']) {
        await typeInto(page, 'B/new:business', invalid);
        // Left invalid: it stays in the cell as typed, marked, with its message.
        await problem.waitFor();
        expect(await cellInput(page, 'B/new:business').inputValue()).toBe(invalid);
        expect(await cellInput(page, 'B/new:business').getAttribute('aria-invalid')).toBe('true');
        await cellInput(page, 'B/new:business').click();
        await page.keyboard.press('Escape');
        await expect.poll(() => cellInput(page, 'B/new:business').inputValue()).toBe(String(original));
        expect(await problem.count()).toBe(0);
      }
      expect(seen).toEqual([]);

      await typeInto(page, 'B/new:business', '１２');
      await waitForDoc(watcher.doc, () => storedNow() === 12, 'the full-width 12');
      await typeInto(page, 'B/new:business', '1,234');
      await waitForDoc(watcher.doc, () => storedNow() === 1234, '1,234');
      expect(seen).toEqual([12, 1234]);
      await typeInto(page, 'B/new:business', String(original));
      await waitForDoc(watcher.doc, () => storedNow() === original, 'the original value');
    } finally {
      watcher.destroy();
      await finance.context.close();
    }
  });

  it('someone typing text elsewhere leaves the tables alone: no cell of any table is redrawn for a keystroke', async () => {
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    const typist = connectClient(server.wsUrl, reportId, await login(server.url, 'env'));
    try {
      await cellInput(finance.page, 'B/new:natural').waitFor();
      await typist.synced;
      // Every change React or the editor makes to any table's inputs is counted.
      await finance.page.evaluate(() => {
        const counts = { inputs: 0 };
        (window as unknown as { tableMutations: typeof counts }).tableMutations = counts;
        new MutationObserver((records) => {
          counts.inputs += records.filter((record) => record.target instanceof HTMLInputElement && record.target.dataset.cell).length;
        }).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
      });
      const typed = '环境质量持续改善';
      for (const character of typed) {
        const text = sectionText(typist.body, 'overview-env');
        text.insert(text.length, character);
      }
      await expect.poll(() => finance.page.locator('[data-section-id="overview-env"]').textContent()).toContain(typed);
      expect(await finance.page.evaluate(() => (window as unknown as { tableMutations: { inputs: number } }).tableMutations.inputs)).toBe(0);
    } finally {
      typist.destroy();
      await finance.context.close();
    }
  });

  it('in a window narrower than 1100 px the findings panel does not crush the editor, and nothing scrolls sideways', async () => {
    const finance = await loginInNewContext(browser, server.url, `/reports/${reportId}`, 'finance');
    try {
      await finance.page.setViewportSize({ width: 1000, height: 800 });
      await openFindings(finance.page);
      const editorWidth = await finance.page.locator('.editor-frame').evaluate((frame) => frame.getBoundingClientRect().width);
      expect(editorWidth).toBeGreaterThan(800);
      expect(await finance.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    } finally {
      await finance.context.close();
    }
  });
});
