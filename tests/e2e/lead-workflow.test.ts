import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectClient, login, sectionText, waitForDoc } from '../support/clients.js';
import { loginInNewContext, useBrowserSuite, paragraphText, placeCaret } from '../support/browser.js';

const suite = useBrowserSuite();

const SECTION = 'other';
const section = (page: Page) => page.locator(`[data-section-id="${SECTION}"]`);

async function openDashboard(page: Page) {
  await page.getByTestId('dashboard-tab').click();
  await page.getByTestId(`dashboard-row-${SECTION}`).waitFor();
}

async function openEditor(page: Page) {
  await page.getByRole('tab', { name: '编辑' }).click();
  await section(page).waitFor();
}

describe('the lead office runs a section from assignment to lock', () => {
  it('assign, write, submit, return with a comment, fix, resubmit, approve and lock — each seen live, with history and compare', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    const watcher = connectClient(suite.server.wsUrl, suite.reportId, await login(suite.server.url, 'env'));
    try {
      await watcher.synced;
      // Before the assignment the section is the lead office's: read-only for finance.
      await expect.poll(() => section(finance.page).getAttribute('data-editable')).toBe('false');

      await openDashboard(lead.page);
      await lead.page.getByTestId(`assign-${SECTION}`).selectOption('finance');
      await expect.poll(() => section(finance.page).getAttribute('data-editable')).toBe('true');

      await placeCaret(finance.page, SECTION, 'end');
      await finance.page.keyboard.type('本年度未收取信息处理费。');
      await waitForDoc(watcher.doc, () => sectionText(watcher.body, SECTION).toString().includes('本年度未收取信息处理费。'), 'finance text to reach the server');

      await openDashboard(finance.page);
      await finance.page.getByTestId(`submit-${SECTION}`).click();
      await expect.poll(() => lead.page.getByTestId(`state-${SECTION}`).textContent()).toBe('已提交');

      await lead.page.getByTestId(`return-${SECTION}`).click();
      await lead.page.getByTestId(`return-comment-${SECTION}`).fill('请写明依据的文件。');
      await lead.page.getByTestId(`confirm-return-${SECTION}`).click();
      await expect.poll(() => finance.page.getByTestId(`state-${SECTION}`).textContent()).toBe('已退回');

      // Finance reads the return comment beside the section and fixes the text.
      await finance.page.getByTestId(`dashboard-row-${SECTION}`).getByRole('button', { name: '六、其他需要报告的事项' }).click();
      const returned = finance.page.locator('.thread.kind-return');
      await expect.poll(() => returned.textContent()).toContain('请写明依据的文件。');
      await placeCaret(finance.page, SECTION, 'end');
      await finance.page.keyboard.type('依据财税〔2024〕14号文件。');
      await waitForDoc(watcher.doc, () => sectionText(watcher.body, SECTION).toString().includes('依据财税〔2024〕14号文件。'), 'the fix to reach the server');
      await openDashboard(finance.page);
      await finance.page.getByTestId(`submit-${SECTION}`).click();
      await expect.poll(() => lead.page.getByTestId(`state-${SECTION}`).textContent()).toBe('已提交');

      // Opening the resubmitted section, the lead office sees first what answers its return, marked.
      await lead.page.getByTestId(`dashboard-row-${SECTION}`).getByRole('button', { name: '六、其他需要报告的事项', exact: true }).click();
      await expect.poll(() => lead.page.getByTestId('review-changes').locator('ins').allTextContents()).toEqual(['依据财税〔2024〕14号文件。']);
      // … and in the text itself.
      await expect.poll(async () => (await section(lead.page).locator('.review-added').allTextContents()).join('')).toBe('依据财税〔2024〕14号文件。');
      await openDashboard(lead.page);
      await lead.page.getByTestId(`approve-${SECTION}`).click();
      await expect.poll(() => lead.page.getByTestId(`state-${SECTION}`).textContent()).toBe('已审定');
      await openEditor(finance.page);
      await expect.poll(() => section(finance.page).getAttribute('data-editable')).toBe('true');
      await lead.page.getByTestId(`lock-${SECTION}`).click();

      // The lock reaches finance's open editor at once, and finance is told.
      await expect.poll(() => section(finance.page).getAttribute('data-editable')).toBe('false');
      await expect.poll(() => finance.page.getByTestId('notice').textContent()).toContain('已被锁定');
      const locked = await paragraphText(finance.page, SECTION);
      await section(finance.page).locator('.report-section-body p').first().click();
      await finance.page.keyboard.type('锁定后不应出现');
      expect(await paragraphText(finance.page, SECTION)).toBe(locked);

      // The lead office sees every step in the section's history and the fix in the comparison.
      await openEditor(lead.page);
      await lead.page.getByRole('navigation').getByRole('link', { name: '六、其他需要报告的事项' }).click();
      await lead.page.getByTestId('history-tab').click();
      const actions = lead.page.getByTestId('history-audit');
      await expect.poll(async () => (await actions.evaluateAll((items) => items.map((item) => item.getAttribute('data-action')))).reverse()).toEqual([
        'assign',
        'submit',
        'return',
        'submit',
        'approve',
        'lock',
      ]);
      // Newest first: the fix, then finance's first draft; compare that draft with now.
      await lead.page.getByTestId('history-change').nth(1).getByTestId('compare-button').click();
      const comparison = lead.page.getByTestId('comparison');
      await expect.poll(() => comparison.locator('ins').allTextContents()).toEqual(['依据财税〔2024〕14号文件。']);
      expect(await comparison.locator('del').count()).toBe(0);
      expect(sectionText(watcher.body, SECTION).toString()).not.toContain('锁定后不应出现');
    } finally {
      watcher.destroy();
      await lead.context.close();
      await finance.context.close();
    }
  });
});

