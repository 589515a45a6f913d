import { describe, expect, it } from 'vitest';
import { columnsOfRow } from '../../blocks/annex/definition.js';
import { govDisclosure2021 } from '../../blocks/annex/formats/gov-disclosure-2021.js';
import { loginInNewContext, placeCaret, useBrowserSuite } from '../support/browser.js';
import { connectClient, login, sectionText, waitForDoc } from '../support/clients.js';
import { departmentDraft } from '../support/word-draft.js';

// The lead office brings in the report its district published in 2023, as text copied from the
// portal: it sees what was read and what was not, and keeps it as the 2023 archive, read-only.

const suite = useBrowserSuite();

/** A 2023 report as copied from a portal page: table B row by row, one row's digits run together. */
function publishedText(): string {
  const tableB = govDisclosure2021.tables.find((table) => table.id === 'B')!;
  const lines = ['首页 > 政务公开 > 年度报告', '示范区人民政府2023年政府信息公开工作年度报告', '本报告依据《中华人民共和国政府信息公开条例》编制。', '一、总体情况', '2023年，全区扎实推进政务公开。', '三、收到和处理政府信息公开申请情况', '申请人情况'];
  for (const row of tableB.rows) {
    const cells = columnsOfRow(tableB, row).map(() => '1');
    // 「（一）予以公开」 lost the spaces between its numbers when it was copied.
    lines.push(row.id === 'granted' ? `${row.label}\t1111111` : [row.label, ...cells].join('\t'));
  }
  lines.push('四、政府信息公开行政复议、行政诉讼情况', '行政复议\t行政诉讼', Array.from({ length: 15 }, () => '0').join('\t'), '五、存在的主要问题及改进情况', '无。', '六、其他需要报告的事项', '无。');
  return lines.join('\n');
}

describe('importing last year’s published report in the browser', () => {
  it('the lead office previews what was read — unread cells marked, never guessed — and keeps it as a read-only archive', async () => {
    const { context, page } = await loginInNewContext(suite.browser, suite.server.url, '/', 'lead');
    await page.getByTestId('import-file').setInputFiles({ name: '2023年报.txt', mimeType: 'text/plain', buffer: Buffer.from(publishedText()) });
    await page.getByRole('button', { name: '读取', exact: true }).click();
    const preview = page.getByTestId('import-preview');
    await expect.poll(() => preview.isVisible()).toBe(true);
    expect(await page.getByTestId('import-format').textContent()).toContain('国办公开办函〔2021〕30号');
    // The row whose digits ran together: seven cells shown as unread, none filled in.
    const tableB = page.getByTestId('import-table-B');
    expect(await tableB.locator('td.unread').count()).toBe(7);
    expect(await page.getByTestId('import-unread').textContent()).toContain('未作猜测');
    expect(await preview.locator('input[type=number]').inputValue()).toBe('2023');

    await page.getByTestId('import-keep-archive').click();
    await page.waitForURL(/\/reports\/[a-z0-9]+$/);
    await expect.poll(() => page.getByTestId('archived-notice').isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-section-id]').count()).toBeGreaterThan(3);
    // Nothing in it can be typed into, not even by the lead office.
    expect(await page.locator('[data-section-id][data-editable="true"]').count()).toBe(0);
    expect(await page.getByTestId('report-heading').textContent()).toContain('2023');

    await page.goto(`${suite.server.url}/`);
    await expect.poll(() => page.getByText('归档', { exact: true }).count()).toBe(1);
    await context.close();
  });
});

describe('a department’s Word draft in the browser', () => {
  it('finance brings its .docx into its own section: the text arrives for everyone, and the notice names the picture left out', async () => {
    const { context, page } = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'finance');
    await expect.poll(() => page.locator('[data-section-id="overview-finance"][data-editable="true"]').count()).toBe(1);
    await placeCaret(page, 'overview-finance', 'end');
    await page.getByTestId('word-draft-file').setInputFiles({ name: '财政局草稿.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: await departmentDraft() });
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('图片 1 张');
    expect(await page.getByTestId('notice').textContent()).toContain('脚注/尾注 1 条');
    const section = page.locator('[data-section-id="overview-finance"] .report-section-body');
    await expect.poll(() => section.locator('h3').allTextContents()).toContain('财政预决算公开');
    expect(await section.locator('strong').allTextContents()).toContain('126个');
    expect(await section.locator('table').count()).toBe(1);

    // The server accepted it as finance's edit: another client sees it.
    const observer = connectClient(suite.server.url.replace('http://', 'ws://') + '/collab', suite.reportId, await login(suite.server.url, 'lead'));
    await observer.synced;
    const body = observer.doc.getXmlFragment('body');
    await waitForDoc(observer.doc, () => JSON.stringify(body.toJSON()).includes('财政预决算公开'), 'the draft on the server');
    expect(sectionText(body, 'overview-finance').toString().length).toBeGreaterThan(0);
    observer.destroy();
    await context.close();
  });
});
