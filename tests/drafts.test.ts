import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { docxAsHtml, pdfText } from './support/documents.js';
import { approveAllSections, callApi } from './support/publishing.js';
import { useReportServer } from './support/report-server.js';
import { storedRows } from './support/stored.js';

// A draft before anything goes to the portal: the principal leader signs off a printed draft
// (领导审签), departments check their parts. Made on request from the same rendering as a
// publication, marked as a draft, and never stored or shown on the portal.

const suite = useReportServer();

interface SectionInfo {
  id: string;
  title: string;
  department: string | null;
}

const draft = (kind: 'docx' | 'pdf', as: string) => callApi(suite, 'GET', `/api/reports/${suite.reportId}/draft.${kind}`, { as });
const storedPublications = async () => (await storedRows<{ n: number }>(suite.server, 'select count(*) as n from publications'))[0]!.n;

/** The rows of the draft's table of parts, as Word reads them: [part, department, state]. */
function stateRows(html: string): string[][] {
  const table = /附：各部分办理状态<\/h1>\s*<table>(.*?)<\/table>/s.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((row) => [...row[1]!.matchAll(/<td>(?:<p>)?(.*?)(?:<\/p>)?<\/td>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')));
}

describe('a draft of the report, before it is published', () => {
  it('the lead office gets a DOCX marked 征求意见稿 with the date, every part’s state, and the findings still open', async () => {
    const before = await storedPublications();
    const answer = await draft('docx', 'lead');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(answer.headers.get('content-disposition')).toContain(encodeURIComponent('（征求意见稿 '));
    const html = await docxAsHtml(answer.bytes);
    expect(html).toMatch(/征求意见稿（\d{4}年\d{1,2}月\d{1,2}日）/);
    const sections = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/sections`, { as: 'lead' })).json as SectionInfo[];
    expect(stateRows(html).map(([title]) => title)).toEqual(sections.map((section) => section.title));
    expect(stateRows(html).every(([, , state]) => state === '编写中' || state?.startsWith('已'))).toBe(true);
    expect(html).toMatch(/附：尚待处理的检查结果（\d+项）/);
    // The mark stands at the top right of the first page.
    const document = strFromU8(unzipSync(answer.bytes)['word/document.xml']!);
    expect(document).toMatch(/<w:body><w:p><w:pPr><w:jc w:val="right"\/><\/w:pPr><w:r><w:rPr><w:b\/>.*?征求意见稿/);
    expect(await storedPublications()).toBe(before);
  });

  it('a department’s draft lists the states of its own parts only', async () => {
    const sections = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/sections`, { as: 'lead' })).json as SectionInfo[];
    const html = await docxAsHtml((await draft('docx', 'finance')).bytes);
    const own = sections.filter((section) => section.department === 'finance').map((section) => section.title);
    expect(own.length).toBeGreaterThan(0);
    expect(stateRows(html).map(([title]) => title)).toEqual(own);
  });

  it('as a PDF, with the same mark; once every part is approved it is the 送审稿 for sign-off', async () => {
    const first = await pdfText((await draft('pdf', 'lead')).bytes);
    expect(first.pages[0]).toMatch(/征求意见稿（\d{4}年\d{1,2}月\d{1,2}日）/);
    await approveAllSections(suite);
    const signed = await draft('pdf', 'lead');
    expect(signed.headers.get('content-disposition')).toContain(encodeURIComponent('（送审稿 '));
    const { pages } = await pdfText(signed.bytes);
    expect(pages[0]).toContain('送审稿');
    expect(pages.join('')).toContain('已审核通过');
  });

  it('never reaches the portal, and is no one’s outside the district', async () => {
    const portal = await callApi(suite, 'GET', '/portal/');
    expect(portal.text).not.toContain('征求意见稿');
    expect(portal.text).not.toContain('送审稿');
    expect((await callApi(suite, 'GET', `/api/reports/${suite.reportId}/publications`, { as: 'lead' })).json).toEqual([]);
    expect((await callApi(suite, 'GET', `/api/reports/${suite.reportId}/draft.docx`)).status).toBe(401);
    expect((await callApi(suite, 'GET', `/api/reports/${suite.reportId}/draft.html`, { as: 'lead' })).status).toBe(404);
  });
});
