import { describe, expect, it } from 'vitest';
import { connectClient, sectionText } from './support/clients.js';
import { callApi } from './support/publishing.js';
import { useReportServer } from './support/report-server.js';
import { storedRows } from './support/stored.js';

// Starting this year's report from last year's: the same parts, owners and deadlines a year on,
// last year's text as a draft that rule D1 marks 雷同 until each part is rewritten.

const suite = useReportServer();

interface Section {
  id: string;
  title: string;
  level: number;
  department: string | null;
  deadline: string | null;
}

interface Finding {
  rule: string;
  severity: string;
  sectionId?: string;
  actual: number | null;
}

const sectionsOf = async (reportId: string) => (await callApi(suite, 'GET', `/api/reports/${reportId}/sections`, { as: 'lead' })).json as Section[];
const findingsOf = async (reportId: string) => ((await callApi(suite, 'GET', `/api/reports/${reportId}/findings`, { as: 'lead' })).json as { findings: Finding[] }).findings;
const sameAsLastYear = (findings: Finding[]) => findings.filter((finding) => finding.rule === 'D1').map((finding) => finding.sectionId).sort();

let nextYear: string;

describe('a new report started from last year’s', () => {
  it('has last year’s parts in order with their titles, departments and deadlines a year on, and its text as a draft', async () => {
    const sectionsPath = `/api/reports/${suite.reportId}/sections`;
    expect((await callApi(suite, 'POST', `${sectionsPath}/overview/deadline`, { as: 'lead', body: { deadline: '2026-01-31' } })).status).toBe(200);
    const lastYear = await sectionsOf(suite.reportId);
    const created = await callApi(suite, 'POST', '/api/reports', { as: 'lead', body: { year: 2026, title: '示范区人民政府2026年政府信息公开工作年度报告', fromLastYear: true } });
    expect(created.status, created.text).toBe(201);
    nextYear = created.json.id;
    const sections = await sectionsOf(nextYear);
    expect(sections.map(({ id, title, level, department }) => ({ id, title, level, department }))).toEqual(lastYear.map(({ id, title, level, department }) => ({ id, title, level, department })));
    expect(sections.find((section) => section.id === 'overview')?.deadline).toBe('2027-01-31');
    expect(sections.every((section) => section.id === 'overview' || section.deadline === null)).toBe(true);

    const lead = connectClient(suite.server.wsUrl, nextYear, await suite.cookieOf('lead'));
    const before = connectClient(suite.server.wsUrl, suite.reportId, await suite.cookieOf('lead'));
    await Promise.all([lead.synced, before.synced]);
    for (const section of lastYear) {
      expect(sectionText(lead.body, section.id).toString(), section.id).toBe(sectionText(before.body, section.id).toString());
    }
    before.destroy();
    lead.destroy();
  });

  it('starts 上年结转 from last year’s 结转下年度, and leaves this year’s other figures blank', async () => {
    const [thisYear, last] = await Promise.all([
      callApi(suite, 'GET', `/api/reports/${nextYear}/annex`, { as: 'lead' }),
      callApi(suite, 'GET', `/api/reports/${suite.reportId}/annex`, { as: 'lead' }),
    ]);
    expect(thisYear.json.tables.B.carried).toEqual(last.json.tables.B.forward);
    expect(thisYear.json.tables.B.new.total).toBeNull();
    expect(thisYear.json.previousSource).toMatchObject({ reportId: suite.reportId });
  });

  it('marks every part still written as last year 雷同 (D1, a warning), until it is rewritten', async () => {
    const parts = (await sectionsOf(nextYear)).map((section) => section.id);
    const copied = sameAsLastYear(await findingsOf(nextYear));
    // Every part with a paragraph of text; a short "无" is alike every year, rightly.
    expect(copied.length).toBeGreaterThan(3);
    expect(copied.every((id) => parts.includes(id!))).toBe(true);
    expect((await findingsOf(nextYear)).find((finding) => finding.rule === 'D1')).toMatchObject({ severity: 'warning', actual: 100 });
    // The preflight asks the lead office to acknowledge it before publishing.
    const preflight = (await callApi(suite, 'GET', `/api/reports/${nextYear}/publications/preflight`, { as: 'lead' })).json as { findings: Finding[] };
    expect(preflight.findings.some((finding) => finding.rule === 'D1')).toBe(true);

    const rewritten = copied[0]!;
    const lead = connectClient(suite.server.wsUrl, nextYear, await suite.cookieOf('lead'));
    await lead.synced;
    const text = sectionText(lead.body, rewritten);
    lead.doc.transact(() => {
      text.delete(0, text.length);
      text.insert(0, '2026年，本区以数字政府建设为牵引，新建政策文件库和智能问答平台，全年发布政策解读八十余篇，开展政府开放日活动十二场，群众满意度明显提升。');
    });
    await expect.poll(async () => sameAsLastYear(await findingsOf(nextYear)).includes(rewritten), { timeout: 10_000 }).toBe(false);
    lead.destroy();
  });

  it('is refused when the district has no report of the year before, and nothing is stored', async () => {
    const [before] = await storedRows<{ n: number }>(suite.server, 'select count(*) as n from reports');
    const answer = await callApi(suite, 'POST', '/api/reports', { as: 'lead', body: { year: 2030, title: '2030年报告', fromLastYear: true } });
    expect([answer.status, answer.json.error.code]).toEqual([409, 'no-report-last-year']);
    expect((await callApi(suite, 'POST', '/api/reports', { as: 'lead', body: { year: 2030, title: '2030年报告', fromLastYear: 'yes' } })).status).toBe(400);
    expect(await storedRows(suite.server, 'select count(*) as n from reports')).toEqual([before]);
  });
});
