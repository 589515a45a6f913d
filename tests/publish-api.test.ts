import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_FIELD } from '../blocks/contract.js';
import { waitForDoc } from './support/clients.js';
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

function storedPublications(): Array<{ version: number; html: string; content_hash: string }> {
  const db = new SQLite(suite.server.dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select version, html, content_hash from publications where report_id = ? order by version').all(suite.reportId) as Array<{ version: number; html: string; content_hash: string }>;
  } finally {
    db.close();
  }
}

async function setCell(key: string, value: number) {
  const lead = await suite.syncedClient('lead');
  (lead.doc.getMap(ANNEX_FIELD).get('B') as Y.Map<number>).set(key, value);
  await waitForDoc(suite.observer.doc, () => (suite.observer.doc.getMap(ANNEX_FIELD).get('B') as Y.Map<number>).get(key) === value, `B ${key} = ${value}`);
}

describe('publishing the report to the portal', () => {
  it('is refused with 409 while sections are not approved, naming them, and only the lead office may publish', async () => {
    expect((await call('POST', `${reportPath()}/publications`, { as: 'finance', body: { note: '' } })).status).toBe(403);
    const refused = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布' } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.sections.map((s: { id: string }) => s.id)).toContain('overview-finance');
    expect(refused.json.error.findings).toEqual([]);
    expect(storedPublications()).toEqual([]);
  });

  it('is refused with 409 naming the broken rule while a table does not add up, even with every section approved', async () => {
    const sections = (await call('GET', `${reportPath()}/sections`, { as: 'lead' })).json as Array<{ id: string }>;
    for (const section of sections) expect((await call('POST', `${reportPath()}/sections/${section.id}/approve`, { as: 'lead' })).status).toBe(200);
    await setCell('new:natural', 97);
    const refused = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布' } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.sections).toEqual([]);
    expect(refused.json.error.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['B1', 'B3']);
    const preflight = (await call('GET', `${reportPath()}/publications/preflight`, { as: 'lead' })).json;
    expect(preflight.ready).toBe(false);
    await setCell('new:natural', 96);
    expect((await call('GET', `${reportPath()}/publications/preflight`, { as: 'lead' })).json).toMatchObject({ ready: true, findings: [], unapproved: [], overdue: [] });
  });

  it('publishes version 1 at an unguessable address that anyone can read without logging in', async () => {
    const published = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '首次发布' } });
    expect(published.status).toBe(201);
    expect(published.json).toEqual({ version: 1, url: expect.stringMatching(/^\/portal\/[A-Za-z0-9_-]{16}$/) });

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
    // Nothing else is reachable: not the draft, not a made-up address.
    expect((await call('GET', `/portal/${suite.reportId}`)).status).toBe(404);
    expect((await call('GET', '/portal/AAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('a correction is version 2; version 1 stays byte for byte as it was, and its page points to the current version', async () => {
    const [first] = storedPublications();
    const versions = (await call('GET', `${reportPath()}/publications`, { as: 'finance' })).json as Array<{ version: number; url: string; note: string; publishedBy: string }>;
    expect(versions).toEqual([expect.objectContaining({ version: 1, note: '首次发布', publishedBy: '王主任' })]);

    const corrected = await call('POST', `${reportPath()}/publications`, { as: 'lead', body: { note: '更正第二部分文字' } });
    expect(corrected.status).toBe(201);
    expect(corrected.json.version).toBe(2);
    const stored = storedPublications();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toEqual(first);

    const oldPage = await call('GET', versions[0]!.url);
    expect(oldPage.text).toContain(`当前版本为<a href="${corrected.json.url}">第2版</a>`);
    const index = await call('GET', '/portal/');
    expect(index.text).toContain(corrected.json.url);
    expect(index.text).not.toContain(versions[0]!.url);
  });
});
