import { describe, expect, it } from 'vitest';
import { login } from '../support/clients.js';
import { loginInNewContext, useBrowserSuite } from '../support/browser.js';

// The bell in the top bar: what concerns a department reaches its page live, the unread count
// goes down as it is read, "my sections" says why a section came back, and the lead office's
// reminder (催办) shows who has read it.

const suite = useBrowserSuite();
const SECTION = 'overview-finance';

async function api(path: string, as: string, body: unknown) {
  const response = await fetch(`${suite.server.url}${path}`, {
    method: 'POST',
    headers: { cookie: await login(suite.server.url, as), 'content-type': 'application/json', origin: suite.server.url },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

describe('notifications in the browser', () => {
  it('finance sees a return arrive live with its reason, reads it, and the lead office’s reminder shows it as read', async () => {
    const finance = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    const lead = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    try {
      await finance.page.getByTestId('notification-bell').waitFor();
      await expect.poll(() => finance.page.getByTestId('unread-count').count()).toBe(0);
      await api(`/api/reports/${suite.reportId}/sections/${SECTION}/submit`, 'finance', {});

      // The lead office returns the section from its dashboard.
      await lead.page.getByTestId('dashboard-tab').click();
      await lead.page.getByTestId(`return-${SECTION}`).click();
      await lead.page.getByTestId(`return-comment-${SECTION}`).fill('请补充预决算公开数量。');
      await lead.page.getByTestId(`confirm-return-${SECTION}`).click();

      // Finance's page, left open on the editor, counts it at once.
      await expect.poll(() => finance.page.getByTestId('unread-count').textContent()).toBe('1');
      await finance.page.getByTestId('notification-bell').click();
      const item = finance.page.getByTestId('notification-returned');
      await expect.poll(() => item.textContent()).toContain('被退回修改：请补充预决算公开数量。');
      await item.getByRole('button').click();
      await expect.poll(() => finance.page.getByTestId('unread-count').count()).toBe(0);
      await finance.page.getByTestId('dashboard-tab').click();
      await expect.poll(() => finance.page.getByTestId(`return-reason-${SECTION}`).textContent()).toBe('退回意见：请补充预决算公开数量。');

      // A deadline already passed: the lead office reminds the late department.
      await api(`/api/reports/${suite.reportId}/sections/${SECTION}/deadline`, 'lead', { deadline: '2025-01-31' });
      await lead.page.reload();
      await lead.page.getByTestId('dashboard-tab').click();
      lead.page.once('dialog', (dialog) => void dialog.accept('请今天内修改完毕'));
      await lead.page.getByTestId('send-reminder').click();
      await expect.poll(() => lead.page.getByTestId('notice').textContent()).toContain('已催办 示范区财政局，共通知 1 人');
      await expect.poll(() => finance.page.getByTestId('unread-count').textContent()).toBe('2'); // the deadline, then the reminder
      await finance.page.getByTestId('notification-bell').click();
      await finance.page.getByTestId('notification-reminder').getByRole('button').click();

      await lead.page.getByText('催办记录').click();
      await expect.poll(() => lead.page.getByTestId('reminder').first().textContent()).toMatch(/李会计（示范区财政局）· 已读/);
    } finally {
      await finance.context.close();
      await lead.context.close();
    }
  });
});
