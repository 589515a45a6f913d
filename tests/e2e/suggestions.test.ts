import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginInNewContext, useBrowserSuite } from '../support/browser.js';
import { login } from '../support/clients.js';
import { docxAsHtml } from '../support/documents.js';

// Reviewing the way an office does: the lead office types suggestions in finance's section (修订)
// instead of editing it; finance sees them marked at once, accepts two and rejects the other;
// the accepted text and the history are right, and neither the editor's text nor the portal's
// page ever held the suggestion until it was accepted.

const suite = useBrowserSuite();
const SECTION = 'overview-finance';
const section = (page: Page) => page.locator(`[data-section-id="${SECTION}"]`);
const firstParagraph = (page: Page) => section(page).locator('.report-section-body p').first();

/** Selects the characters [from, to) of the section's first paragraph's text (suggested insertions drawn in it are not its text). */
async function selectWords(page: Page, from: number, to: number): Promise<string> {
  return firstParagraph(page).evaluate(
    (paragraph, [start, end]) => {
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => (node.parentElement?.closest('ins.suggestion-insert') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const range = document.createRange();
      let passed = 0;
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        const length = node.data.length;
        if (start! >= passed && start! <= passed + length && range.startContainer === document) range.setStart(node, start! - passed);
        if (end! >= passed && end! <= passed + length) {
          range.setEnd(node, end! - passed);
          break;
        }
        passed += length;
      }
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return range.toString();
    },
    [from, to],
  );
}

/** The paragraph's text: what is drawn over it — suggested words, others' carets with their names — is not. */
function textOf(page: Page): Promise<string | null> {
  return firstParagraph(page).evaluate((paragraph) => {
    const clone = paragraph.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('ins.suggestion-insert, .collaboration-carets__caret').forEach((node) => node.remove());
    return clone.textContent;
  });
}

/** Waits until the text box of the suggestion being typed has the keyboard. */
async function composerOpen(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('suggestion-composer');
}

/** In 修订 mode: selects the words [from, to) — or puts the caret at `from` — and types over them. */
async function suggest(page: Page, from: number, to: number, text: string): Promise<string> {
  const quote = await selectWords(page, from, to);
  await composerOpen(page);
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
  await page.keyboard.press('Escape');
  return quote;
}

