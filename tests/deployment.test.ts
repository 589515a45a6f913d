import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../blocks/contract.js';
import * as Y from 'yjs';
import { findSectionElement } from '../blocks/report-json.js';
import { connectClient, firstReportId, login, waitForClose, waitForDoc, type TestClient } from './support/clients.js';
import { approveAllSections, callApi, publishReport, uploadFile } from './support/publishing.js';
import { makeDataDir, startServer, type ServerProcess } from './support/server-process.js';

// A district installs the product for real: the server built once and run by plain node, with no
// demo data and no known password; the operator sets it up, hands out accounts, deactivates one,
// and backs the database up while people type.

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..');
let buildDir: string;
let dataDir: string;
let server: ServerProcess;
let adminPassword: string;
let reportId: string;

/** `npm run admin -- …` on `dataDir`: its output, or its failure's. */
async function admin(args: string[], dir = dataDir): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/admin/admin.ts', ...args], { cwd: REPO, env: { ...process.env, DATA_DIR: dir } });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string };
    return { ok: false, output: failed.stdout + failed.stderr };
  }
}

/** The built server (`npm run serve`), as a district runs it. */
function serveBuilt(dir: string): Promise<ServerProcess> {
  return startServer({ dataDir: dir, command: [path.join(buildDir, 'server/main.js')], env: { SESSION_SWEEP_SECONDS: '1' } });
}

async function loginStatus(username: string, password: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code };
}

