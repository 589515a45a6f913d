import { describe, expect, it } from 'vitest';
import { callApi, uploadFile } from './support/publishing.js';
import { useReportServer } from './support/report-server.js';
import { countStoredUpdates } from './support/stored.js';
import { departmentDraft } from './support/word-draft.js';

// A department brings its Word/WPS draft into its own section: the server turns the .docx into
// what the section can hold and says what it left out; the browser puts it in through the editor.

const suite = useReportServer();

async function sendDraft(sectionId: string, name: string, bytes: Uint8Array, as: string) {
  const answer = await uploadFile(suite, `/api/reports/${suite.reportId}/sections/${sectionId}/drafts`, { name, bytes }, { as });
  return answer as { status: number; json: { html: string; dropped: Array<{ kind: string; count: number }>; error: { code: string } } };
}

describe('a Word draft brought into a section', () => {
  it('keeps headings, bold and italic, lists and prose tables, and names what it left out: the picture and the footnote', async () => {
    const before = await countStoredUpdates(suite.server, suite.reportId);
    const answer = await sendDraft('overview-finance', '财政局草稿.docx', await departmentDraft(), 'finance');
    expect(answer.status).toBe(200);
    const { html, dropped } = answer.json;
    expect(html).toContain('<h3>财政预决算公开</h3>');
    expect(html).toContain('<strong>126个</strong>');
    expect(html).toContain('<em>公开率100%</em>');
    expect(html).toMatch(/<ul><li>预算公开及时<\/li><li>决算公开完整<\/li><\/ul>/);
    expect(html).toMatch(/<table>.*部门预算.*126.*<\/table>/s);
    expect(html).not.toMatch(/<img|footnote|数据来源/);
    expect(dropped).toEqual([
      { kind: 'images', count: 1 },
      { kind: 'notes', count: 1 },
    ]);
    // Converting stores nothing: the text reaches the report only through the editor.
    expect(await countStoredUpdates(suite.server, suite.reportId)).toBe(before);
  });

  it('is refused for a section the department may not write, a locked one, and files that are not .docx', async () => {
    const draft = await departmentDraft();
    const sections = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/sections`, { as: 'lead' })).json as Array<{ id: string; department: string | null }>;
    const others = sections.find((section) => section.department !== null && section.department !== 'finance')!;
    expect([await sendDraft(others.id, 'a.docx', draft, 'finance')].map((a) => [a.status, a.json.error.code])).toEqual([[403, 'may-not-write-section']]);
    expect((await callApi(suite, 'POST', `/api/reports/${suite.reportId}/sections/overview-finance/lock`, { as: 'lead' })).status).toBe(200);
    const locked = await sendDraft('overview-finance', 'a.docx', draft, 'finance');
    expect([locked.status, locked.json.error.code]).toEqual([403, 'may-not-write-section']);
    expect((await callApi(suite, 'POST', `/api/reports/${suite.reportId}/sections/overview-finance/unlock`, { as: 'lead' })).status).toBe(200);
    const wrongType = await sendDraft('overview-finance', 'draft.doc', draft, 'finance');
    expect([wrongType.status, wrongType.json.error.code]).toEqual([415, 'import-type-unsupported']);
    const damaged = await sendDraft('overview-finance', 'draft.docx', new TextEncoder().encode('PK\u0003\u0004 no archive'), 'finance');
    expect([damaged.status, damaged.json.error.code]).toEqual([422, 'import-unreadable']);
    const missing = await sendDraft('no-such-section', 'a.docx', draft, 'finance');
    expect(missing.status).toBe(404);
  });
});
