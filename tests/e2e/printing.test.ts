import { describe, expect, it } from 'vitest';
import { loginInNewContext, useBrowserSuite } from '../support/browser.js';
import { pdfText } from '../support/documents.js';

// Printing from the editor: the report alone, on the page of an official document — what an
// office prints for a meeting without downloading anything.

const suite = useBrowserSuite();

describe('printing the report from the editor', () => {
  it('prints the report alone on A4 — no bars, panels, badges or buttons — with its draft downloads offered on screen', async () => {
    const { context, page } = await loginInNewContext(suite.browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    await expect.poll(() => page.locator('[data-section-id]').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('draft-docx').getAttribute('href')).toBe(`/api/reports/${suite.reportId}/draft.docx`);
    await page.emulateMedia({ media: 'print' });
    for (const chrome of ['.top-bar', '.report-toolbar', '.outline', '.toolbar', '.report-section-badges']) {
      expect(await page.locator(chrome).first().isVisible(), chrome).toBe(false);
    }
    expect(await page.locator('.report-section-title').first().isVisible()).toBe(true);
    const { pages, sizes } = await pdfText(await page.pdf({ preferCSSPageSize: true }));
    const text = pages.join('');
    expect(text).toContain('一、总体情况');
    expect(text).toContain('全年共新收政府信息公开申请');
    for (const chrome of ['报告列表', '工作台', '征求意见稿：', '插入联动数字', '只读']) expect(text, chrome).not.toContain(chrome);
    expect(sizes[0]).toEqual([595, 842]);
    expect(pages[0]).toContain('— 1 —');
    await context.close();
  });
});