describe('undo while the lead office runs other sections', () => {
  it('a lock on another section leaves the department’s undo history: Ctrl+Z still undoes its last edit', async () => {
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    const cookie = await login(suite.server.url, 'lead');
    const watcher = connectClient(suite.server.wsUrl, suite.reportId, cookie);
    try {
      await watcher.synced;
      const before = await paragraphText(finance.page, 'overview-finance');
      await placeCaret(finance.page, 'overview-finance', 'end');
      await finance.page.keyboard.type('撤销测试');
      await waitForDoc(watcher.doc, () => sectionText(watcher.body, 'overview-finance').toString().includes('撤销测试'), 'the typing');

      const locked = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/sections/overview-food/lock`, { method: 'POST', headers: { cookie } });
      expect(locked.status).toBe(200);
      // The lock has reached the page (before, every such change cleared everyone's undo).
      await expect.poll(() => finance.page.locator('[data-section-id="overview-food"] .state-locked').count()).toBe(1);

      await finance.page.keyboard.press('Control+z');
      await expect.poll(() => paragraphText(finance.page, 'overview-finance')).toBe(before);
      await waitForDoc(watcher.doc, () => !sectionText(watcher.body, 'overview-finance').toString().includes('撤销测试'), 'the undo to reach the server');
    } finally {
      watcher.destroy();
      await finance.context.close();
      await fetch(`${suite.server.url}/api/reports/${suite.reportId}/sections/overview-food/unlock`, { method: 'POST', headers: { cookie } });
    }
  });
});

describe('a read-only section', () => {
  it('answers a keystroke with a notice saying it is read-only and how to suggest a change instead, and changes nothing', async () => {
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    try {
      const before = await paragraphText(finance.page, 'overview-food');
      const paragraph = finance.page.locator('[data-section-id="overview-food"] .report-section-body p').first();
      await paragraph.click();
      await finance.page.keyboard.type('x');
      await expect.poll(() => finance.page.getByTestId('notice').textContent()).toContain('只读');
      expect(await finance.page.getByTestId('notice').textContent()).toContain('修订');
      expect(await paragraphText(finance.page, 'overview-food')).toBe(before);
    } finally {
      await finance.context.close();
    }
  });
});

describe('errors in the user’s language', () => {
  it('a request that cannot reach the server says so in words, in Chinese and in English', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    try {
      await openDashboard(lead.page);
      // The network goes away under the page (the browser's own request fails; the server is fine).
      await lead.page.route('**/api/reports/*/sections/*/lock', (route) => route.abort('internetdisconnected'));
      await lead.page.getByTestId('lock-overview-env').click();
      await expect.poll(() => lead.page.getByTestId('notice').textContent()).toContain('无法连接服务器');
      await lead.page.getByRole('button', { name: 'English' }).click();
      await lead.page.getByTestId('lock-overview-env').click();
      await expect.poll(() => lead.page.getByTestId('notice').textContent()).toContain('The server cannot be reached');
      expect(await lead.page.getByTestId('notice').textContent()).not.toContain('Failed to fetch');
    } finally {
      await lead.context.close();
    }
  });

  it('a refusal from the server is written from its code and parameters in the language the user chose', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    try {
      await openDashboard(lead.page);
      // The lock reaches the server for a section that is not there (as if removed meanwhile).
      await lead.page.route('**/api/reports/*/sections/overview-env/lock', (route) => route.continue({ url: route.request().url().replace('overview-env', 'no-such-section') }));
      await lead.page.getByTestId('lock-overview-env').click();
      await expect.poll(() => lead.page.getByTestId('notice').textContent()).toContain('没有章节 no-such-section');
      expect(await lead.page.getByTestId('notice').textContent()).not.toContain('No section');
      await lead.page.getByRole('button', { name: 'English' }).click();
      await lead.page.getByTestId('lock-overview-env').click();
      await expect.poll(() => lead.page.getByTestId('notice').textContent()).toContain('No section no-such-section');
      expect(await lead.page.getByTestId('notice').textContent()).not.toContain('没有章节');
    } finally {
      await lead.context.close();
    }
  });
});

describe('the section panel beside the editor', () => {
  it('shows its tabs only once it knows whether a review tab leads them, so no tab moves under a click', async () => {
    const target = 'overview-finance';
    const submitted = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/sections/${target}/submit`, { method: 'POST', headers: { cookie: await login(suite.server.url, 'finance') } });
    expect(submitted.status).toBe(200);
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    try {
      // Answers saying what changed since the submission are held back until the panel has been
      // looked at (the page asks too, for the marks in the text): until then the panel cannot know.
      const held: Array<() => void> = [];
      let releasing = false;
      await lead.page.route(`**/sections/${target}/review-changes`, async (route) => {
        if (!releasing) await new Promise<void>((answer) => held.push(answer));
        await route.continue();
      });
      await lead.page.getByRole('navigation').locator(`a[href="#section-${target}"]`).click();
      const panel = lead.page.getByTestId('section-panel');
      await panel.waitFor();
      expect(await panel.getByRole('tab').count()).toBe(0);

      releasing = true;
      for (const answer of held.splice(0)) answer();
      // The strip arrives whole, the review first and chosen: the lead office reads what changed.
      await expect.poll(() => panel.getByRole('tab').evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-testid')))).toEqual(['review-tab', 'suggestions-tab', null, 'history-tab']);
      expect(await lead.page.getByTestId('review-tab').getAttribute('aria-selected')).toBe('true');
    } finally {
      await lead.context.close();
    }
  });

  it('says when a section\'s history cannot be read, and reads it on another try', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    try {
      // The network goes away under the page for the history's request only.
      const history = `**/sections/${SECTION}/history`;
      await lead.page.route(history, (route) => route.abort('internetdisconnected'));
      await lead.page.getByRole('navigation').locator(`a[href="#section-${SECTION}"]`).click();
      await lead.page.getByTestId('history-tab').click();
      const failed = lead.page.getByTestId('history-failed');
      await failed.waitFor();
      expect(await lead.page.getByTestId('notice').textContent()).toContain('无法连接服务器');

      await lead.page.unroute(history);
      await failed.getByRole('button', { name: '重试' }).click();
      await lead.page.locator('.history-list').waitFor();
      expect(await failed.count()).toBe(0);
    } finally {
      await lead.context.close();
    }
  });
});
