import { spawn } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BODY_FIELD, CloseCode } from '../blocks/contract.js';
import { connectClient, getJson, login, sectionText, waitForDoc, type TestClient } from './support/clients.js';
import { countStoredUpdates, storedRows } from './support/stored.js';
import { startServer, type ServerProcess } from './support/server-process.js';

// Storage trouble stays with the report it hits: another process holding the SQLite lock does
// not stop the server, and a report whose log cannot be read is quarantined, not reloaded in a loop.

let server: ServerProcess;
let leadCookie: string;
let thisYear: string;
let lastYear: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServer();
  leadCookie = await login(server.url, 'lead');
  [thisYear, lastYear] = (await getJson<Array<{ id: string }>>(server.url, '/api/reports', leadCookie)).map((report) => report.id) as [string, string];
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.kill('SIGTERM');
});

function connect(reportId: string, cookie: string): TestClient {
  const client = connectClient(server.wsUrl, reportId, cookie);
  clients.push(client);
  return client;
}

/** The rows of the report's log table, without what waits in the journal. */
async function countLogRows(reportId: string): Promise<number> {
  const [row] = await storedRows<{ n: number }>(server, 'select count(*) as n from update_log where report_id = ?', reportId);
  return row!.n;
}

/** Runs `npm run report-admin -- …` against the server's data directory, as the operator would. */
function reportAdmin(...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin/report-admin.ts', ...args], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, DATA_DIR: server.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** Resolves with each close of the client's socket as it happens, until `count` closes were seen. */
function closes(client: TestClient, count: number, timeoutMs = 20_000): Promise<Array<{ code: number; reason: string }>> {
  const seen: Array<{ code: number; reason: string }> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`saw ${seen.length} of ${count} closes: ${JSON.stringify(seen)}`)), timeoutMs);
    const onClose = (event: CloseEvent | null) => {
      seen.push({ code: event?.code ?? 0, reason: event?.reason ?? '' });
      if (seen.length < count) return;
      clearTimeout(timer);
      client.provider.off('connection-close', onClose);
      resolve(seen);
    };
    client.provider.on('connection-close', onClose);
  });
}

