import { describe, expect, it } from 'vitest';
import { connectClient, login, sectionText, waitForDoc } from '../support/clients.js';
import { loginInNewContext, useBrowserSuite, paragraphText, placeCaret } from '../support/browser.js';

const suite = useBrowserSuite();
const reportPath = () => `/reports/${suite.reportId}`;

describe('two people editing one report in the browser', () => {
  it('each sees the other type, with their caret and name, and who is in which section', async () => {
    const finance = await loginInNewContext(suite.browser, suite.server.url, reportPath(), 'finance');
    const food = await loginInNewContext(suite.browser, suite.server.url, reportPath(), 'food');
    try {
      await placeCaret(finance.page, 'overview-finance', 'end');
      await finance.page.keyboard.type('全年公开部门预算。');
      await placeCaret(food.page, 'overview-food', 'end');
      await food.page.keyboard.type('食品抽检合格率稳定。');

      await expect.poll(() => food.page.locator('[data-section-id="overview-finance"]').textContent()).toContain('全年公开部门预算。');
      await expect.poll(() => finance.page.locator('[data-section-id="overview-food"]').textContent()).toContain('食品抽检合格率稳定。');

      const foodCaretOnFinancePage = finance.page.locator('.collaboration-carets__label', { hasText: '张科长' });
      await expect.poll(() => foodCaretOnFinancePage.count()).toBe(1);
      const financeCaretOnFoodPage = food.page.locator('.collaboration-carets__label', { hasText: '李会计' });
      await expect.poll(() => financeCaretOnFoodPage.count()).toBe(1);
      // The caret wears the department's colour (market supervision is green in the demo district).
      expect(await foodCaretOnFinancePage.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(21, 128, 61)');

      await expect.poll(() => finance.page.getByTestId('presence-entry').filter({ hasText: '张科长' }).textContent()).toContain('（二）食品药品安全信息公开');

      await food.page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => food.page.getByRole('button', { name: 'Log out' }).count()).toBe(1);
      expect(await food.page.getByText('Market Supervision (Food Safety) Bureau').count()).toBeGreaterThan(0);
      expect(await food.page.evaluate(() => document.documentElement.lang)).toBe('en');
    } finally {
      await finance.context.close();
      await food.context.close();
    }
  });

  it('a Chinese input method composing while someone else types in the same paragraph ends with the intended text', async () => {
    const finance = await loginInNewContext(suite.browser, suite.server.url, reportPath(), 'finance');
    const lead = await loginInNewContext(suite.browser, suite.server.url, reportPath(), 'lead');
    const watcherCookie = await login(suite.server.url, 'env');
    const watcher = connectClient(suite.server.wsUrl, reportPath().split('/').pop()!, watcherCookie);
    try {
      await watcher.synced;
      const original = await paragraphText(finance.page, 'overview-finance');
      await placeCaret(finance.page, 'overview-finance', 'start');
      const ime = await finance.context.newCDPSession(finance.page);
      await ime.send('Input.imeSetComposition', { text: 'yu', selectionStart: 2, selectionEnd: 2 });
      await ime.send('Input.imeSetComposition', { text: 'yusuan', selectionStart: 6, selectionEnd: 6 });

      await placeCaret(lead.page, 'overview-finance', 'start');
      await lead.page.keyboard.type('ABC');
      await waitForDoc(watcher.doc, () => sectionText(watcher.body, 'overview-finance').toString().includes('ABC'), 'the lead office typing to reach the server');

      await ime.send('Input.imeSetComposition', { text: 'yusuan', selectionStart: 6, selectionEnd: 6 });
      await ime.send('Input.insertText', { text: '预算' });

      // Both typed at the start of the paragraph: each insertion lands once, whole, in either order.
      const intended = [`预算ABC${original}`, `ABC预算${original}`];
      await expect.poll(() => paragraphText(finance.page, 'overview-finance')).toSatisfy((text: string) => intended.includes(text));
      await expect.poll(() => paragraphText(lead.page, 'overview-finance')).toBe(await paragraphText(finance.page, 'overview-finance'));
      const final = await paragraphText(finance.page, 'overview-finance');
      await waitForDoc(watcher.doc, () => sectionText(watcher.body, 'overview-finance').toString() === final, 'the composed text to reach the server');
    } finally {
      watcher.destroy();
      await finance.context.close();
      await lead.context.close();
    }
  });
});