beforeAll(async () => {
  // Inside the project, so the built files find its node_modules; never in dist/, which is the user's.
  fs.mkdirSync(path.join(REPO, 'node_modules/.cache'), { recursive: true });
  buildDir = fs.mkdtempSync(path.join(REPO, 'node_modules/.cache/server-build-'));
  await run(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts', path.join(buildDir, 'server')], { cwd: REPO }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`npm run build's server build failed:\n${error.stdout ?? ''}${error.stderr ?? String(error)}`);
  });
  dataDir = makeDataDir();
  server = await serveBuilt(dataDir);
}, 180_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

describe('a production install', () => {
  it('starts with no demo data and no known password, and says how to set it up', async () => {
    await expect.poll(() => server.output()).toContain('npm run admin -- init');
    // Its log is one JSON object per line, for an operator's tools.
    const lines = server.output().trim().split('\n').filter((line) => line.startsWith('{'));
    expect(lines.map((line) => JSON.parse(line) as { level: string; event: string })).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'info', event: expect.stringContaining('listening on http://127.0.0.1:') })]),
    );
    expect(await loginStatus('lead', 'demo')).toMatchObject({ status: 401, code: 'wrong-credentials' });
    // One bundle, and the digest and import workers beside it.
    expect(fs.readdirSync(path.join(buildDir, 'server'))).toEqual(expect.arrayContaining(['main.js', 'digest-worker.js', 'import-worker.js']));
  });

  it('the operator sets up the district, a department and its user from the command line; both can log in', async () => {
    const init = await admin(['init', '--district', '示范新区', '--username', 'admin', '--name', '赵主任']);
    expect(init.ok, init.output).toBe(true);
    adminPassword = /shown once[^:]*: (\S+)/.exec(init.output)![1]!;
    expect(await admin(['init', '--district', '另一个区', '--username', 'admin2'])).toMatchObject({ ok: false, output: expect.stringContaining('已经初始化') });

    expect((await admin(['add-department', '--name', '示范新区财政局', '--name-en', 'Finance Bureau'])).ok).toBe(true);
    const weak = await admin(['add-user', '--username', 'caizheng', '--name', '刘科长', '--department', '示范新区财政局', '--role', 'editor', '--password', '12345']);
    expect(weak).toMatchObject({ ok: false, output: expect.stringContaining('密码至少 10 个字符') });
    const added = await admin(['add-user', '--username', 'caizheng', '--name', '刘科长', '--department', '示范新区财政局', '--role', 'editor', '--password', 'Liu-Kezhang-2026']);
    expect(added.ok, added.output).toBe(true);

    expect((await loginStatus('caizheng', 'Liu-Kezhang-2026')).status).toBe(200);

    // The administrator's password was generated: it must be replaced before anything else.
    const cookie = await login(server.url, 'admin', adminPassword);
    const blocked = await fetch(`${server.url}/api/reports`, { headers: { cookie } });
    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('password-change-required');
    expect(((await (await fetch(`${server.url}/api/me`, { headers: { cookie } })).json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    const change = (body: unknown) => fetch(`${server.url}/api/me/password`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(((await (await change({ current: adminPassword, next: 'short1' })).json()) as { error: { code: string } }).error.code).toBe('weak-password');
    expect(((await (await change({ current: 'not-it-at-all-9', next: 'Zhao-Zhuren-2026' })).json()) as { error: { code: string } }).error.code).toBe('wrong-current-password');
    expect((await change({ current: adminPassword, next: 'Zhao-Zhuren-2026' })).status).toBe(200);
    adminPassword = 'Zhao-Zhuren-2026';
    expect((await fetch(`${server.url}/api/reports`, { headers: { cookie } })).status).toBe(200);
    const users = await admin(['list-users']);
    expect(users.output.trim().split('\n')).toEqual(['admin\t赵主任\tlead\t示范新区人民政府办公室\tactive', 'caizheng\t刘科长\teditor\t示范新区财政局\tactive']);
  });

  it('a deactivated user’s open socket is closed, their next request is 401, and they cannot log in again', async () => {
    const leadCookie = await login(server.url, 'admin', adminPassword);
    const created = await fetch(`${server.url}/api/reports`, {
      method: 'POST',
      headers: { cookie: leadCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: '示范新区人民政府2026年政府信息公开工作年度报告', year: 2026 }),
    });
    expect(created.status).toBe(201);
    reportId = ((await created.json()) as { id: string }).id;

    const cookie = await login(server.url, 'caizheng', 'Liu-Kezhang-2026');
    const client = connectClient(server.wsUrl, reportId, cookie);
    try {
      await client.synced;
      const closed = waitForClose(client.provider);
      expect((await admin(['deactivate', '--username', 'caizheng'])).ok).toBe(true);
      expect((await closed).code).toBe(CloseCode.SessionExpired);
    } finally {
      client.destroy();
    }
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    expect(await loginStatus('caizheng', 'Liu-Kezhang-2026')).toMatchObject({ status: 403, code: 'account-deactivated' });
    expect(await loginStatus('caizheng', 'wrong-password-1')).toMatchObject({ status: 401, code: 'wrong-credentials' });
  });

  it('a backup taken while someone types holds everything accepted before it began; restored into a new DATA_DIR, the server serves it', async () => {
    const cookie = await login(server.url, 'admin', adminPassword);
    const typist = connectClient(server.wsUrl, reportId, cookie);
    const observer = connectClient(server.wsUrl, reportId, cookie);
    let typing: ReturnType<typeof setInterval> | null = null;
    let accepted = '';
    try {
      await Promise.all([typist.synced, observer.synced]);
      const sectionId = firstSectionId(typist);
      let count = 0;
      typing = setInterval(() => {
        const text = paragraphText(typist, sectionId);
        text.insert(text.length, `字${count++}`);
      }, 5);
      await waitForDoc(observer.doc, () => paragraphRead(observer, sectionId).includes('字50'), 'the typing to be under way');
      // What another client has received was accepted (logged) by the server before the backup begins.
      accepted = paragraphRead(observer, sectionId);
      const backupFile = path.join(makeDataDir(), 'backup.sqlite');
      const backup = await admin(['backup', backupFile]);
      expect(backup.ok, backup.output).toBe(true);
      clearInterval(typing);
      typing = null;

      const restoredDir = makeDataDir();
      const restored = await admin(['restore', backupFile], restoredDir);
      expect(restored.ok, restored.output).toBe(true);
      const second = await serveBuilt(restoredDir);
      try {
        const reader = connectClient(second.wsUrl, reportId, await login(second.url, 'admin', adminPassword));
        try {
          await reader.synced;
          expect(paragraphRead(reader, sectionId).startsWith(accepted)).toBe(true);
        } finally {
          reader.destroy();
        }
      } finally {
        await second.kill('SIGTERM');
      }
    } finally {
      if (typing) clearInterval(typing);
      typist.destroy();
      observer.destroy();
    }
  });
});

describe('the built server', () => {
  it('publishes the demo report with the parts it loads on demand (the portal page, its DOCX and its PDF) and imports each back', async () => {
    const demo = await startServer({ command: [path.join(buildDir, 'server/main.js'), '--demo'] });
    try {
      const cookies = new Map<string, string>();
      const cookieOf = async (username: string) => cookies.get(username) ?? cookies.set(username, await login(demo.url, username)).get(username)!;
      const suite = { server: demo, reportId: await firstReportId(demo.url, await cookieOf('lead')), cookieOf };
      await approveAllSections(suite);
      const published = await publishReport(suite, '首次发布');
      const page = await callApi(suite, 'GET', published.url);
      expect(page.text).toContain('<caption>附表B 收到和处理政府信息公开申请情况</caption>');
      const docx = await callApi(suite, 'GET', `${published.url}/report.docx`);
      expect(docx.status).toBe(200);
      // A DOCX is a ZIP archive; a PDF says so in its first bytes.
      expect(new TextDecoder().decode(docx.bytes.subarray(0, 2))).toBe('PK');
      const pdf = await callApi(suite, 'GET', `${published.url}/report.pdf`);
      expect(pdf.status).toBe(200);
      expect(new TextDecoder().decode(pdf.bytes.subarray(0, 5))).toBe('%PDF-');
      // The readers of the import (HTML, Word, PDF.js, traditional characters) load on demand too.
      const live = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/annex`, { as: 'lead' })).json.tables;
      for (const [name, bytes] of [['report.html', page.bytes], ['report.docx', docx.bytes], ['report.pdf', pdf.bytes]] as const) {
        const answer = await uploadFile(suite, '/api/imports', { name, bytes }, { as: 'lead' });
        expect(answer.status, name).toBe(200);
        expect(answer.json.tables, name).toMatchObject({ B: live.B });
      }
    } finally {
      await demo.kill('SIGTERM');
    }
  });
});

function firstParagraph(client: TestClient, sectionId: string): Y.XmlElement {
  const section = findSectionElement(client.body, sectionId)!;
  return section.toArray().find((child): child is Y.XmlElement => child instanceof Y.XmlElement && child.nodeName === 'paragraph')!;
}

/** What the section's first paragraph says, as a reader has it. */
function paragraphRead(client: TestClient, sectionId: string): string {
  const first = firstParagraph(client, sectionId).get(0);
  return first instanceof Y.XmlText ? first.toString() : '';
}

/** The text of the section's first paragraph, made as an editor makes it at the first keystroke. */
function paragraphText(client: TestClient, sectionId: string): Y.XmlText {
  const paragraph = firstParagraph(client, sectionId);
  const first = paragraph.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

function firstSectionId(client: TestClient): string {
  const first = client.body.toArray()[0] as { getAttribute(name: string): unknown };
  return String(first.getAttribute('sectionId'));
}
