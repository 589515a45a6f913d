import { describe, expect, it } from 'vitest';
import { login } from '../support/clients.js';
import { loginInNewContext, useBrowserSuite } from '../support/browser.js';

// The lead office's administrator keeps departments and users in the browser (部门与用户管理),
// through the same accounts as the operator's command line.

const suite = useBrowserSuite();

describe('部门与用户管理', () => {
  it('adds a department and a user whose handed-over password must be replaced, and a deactivation signs its user out at once', async () => {
    const lead = await loginInNewContext(suite.browser, suite.server.url, '/admin', 'lead');
    const food = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'food');
    try {
      const page = lead.page;
      await page.getByRole('heading', { name: '部门与用户管理' }).waitFor();
      await page.locator('input[name="department-name"]').fill('示范区教育局');
      await page.locator('input[name="department-name-en"]').fill('Education Bureau');
      await page.getByRole('button', { name: '添加部门' }).click();
      await expect.poll(() => page.locator('.department-list').textContent()).toContain('示范区教育局');

      await page.locator('input[name="new-username"]').fill('jiaoyu');
      await page.locator('input[name="new-name"]').fill('周老师');
      await page.locator('select[name="new-department"]').selectOption('示范区教育局');
      await page.getByRole('button', { name: '添加用户' }).click();
      const handOver = page.getByTestId('password-hand-over');
      await handOver.waitFor();
      const password = (await handOver.locator('code').textContent())!;
      await expect.poll(() => page.getByTestId('user-jiaoyu').textContent()).toContain('示范区教育局');

      // The new user logs in with what was handed over and must choose their own password first.
      const teacher = await suite.browser.newContext({ locale: 'zh-CN' });
      try {
        const teacherPage = await teacher.newPage();
        await teacherPage.goto(`${suite.server.url}/login`);
        await teacherPage.locator('input[name="username"]').fill('jiaoyu');
        await teacherPage.locator('input[name="password"]').fill(password);
        await teacherPage.getByRole('button', { name: '登录' }).click();
        await teacherPage.getByRole('heading', { name: '请设置您自己的密码' }).waitFor();
      } finally {
        await teacher.close();
      }

      // The food bureau has the report open; deactivating it signs it out there and then.
      await food.page.locator('[data-section-id]').first().waitFor();
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByTestId('user-food').getByRole('button', { name: '停用' }).click();
      await expect.poll(() => page.getByTestId('user-food').textContent()).toContain('已停用');
      await food.page.locator('input[name="username"]').waitFor();
      const refused = await fetch(`${suite.server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'food', password: 'demo' }) });
      expect(refused.status).toBe(403);
    } finally {
      await lead.context.close();
      await food.context.close();
    }
  });

  it('is the lead office’s alone', async () => {
    const cookie = await login(suite.server.url, 'finance');
    const answer = await fetch(`${suite.server.url}/api/admin/accounts`, { headers: { cookie } });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { params: unknown } }).error.params).toEqual({ action: 'accounts' });
  });
});
