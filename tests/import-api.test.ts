import { describe, expect, it } from 'vitest';
import { approveAllSections, callApi, publishReport } from './support/publishing.js';
import { useReportServer } from './support/report-server.js';
import { storedRows } from './support/stored.js';

// Importing a published report: the lead office uploads what a portal shows (the page, its DOCX,
// its PDF, or the text), sees every figure read and every rule's finding, and keeps it as an
// archived report of its year. Round trips go through this product's own publication.

const suite = useReportServer();

interface Preview {
  format: string;
  year: number | null;
  title: string;
  sections: Array<{ title: string; text: string; tables: string[] }>;
  tables: Record<string, Record<string, Record<string, number | null>>>;
  unread: Array<{ table: string; row: string | null; column: string | null; reason: string }>;
  findings: Array<{ rule: string; severity: string; message: string }>;
  traditional: boolean;
  source: string;
}

/** Uploads a file to `POST /api/imports` as the browser's import dialog does (multipart, field `file`). */
async function upload(name: string, bytes: Uint8Array | string, options: { as?: string; fields?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes]), name);
  for (const [field, value] of Object.entries(options.fields ?? {})) form.append(field, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.as !== undefined) headers.cookie = await suite.cookieOf(options.as);
  const response = await fetch(`${suite.server.url}/api/imports`, { method: 'POST', body: form, headers });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Preview & { error: { code: string; message: string } } };
}

const countReports = async () => (await storedRows<{ n: number }>(suite.server, 'select count(*) as n from reports'))[0]!.n;

let published: { url: string };
let live: Preview['tables'];

describe('importing a report this product published, in every format it publishes', () => {
  it('the page, the DOCX and the PDF each give back the same tables, cell for cell, with nothing unread', async () => {
    await approveAllSections(suite);
    published = await publishReport(suite, '首次发布');
    live = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/annex`, { as: 'lead' })).json.tables;
    const before = await countReports();
    for (const file of ['', '/report.docx', '/report.pdf']) {
      const bytes = (await callApi(suite, 'GET', `${published.url}${file}`)).bytes;
      const name = file === '' ? 'report.html' : file.slice(1);
      const answer = await upload(name, bytes, { as: 'lead' });
      expect(answer.status, name).toBe(200);
      const preview = answer.json;
      expect(preview, name).toMatchObject({ format: 'gov-disclosure-2021', year: 2025, title: '示范区人民政府2025年政府信息公开工作年度报告' });
      expect(preview.unread, name).toEqual([]);
      for (const tableId of ['A', 'B', 'C']) expect(preview.tables[tableId], `${name}: table ${tableId}`).toEqual(live[tableId]);
      expect(preview.sections.map((section) => section.title), name).toEqual(expect.arrayContaining(['一、总体情况', '三、收到和处理政府信息公开申请情况', '六、其他需要报告的事项']));
      expect(preview.sections.find((section) => section.title.startsWith('三、'))?.tables, name).toContain('B');
      // The demo report is consistent: no rule finds an error in what was read back.
      expect(preview.findings.filter((finding) => finding.severity === 'error'), name).toEqual([]);
    }
    expect(await countReports()).toBe(before);
  });
});
