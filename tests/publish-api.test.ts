import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_FIELD } from '../blocks/contract.js';
import { sectionText, waitForDoc } from './support/clients.js';
import { currentWarnings } from './support/publishing.js';
import { storedRows } from './support/stored.js';
import { useReportServer } from './support/report-server.js';

// Publishing the demo report to the public portal, against the real server and its SQLite file.

const suite = useReportServer();

async function call(method: string, path: string, options: { as?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.as) headers.cookie = await suite.cookieOf(options.as);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${suite.server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

const reportPath = () => `/api/reports/${suite.reportId}`;

function storedPublications() {
  return storedRows<{ version: number; html: string; content_hash: string }>(suite.server, 'select version, html, content_hash from publications where report_id = ? order by version', suite.reportId);
}

async function setTableCell(table: string, key: string, value: number) {
  const lead = await suite.syncedClient('lead');
  (lead.doc.getMap(ANNEX_FIELD).get(table) as Y.Map<number>).set(key, value);
  await waitForDoc(suite.observer.doc, () => (suite.observer.doc.getMap(ANNEX_FIELD).get(table) as Y.Map<number>).get(key) === value, `${table} ${key} = ${value}`);
}

const setCell = (key: string, value: number) => setTableCell('B', key, value);

/** The rule ids of the warnings the pre-flight shows, as the dialog sends them once acknowledged. */
const acknowledgeable = () => currentWarnings(suite);

describe('publishing the report to the portal', () => {
  it('is refused with 409 while sections are not approved, naming them, and only the lead office may publish', async () => {
    expect((await call('POST', `${reportPath()}/publications`, { as: 'finance', body: { note: '' } })).status).toBe(403);
    const refused = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布' } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.sections.map((s: { id: string }) => s.id)).toContain('overview-finance');
    expect(refused.json.error.findings).toEqual([]);
    expect(await storedPublications()).toEqual([]);
  });

  it('is refused with 409 naming the broken rule while a table does not add up, even with every section approved', async () => {
    await setCell('new:natural', 97);
    const sections = (await call('GET', `${reportPath()}/sections`, { as: 'lead' })).json as Array<{ id: string }>;
    for (const section of sections) expect((await call('POST', `${reportPath()}/sections/${section.id}/approve`, { as: 'lead' })).status).toBe(200);
    const refused = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布' } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.sections).toEqual([]);
    expect(refused.json.error.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['B1', 'B3']);
    const preflight = (await call('GET', `${reportPath()}/publications/preflight`, { as: 'lead' })).json;
    expect(preflight.ready).toBe(false);
    // Fixing the table edits the section holding it: approved text changed, so it is approved again.
    await setCell('new:natural', 96);
    expect((await call('GET', `${reportPath()}/publications/preflight`, { as: 'lead' })).json).toMatchObject({ ready: false, unapproved: [{ id: 'requests', state: 'draft' }] });
    expect((await call('POST', `${reportPath()}/sections/requests/approve`, { as: 'lead' })).status).toBe(200);
    expect((await call('GET', `${reportPath()}/publications/preflight`, { as: 'lead' })).json).toMatchObject({ ready: true, findings: [], unapproved: [], overdue: [] });
  });

  it('is refused with 409 while a warning shown is not acknowledged, naming it; the server judges, not the dialog', async () => {
    // A2 (a warning): a district reporting new 规章, which it cannot make.
    const warnings = async () => ((await call('GET', `${reportPath()}/publications/preflight`, { as: 'lead' })).json.findings as Array<{ rule: string; severity: string }>).filter((f) => f.severity === 'warning');
    const before = (await storedPublications()).length;
    await setTableCell('A', 'regulations:issued', 1);
    expect((await call('POST', `${reportPath()}/sections/proactive/approve`, { as: 'lead' })).status).toBe(200);
    const shown = [...new Set((await warnings()).map((f) => f.rule))];
    expect(shown.length).toBeGreaterThan(0);

    const refused = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布' } });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'warnings-not-acknowledged', unacknowledged: shown });
    const partly = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布', acknowledge: shown.slice(1) } });
    expect(partly.json.error.unacknowledged).toEqual(shown.slice(0, 1));
    expect((await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: 1, acknowledge: shown } })).status).toBe(400);
    expect((await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { acknowledge: 'A2' } })).status).toBe(400);
    expect(await storedPublications()).toHaveLength(before);
    await setTableCell('A', 'regulations:issued', 0);
    expect((await call('POST', `${reportPath()}/sections/proactive/approve`, { as: 'lead' })).status).toBe(200);
  });

  it('publishes version 1 at an unguessable address that anyone can read without logging in', async () => {
    const published = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布', acknowledge: await acknowledgeable() } });
    expect(published.status, JSON.stringify(published.json)).toBe(201);
    expect(published.json).toEqual({ version: 1, url: expect.stringMatching(/^\/portal\/[A-Za-z0-9_-]{16}$/), seq: expect.any(Number) });

    const page = await call('GET', published.json.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('<h2>三、收到和处理政府信息公开申请情况</h2>');
    expect(page.text).toContain('<caption>附表B 收到和处理政府信息公开申请情况</caption>');
    expect(page.text).toContain('第1版（当前版本）');

    const index = await call('GET', '/portal/');
    expect(index.status).toBe(200);
    expect(index.text).toContain(`<a href="${published.json.url}">示范区人民政府2025年政府信息公开工作年度报告</a>`);
    // Everyone in the district is told — the departments too — but not the lead office that published.
    const told = async (as: string) => ((await call('GET', '/api/notifications', { as })).json as Array<{ kind: string; text: string }>).filter((notification) => notification.kind === 'published');
    expect(await told('finance')).toEqual([expect.objectContaining({ text: '《示范区人民政府2025年政府信息公开工作年度报告》已发布第 1 版' })]);
    expect(await told('lead')).toEqual([]);
    // Nothing else is reachable: not the draft, not a made-up address.
    expect((await call('GET', `/portal/${suite.reportId}`)).status).toBe(404);
    expect((await call('GET', '/portal/AAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('a correction is version 2; version 1 stays byte for byte as it was, and its page points to the current version', async () => {
    const [first] = await storedPublications();
    const versions = (await call('GET', `${reportPath()}/publications`, { as: 'finance' })).json as Array<{ version: number; url: string; note: string; publishedBy: string }>;
    expect(versions).toEqual([expect.objectContaining({ version: 1, note: '首次发布', publishedBy: '王主任' })]);

    const withoutNote = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '  ', acknowledge: await acknowledgeable() } });
    expect(withoutNote.status).toBe(400);
    expect(withoutNote.json.error.code).toBe('note-required');
    expect(await storedPublications()).toHaveLength(1);

    const corrected = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '更正第二部分文字', acknowledge: await acknowledgeable() } });
    expect(corrected.status).toBe(201);
    expect(corrected.json.version).toBe(2);
    const stored = await storedPublications();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toEqual(first);

    const oldPage = await call('GET', versions[0]!.url);
    expect(oldPage.text).toContain(`当前版本为<a href="${corrected.json.url}">第2版</a>`);
    const index = await call('GET', '/portal/');
    expect(index.text).toContain(corrected.json.url);
    expect(index.text).not.toContain(versions[0]!.url);
  });

  it('an edit racing a publication is either in it or after it: what is stored is the report at the recorded sequence number', async () => {
    const finance = await suite.syncedClient('finance');
    const publishing = call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '第三版', acknowledge: await acknowledgeable() } });
    sectionText(finance.body, 'overview-finance').insert(0, '与发布同时写下的一句。');
    const published = await publishing;
    if (published.status === 409) {
      // The edit came first: the section it changed is no longer approved.
      expect(published.json.error.sections.map((s: { id: string }) => s.id)).toEqual(['overview-finance']);
      return;
    }
    expect(published.status).toBe(201);
    const [stored] = await storedRows<{ seq: number; sections: string }>(suite.server, 'select seq, sections from publications where report_id = ? and version = ?', suite.reportId, published.json.version);
    expect(stored!.seq).toBe(published.json.seq);
    const atSeq = (await call('GET', `${reportPath()}/sections/overview-finance/versions/${stored!.seq}`, { as: 'lead' })).json as { blocks: string[] };
    const publishedSection = (JSON.parse(stored!.sections) as Array<{ id: string; blocks: string[] }>).find((section) => section.id === 'overview-finance')!;
    expect(publishedSection.blocks).toEqual(atSeq.blocks);
    expect(publishedSection.blocks.join('')).not.toContain('与发布同时写下的一句。');
  });
});
