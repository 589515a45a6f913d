import { describe, expect, it } from 'vitest';
import { sectionText, waitForDoc } from './support/clients.js';
import { pdfPageLines } from '../server/import/pdf-blocks.js';
import { docxAsHtml, pdfText } from './support/documents.js';
import { inkOfPdfPages } from './support/pdf-pages.js';
import { approveAllSections, callApi, publishReport } from './support/publishing.js';
import { storedRows } from './support/stored.js';
import { useReportServer } from './support/report-server.js';

// What the public downloads from a publication: the same report as DOCX and PDF, and the annex
// data as CSV and JSON — all made when it was published, and never changed afterwards.

const suite = useReportServer();
let first: { version: number; url: string; id: string };

const download = (path: string) => callApi(suite, 'GET', path);

describe('downloads of a published report', () => {
  it('the page links to the DOCX, the PDF and the annex data, all readable without logging in', async () => {
    await approveAllSections(suite);
    first = await publishReport(suite, '首次发布');
    const page = await download(first.url);
    for (const file of ['report.docx', 'report.pdf', 'annex.csv', 'annex.json']) {
      expect(page.text).toContain(`href="${first.url}/${file}"`);
      expect((await download(`${first.url}/${file}`)).status).toBe(200);
    }
    expect((await download(`/portal/${suite.reportId}/report.pdf`)).status).toBe(404);
    expect((await download(`${first.url}/report.exe`)).status).toBe(404);
  });

  it('the DOCX opens with the report title, the section headings, the text and the annex tables intact', async () => {
    const answer = await download(`${first.url}/report.docx`);
    expect(answer.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(answer.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('示范区人民政府2025年政府信息公开工作年度报告（第1版）.docx')}`);
    const html = await docxAsHtml(answer.bytes);
    expect(html).toContain('示范区人民政府2025年政府信息公开工作年度报告');
    expect(html).toMatch(/<h\d>一、总体情况<\/h\d>/);
    expect(html).toMatch(/<h\d>三、收到和处理政府信息公开申请情况<\/h\d>/);
    expect(html).toContain('收到和处理政府信息公开申请情况');
    expect((html.match(/<table>/g) ?? []).length).toBeGreaterThanOrEqual(3);
    // Table B's row 一、本年新收 keeps its seven numbers, each in a cell of its own.
    expect(html).toContain('一、本年新收政府信息公开申请数量</strong></p></td><td><p>96</p></td><td><p>18</p></td><td><p>2</p></td><td><p>1</p></td><td><p>4</p></td><td><p>3</p></td><td><p>124</p></td>');
  });

  it('the PDF carries the same text with its Chinese fonts embedded', async () => {
    const answer = await download(`${first.url}/report.pdf`);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    const { pages, embeddedFonts } = await pdfText(answer.bytes);
    const text = pages.join('\n');
    expect(text).toContain('示范区人民政府2025年政府信息公开工作年度报告');
    expect(text).toContain('一、总体情况');
    expect(text).toContain('三、收到和处理政府信息公开申请情况');
    expect(text).toContain('附表B 收到和处理政府信息公开申请情况');
    // 宋体 for the text, 黑体 for the headings, both embedded.
    expect(embeddedFonts).toEqual(expect.arrayContaining(['UMingCN', 'WenQuanYiZenHei']));
    expect(pages.length).toBeGreaterThan(1);
  });

  it('the PDF is laid out as an official document: A4, page numbers "— N —", numbers whole, a continued table headed again', async () => {
    const bytes = (await download(`${first.url}/report.pdf`)).bytes;
    const { pages, sizes, embeddedFonts } = await pdfText(bytes);
    // A4 in points; 楷体 for the sub-part headings beside 宋体 and 黑体.
    expect(new Set(sizes.map(([width, height]) => `${width}×${height}`))).toEqual(new Set(['595×842']));
    expect(embeddedFonts).toEqual(expect.arrayContaining(['UMingCN', 'WenQuanYiZenHei', 'UKaiCN']));
    pages.forEach((text, index) => expect(text, `page ${index + 1}`).toContain(`— ${index + 1} —`));
    const lines = await pdfPageLines(bytes);
    // Every figure of table B's total column is one token as a reader copies it: "124", never "12" then "4".
    const tokens = new Set(lines.flat().flatMap((line) => line.split(/\s+/)));
    const live = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/annex`, { as: 'lead' })).json.tables.B as Record<string, { total: number }>;
    for (const [row, cells] of Object.entries(live)) expect(tokens.has(String(cells.total)), `B ${row}: ${cells.total}`).toBe(true);
    // Table B runs over more than one page; each page it continues on begins with its column headers.
    const startsB = lines.findIndex((page) => page.some((line) => line.startsWith('附表B')));
    const endsB = lines.findIndex((page) => page.some((line) => line.startsWith('（七）总计')));
    expect(endsB).toBeGreaterThan(startsB);
    const continuing = lines.slice(startsB + 1, endsB + 1);
    for (const page of continuing) expect(page[0]).toBe('申请人情况');
  });

  it('each page, drawn to PNG, keeps its print inside the type area of its side of the sheet, and its number at the outer edge below it', async () => {
    const bytes = (await download(`${first.url}/report.pdf`)).bytes;
    // GB/T 9704: the type area runs from 37 mm below the top to 35 mm above the foot; the binding
    // margin (28 mm) is on the left of odd pages and the right of even ones, the outer one 26 mm.
    const pages = await inkOfPdfPages(bytes, 297 - 35);
    expect(pages.length).toBeGreaterThan(3);
    const slack = 1;
    pages.forEach(({ png, body, footer }, index) => {
      const odd = index % 2 === 0;
      const [left, right] = odd ? [28, 210 - 26] : [26, 210 - 28];
      const where = `page ${index + 1}`;
      expect(png.subarray(1, 4).toString(), where).toBe('PNG');
      expect(body, where).not.toBeNull();
      expect(body!.top, where).toBeGreaterThanOrEqual(37 - slack);
      expect(body!.left, where).toBeGreaterThanOrEqual(left - slack);
      expect(body!.right, where).toBeLessThanOrEqual(right + slack);
      // "— N —" about 7 mm below the type area, one character in from the outer edge of the type area.
      expect(footer, where).not.toBeNull();
      expect(footer!.top, where).toBeGreaterThan(297 - 35 + 4);
      expect(footer!.bottom, where).toBeLessThan(297 - 35 + 16);
      const outerEdge = odd ? footer!.right - right : left - footer!.left;
      expect(Math.abs(outerEdge + 5), where).toBeLessThan(1);
    });
  });

  it('the annex CSV opens in Excel with Chinese labels, one cell per line, blank cells empty', async () => {
    const answer = await download(`${first.url}/annex.csv`);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = answer.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('附表,表名,行,行标签,列,列分组,列标签,数值');
    expect(lines).toContain('B,收到和处理政府信息公开申请情况,new,一、本年新收政府信息公开申请数量,total,,总计,124');
    expect(lines.at(-1)).toBe('');
  });

  it("the annex JSON is the contract's annex shape, as published", async () => {
    const answer = await download(`${first.url}/annex.json`);
    const annex = JSON.parse(answer.text);
    expect(annex).toMatchObject({ format: 'gov-disclosure-2021', year: 2025 });
    expect(annex.tables.B.new.total).toBe(124);
    const live = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/annex`, { as: 'lead' })).json;
    expect(annex.tables).toEqual(live.tables);
  });

  it('the pre-flight shows what changed since the last version and since last year', async () => {
    const lead = await suite.syncedClient('lead');
    sectionText(lead.doc.getXmlFragment('body'), 'overview-finance').insert(0, '补充说明：');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.doc.getXmlFragment('body'), 'overview-finance').toString().includes('补充说明'), 'the edit');
    const preflight = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/publications/preflight`, { as: 'lead' })).json;
    const sinceLastVersion = preflight.changes.sinceLastVersion;
    expect(sinceLastVersion.against).toMatchObject({ kind: 'version', version: 1 });
    expect(sinceLastVersion.sections).toEqual([expect.objectContaining({ id: 'overview-finance', status: 'changed', added: 5, removed: 0 })]);
    expect(sinceLastVersion.sections[0].parts).toContainEqual({ kind: 'added', text: '补充说明：' });
    expect(sinceLastVersion.cells).toEqual([]);

    const sinceLastYear = preflight.changes.sinceLastYear;
    expect(sinceLastYear.against).toMatchObject({ kind: 'year', year: 2024 });
    expect(sinceLastYear.cells).toContainEqual({ table: 'B', label: '附表B 「一、本年新收政府信息公开申请数量」「总计」', before: 109, after: 124 });
  });

  it("a second publication leaves the first one's page and files byte for byte as they were", async () => {
    const before = await storedRows(suite.server, 'select publication_id, kind, sha256, bytes from publication_files order by publication_id, kind');
    const beforeDownloads = await Promise.all(['report.docx', 'report.pdf', 'annex.csv'].map(async (file) => Buffer.from((await download(`${first.url}/${file}`)).bytes).toString('base64')));
    // The edit above took the finance section out of "approved": the lead office approves it again.
    await approveAllSections(suite);
    const second = await publishReport(suite, '补充财政部分说明');
    expect(second.version).toBe(2);
    const after = await storedRows<{ publication_id: string }>(suite.server, 'select publication_id, kind, sha256, bytes from publication_files order by publication_id, kind');
    expect(after.filter((row) => row.publication_id === first.id)).toEqual(before);
    const afterDownloads = await Promise.all(['report.docx', 'report.pdf', 'annex.csv'].map(async (file) => Buffer.from((await download(`${first.url}/${file}`)).bytes).toString('base64')));
    expect(afterDownloads).toEqual(beforeDownloads);
    const secondPdf = await pdfText((await download(`${second.url}/report.pdf`)).bytes);
    expect(secondPdf.pages.join('')).toContain('补充说明：');
  });
});
