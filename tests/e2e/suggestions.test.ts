import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginInNewContext, useBrowserSuite } from '../support/browser.js';
import { login } from '../support/clients.js';
import { docxAsHtml } from '../support/documents.js';

// Reviewing the way an office does: the lead office suggests changes in finance's section
// instead of editing it; finance sees them marked at once, accepts one and rejects the other;
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

async function suggest(page: Page, from: number, to: number, text: string): Promise<string> {
  await firstParagraph(page).click();
  const quote = await selectWords(page, from, to);
  await page.getByTestId('suggest-button').click();
  await page.getByTestId('suggest-text').fill(text);
  await page.getByTestId('suggest-submit').click();
  return quote;
}

describe('suggestions in the browser', () => {
  it('the lead office suggests two changes in finance’s section; finance sees them live, accepts one and rejects the other', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    try {
      await firstParagraph(lead.page).waitFor();
      const original = (await textOf(lead.page))!;
      const replaced = await suggest(lead.page, 0, 2, '全年');
      const removed = await suggest(lead.page, 6, 8, '');

      // Marked for finance at once: struck-through words and the added ones, with the author; the text itself unchanged.
      await expect.poll(() => firstParagraph(finance.page).locator('ins.suggestion-insert').allTextContents()).toEqual(['全年']);
      await expect.poll(() => firstParagraph(finance.page).locator('.suggestion-delete').allTextContents()).toEqual([replaced, removed]);
      expect(await firstParagraph(finance.page).locator('ins.suggestion-insert').getAttribute('title')).toContain('王主任');
      expect(await textOf(finance.page)).toBe(original);
      expect(await textOf(lead.page)).toBe(original);
      // A draft made now (the same layout as the portal's page) has the text as it stands, not the suggestion.
      const answer = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/draft.docx`, { headers: { cookie: await login(suite.server.url, 'lead') } });
      expect(answer.status, await answer.clone().text()).toBe(200);
      const draft = await docxAsHtml(new Uint8Array(await answer.arrayBuffer()));
      expect(draft).toContain(original);

      // Finance opens the section's suggestions: accepts the replacement, rejects the deletion.
      await finance.page.getByRole('navigation').getByRole('link', { name: '（一）财政资金信息公开' }).click();
      await finance.page.getByTestId('suggestions-tab').click();
      const items = finance.page.getByTestId('suggestion');
      await expect.poll(() => items.count()).toBe(2);
      await items.filter({ hasText: '全年' }).getByTestId('accept-suggestion').click();
      await expect.poll(() => items.count()).toBe(1);
      await items.first().getByTestId('reject-suggestion').click();
      await expect.poll(() => items.count()).toBe(0);

      const expected = `全年${original.slice(2)}`;
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
});