describe('suggestions in the browser', () => {
  it('the lead office types three suggestions in finance’s section, one through an input method; finance sees them live, accepts two and rejects the third', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    try {
      await firstParagraph(lead.page).waitFor();
      const original = (await textOf(lead.page))!;
      await lead.page.getByTestId('suggest-mode').click();
      await expect.poll(() => lead.page.locator('.report-editor').getAttribute('contenteditable')).toBe('false');
      const replaced = await suggest(lead.page, 0, 2, '全年');
      const removed = await suggest(lead.page, 6, 8, '');

      // Typed through an input method: nothing reaches anyone while the composition is under way;
      // the committed words do, and Backspace in the empty box takes the last of them back.
      await selectWords(lead.page, 10, 10);
      await composerOpen(lead.page);
      const ime = await lead.page.context().newCDPSession(lead.page);
      await ime.send('Input.imeSetComposition', { text: 'xinzeng', selectionStart: 7, selectionEnd: 7 });
      await expect.poll(() => lead.page.getByTestId('suggestion-composer').inputValue()).toBe('xinzeng');
      expect(await firstParagraph(lead.page).locator('ins.suggestion-insert').allTextContents()).toEqual(['全年']);
      await ime.send('Input.insertText', { text: '新增' });
      await expect.poll(() => firstParagraph(finance.page).locator('ins.suggestion-insert').allTextContents()).toEqual(['全年', '新增']);
      await lead.page.keyboard.press('Backspace');
      await lead.page.keyboard.press('Escape');

      // Marked for finance at once: struck-through words and the added ones, with the author; the text itself unchanged.
      await expect.poll(() => firstParagraph(finance.page).locator('ins.suggestion-insert').allTextContents()).toEqual(['全年', '新']);
      await expect.poll(() => firstParagraph(finance.page).locator('.suggestion-delete').allTextContents()).toEqual([replaced, removed]);
      expect(await firstParagraph(finance.page).locator('ins.suggestion-insert').first().getAttribute('title')).toContain('王主任');
      expect(await textOf(finance.page)).toBe(original);
      expect(await textOf(lead.page)).toBe(original);
      // A draft made now (the same layout as the portal's page) has the text as it stands, not the suggestion.
      const answer = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/draft.docx`, { headers: { cookie: await login(suite.server.url, 'lead') } });
      expect(answer.status, await answer.clone().text()).toBe(200);
      const draft = await docxAsHtml(new Uint8Array(await answer.arrayBuffer()));
      expect(draft).toContain(original);

      // Finance opens the section's suggestions: accepts the replacement and the insertion, rejects the deletion.
      await finance.page.getByRole('navigation').getByRole('link', { name: '（一）财政资金信息公开' }).click();
      await finance.page.getByTestId('suggestions-tab').click();
      const items = finance.page.getByTestId('suggestion');
      await expect.poll(() => items.count()).toBe(3);
      await items.filter({ hasText: '全年' }).getByTestId('accept-suggestion').click();
      await expect.poll(() => items.count()).toBe(2);
      await items.filter({ hasText: '新' }).getByTestId('accept-suggestion').click();
      await expect.poll(() => items.count()).toBe(1);
      await items.first().getByTestId('reject-suggestion').click();
      await expect.poll(() => items.count()).toBe(0);

      const expected = `全年${original.slice(2, 10)}新${original.slice(10)}`;
      await expect.poll(() => textOf(lead.page)).toBe(expected);
      expect(await firstParagraph(lead.page).locator('.suggestion-delete, .suggestion-insert').count()).toBe(0);

      await finance.page.getByTestId('history-tab').click();
      const actions = finance.page.getByTestId('history-audit');
      await expect.poll(async () => (await actions.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))).slice(0, 2)).toEqual(['suggestions-rejected', 'suggestions-accepted']);
    } finally {
      await lead.context.close();
      await finance.context.close();
    }
  });

  it('a department suggests in its own section by choice: Backspace and Delete strike out around the caret, Enter starts a new paragraph that accepting makes; without 修订 it writes the text again', async () => {
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    try {
      await firstParagraph(finance.page).waitFor();
      const original = (await textOf(finance.page))!;
      await finance.page.getByTestId('suggest-mode').click();
      await selectWords(finance.page, 4, 4);
      await composerOpen(finance.page);
      await finance.page.keyboard.press('Backspace');
      await finance.page.keyboard.press('Backspace');
      await finance.page.keyboard.press('Delete');
      await finance.page.keyboard.type('改');
      await finance.page.keyboard.press('Enter');
      await finance.page.keyboard.type('另起一段');
      await finance.page.keyboard.press('Escape');
      await expect.poll(() => firstParagraph(finance.page).locator('.suggestion-delete').allTextContents()).toEqual([original.slice(2, 5)]);
      expect(await firstParagraph(finance.page).locator('ins.suggestion-insert').allTextContents()).toEqual(['改¶另起一段']);
      expect(await textOf(finance.page)).toBe(original);

      // Accepted, the suggestion ends the paragraph after 改 and starts a new one, which goes on with the rest.
      await finance.page.getByRole('navigation').getByRole('link', { name: '（一）财政资金信息公开' }).click();
      await finance.page.getByTestId('suggestions-tab').click();
      await finance.page.getByTestId('suggestion').getByTestId('accept-suggestion').click();
      const changed = `${original.slice(0, 2)}改`;
      await expect.poll(() => textOf(finance.page)).toBe(changed);
      expect(await section(finance.page).locator('.report-section-body p').nth(1).textContent()).toBe(`另起一段${original.slice(5)}`);

      await finance.page.getByTestId('suggest-mode').click();
      await expect.poll(() => finance.page.locator('.report-editor').getAttribute('contenteditable')).toBe('true');
      await firstParagraph(finance.page).click();
      await selectWords(finance.page, changed.length, changed.length);
      await finance.page.keyboard.type('！');
      await expect.poll(() => textOf(finance.page)).toBe(`${changed}！`);
    } finally {
      await finance.context.close();
    }
  });
});
