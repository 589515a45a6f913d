import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ANNEX_FIELD } from '../../blocks/contract.js';
import { launchChromium, loginInNewContext } from '../support/browser.js';
import { waitForDoc } from '../support/clients.js';
import { docxAsHtml, pdfText } from '../support/documents.js';
import { approveAllSections } from '../support/publishing.js';
import { useReportServer } from '../support/report-server.js';

// The lead office publishes the finished report from its dashboard; the public reads it on the
// portal in a browser that never logged in, checked with axe-core, and downloads DOCX and PDF.

const suite = useReportServer();
let browser: Browser;
let publishedUrl = '';

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's WCAG 2.1 A/AA checks on the page as it is. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  });
}

async function downloadOf(page: Page, linkName: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
  return fs.readFileSync((await download.path())!);
}

describe('publishing the report to the portal', () => {
  it('the lead office reviews the pre-flight, acknowledges the warnings and publishes with a note', async () => {
    // A new 规章 in table A: a district cannot make one (A2), a warning to acknowledge, not an error.
    const lead = await suite.syncedClient('lead');
    (lead.doc.getMap(ANNEX_FIELD).get('A') as Y.Map<number>).set('regulations:issued', 1);
    await waitForDoc(suite.observer.doc, () => (suite.observer.doc.getMap(ANNEX_FIELD).get('A') as Y.Map<number>).get('regulations:issued') === 1, 'the new 规章');
    // Approved after the last edit: an edit takes a section's approval away.
    await approveAllSections(suite);

    const { context, page } = await loginInNewContext(browser, suite.server.url, `/reports/${suite.reportId}`, 'lead');
    try {
      await page.getByTestId('dashboard-tab').click();
      await page.getByTestId('publications-list').waitFor();
      await page.getByTestId('publish-open').click();
      const dialog = page.getByTestId('publish-dialog');
      await expect.poll(() => dialog.getByTestId('publish-status').textContent()).toContain('可以发布');
      await expect.poll(() => dialog.textContent()).toContain('区县政府不能制定规章');
      // Last year's report is in the system: the dialog compares with it.
      await expect.poll(() => dialog.textContent()).toContain('2024');

      const submit = dialog.getByTestId('publish-submit');
      expect(await submit.isDisabled()).toBe(true);
      await dialog.getByTestId('publish-note').fill('2025年度报告首次发布');
      await dialog.getByTestId('publish-ack').check();
      expect(await submit.isEnabled()).toBe(true);
      await submit.click();

      const link = dialog.getByTestId('publish-result').locator('a');
      await link.waitFor();
      publishedUrl = new URL((await link.getAttribute('href'))!, suite.server.url).pathname;
      expect(publishedUrl).toMatch(/^\/portal\/[A-Za-z0-9_-]{16}$/);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('publication-1').textContent()).toContain('2025年度报告首次发布');
    } finally {
      await context.close();
    }
  });

  it('anyone opens the page without logging in: the report, its tables with header cells, no serious accessibility violation', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', bypassCSP: true, acceptDownloads: true });
    try {
      const page = await context.newPage();
      const answer = await page.goto(`${suite.server.url}/portal/`);
      expect(answer!.status()).toBe(200);
      await page.getByRole('link', { name: '示范区人民政府2025年政府信息公开工作年度报告' }).click();
      await page.waitForURL(`${suite.server.url}${publishedUrl}`);

      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('示范区人民政府2025年政府信息公开工作年度报告');
      expect(await page.getByRole('heading', { level: 2, name: '三、收到和处理政府信息公开申请情况' }).count()).toBe(1);
      const tableB = page.getByRole('table', { name: '附表B 收到和处理政府信息公开申请情况' });
      expect(await tableB.getByRole('columnheader', { name: '自然人' }).count()).toBe(1);
      expect(await tableB.getByRole('rowheader', { name: '一、本年新收政府信息公开申请数量' }).count()).toBe(1);
      expect(await page.getByRole('note').textContent()).toContain('第1版（当前版本）');

      const violations = await axeViolations(page);
      expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);

      // At 200% zoom (a 700 px wide window at zoom 1 is the same layout) nothing is cut off sideways.
      await page.setViewportSize({ width: 700, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      // The keyboard reaches the downloads first.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('下载 Word 文档（DOCX）');

      const docx = await docxAsHtml(await downloadOf(page, '下载 Word 文档（DOCX）'));
      expect(docx).toMatch(/<h\d>三、收到和处理政府信息公开申请情况<\/h\d>/);
      expect(docx).toContain('<table>');
      const pdf = await pdfText(await downloadOf(page, '下载 PDF'));
      expect(pdf.pages.join('')).toContain('三、收到和处理政府信息公开申请情况');
      expect(pdf.pages.join('')).toContain('附表B 收到和处理政府信息公开申请情况');
    } finally {
      await context.close();
    }
  });
});