describe('storage trouble is contained', () => {
  it('while another process holds the database lock, the server keeps answering, the edit sent meanwhile reaches everyone from the journal, and moves into the log once the lock is let go', async () => {
    const financeCookie = await login(server.url, 'finance');
    const writer = connect(thisYear, financeCookie);
    const observer = connect(thisYear, leadCookie);
    // Last year's report stays open too: reading it must not wait for this year's edit.
    await Promise.all([writer.synced, observer.synced, connect(lastYear, leadCookie).synced]);
    const before = await countStoredUpdates(server, thisYear);
    const rowsBefore = await countLogRows(thisYear);

    const otherProcess = new SQLite(server.dbFile);
    otherProcess.exec('BEGIN IMMEDIATE');
    let slowest = 0;
    try {
      sectionText(writer.body, 'overview-finance').insert(0, '锁定期间写下的字。');
      // Written ahead to the journal, the edit is stored and sent though the tables are locked.
      await waitForDoc(observer.doc, () => sectionText(observer.body, 'overview-finance').toString().startsWith('锁定期间写下的字。'), 'the edit sent while the database was locked');
      expect(await countStoredUpdates(server, thisYear)).toBe(before + 1);
      // For about three seconds of the lock, ask the server, one request after another.
      const until = performance.now() + 3000;
      while (performance.now() < until) {
        const asked = performance.now();
        const [me, outline] = await Promise.all([fetch(`${server.url}/api/me`, { headers: { cookie: leadCookie } }), fetch(`${server.url}/api/reports/${lastYear}/sections`, { headers: { cookie: leadCookie } })]);
        expect([me.status, outline.status]).toEqual([200, 200]);
        slowest = Math.max(slowest, performance.now() - asked);
      }
      expect(await countLogRows(thisYear)).toBe(rowsBefore);
    } finally {
      otherProcess.exec('ROLLBACK');
      otherProcess.close();
    }
    expect(slowest).toBeLessThan(1000);

    // Another process sees nothing of it until it moves: nothing tells it when, so it looks again.
    await vi.waitFor(async () => expect(await countLogRows(thisYear)).toBe(rowsBefore + 1), { timeout: 10_000, interval: 50 });
    expect(await countStoredUpdates(server, thisYear)).toBe(before + 1);
  });

  it('an edit still waiting in the journal when the server is killed with SIGKILL is in the log after the next start, and everyone sees it', async () => {
    const killed = await startServer();
    const lockHolder = new SQLite(killed.dbFile);
    let restarted: ServerProcess | null = null;
    const own: TestClient[] = [];
    try {
      const cookies = { finance: await login(killed.url, 'finance'), lead: await login(killed.url, 'lead') };
      const [reportId] = (await getJson<Array<{ id: string }>>(killed.url, '/api/reports', cookies.lead)).map((report) => report.id) as [string];
      const writer = connectClient(killed.wsUrl, reportId, cookies.finance);
      const observer = connectClient(killed.wsUrl, reportId, cookies.lead);
      own.push(writer, observer);
      await Promise.all([writer.synced, observer.synced]);
      const rowsBefore = (await storedRows<{ n: number }>(killed, 'select count(*) as n from update_log where report_id = ?', reportId))[0]!.n;

      // Held by another process, the tables cannot take the edit: only the journal has it when the server dies.
      lockHolder.exec('BEGIN IMMEDIATE');
      sectionText(writer.body, 'overview-finance').insert(0, '断电前最后一句。');
      await waitForDoc(observer.doc, () => sectionText(observer.body, 'overview-finance').toString().startsWith('断电前最后一句。'), 'the edit to reach the observer');
      await killed.kill('SIGKILL');
      lockHolder.exec('ROLLBACK');
      expect((await storedRows<{ n: number }>(killed, 'select count(*) as n from update_log where report_id = ?', reportId))[0]!.n).toBe(rowsBefore);

      restarted = await startServer({ dataDir: killed.dataDir });
      expect(restarted.output()).toContain('journal-recovered');
      expect((await storedRows<{ n: number }>(restarted, 'select count(*) as n from update_log where report_id = ?', reportId))[0]!.n).toBe(rowsBefore + 1);
      const fresh = connectClient(restarted.wsUrl, reportId, await login(restarted.url, 'lead'));
      own.push(fresh);
      await fresh.synced;
      expect(sectionText(fresh.body, 'overview-finance').toString()).toMatch(/^断电前最后一句。/);
    } finally {
      for (const client of own) client.destroy();
      lockHolder.close();
      await restarted?.kill('SIGTERM');
      await killed.kill('SIGKILL');
    }
  });

  it('closes the sockets of a report with an unreadable row with 4500 and a reason saying so, reads it once, and opens it again after report-admin skip — no restart', async () => {
    const created = await fetch(`${server.url}/api/reports`, {
      method: 'POST',
      headers: { cookie: leadCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2026, title: '示范区人民政府2026年政府信息公开工作年度报告' }),
    });
    expect(created.status).toBe(201);
    const { id: damaged } = (await created.json()) as { id: string };
    const file = new SQLite(server.dbFile);
    try {
      file.prepare('insert into update_log (report_id, seq, data, user_id, created_at) values (?, 2, ?, null, ?)').run(damaged, Buffer.from('not a yjs update'), Date.now());
    } finally {
      file.close();
    }

    const client = connect(damaged, leadCookie);
    const refusals = await closes(client, 4);
    for (const refusal of refusals) {
      expect(refusal).toEqual({ code: CloseCode.ServerError, reason: '报告数据损坏，已暂停编辑，请联系管理员：update 2（Report data unreadable: update 2）' });
    }
    const readings = () => server.output().split(`report ${damaged} is quarantined`).length - 1;
    // Four connections, one reading of the report: the others were answered from memory.
    expect(readings()).toBe(1);
    const reads = await fetch(`${server.url}/api/reports/${damaged}/sections`, { headers: { cookie: leadCookie } });
    expect(reads.status).toBe(503);
    expect(((await reads.json()) as { error: { code: string } }).error.code).toBe('report-unreadable');

    const check = await reportAdmin('check', damaged);
    expect(check.code).toBe(1);
    expect(check.output).toContain('无法读取（UNREADABLE）: update 2');
    const skip = await reportAdmin('skip', damaged, '2');
    expect(skip).toMatchObject({ code: 0, output: expect.stringContaining('left out update 2') });

    // The same client, still reconnecting on its own, now gets the report.
    await client.synced;
    expect(client.doc.getXmlFragment(BODY_FIELD).length).toBeGreaterThan(0);
  });
});
