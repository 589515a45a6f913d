import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../blocks/contract.js';
import { startBalancer, type Balancer } from './support/balancer.js';
import { connectClient, firstReportId, login, sectionText, waitForClose, waitForDoc, type TestClient } from './support/clients.js';
import { startServer, type ServerProcess } from './support/server-process.js';
import { countStoredUpdates } from './support/stored.js';
import { createPostgresDatabase, queryPostgres } from './support/postgres.js';
import { postgresAdminUrl } from './support/test-database.js';

// Three server processes on one PostgreSQL database and one Redis, as a city hosts its districts:
// any process takes any socket and any request, and every promise of one process still holds.
// Far longer than any wait here: a killed holder's reports come back because its port refuses
// connections (its lease is ended then), not because the lease ran out.
const LEASE_MS = 60_000;
// Every stock client registers a listener for the process's exit; this file holds a few dozen.
process.setMaxListeners(0);
let databaseUrl: string;
const processes: ServerProcess[] = [];
const clients: TestClient[] = [];
let reportId: string;

beforeAll(async () => {
  databaseUrl = await createPostgresDatabase(postgresAdminUrl()!, 'multi_process');
  // The sweep that would find ended sessions by itself is slowed right down: what ends a session
  // on another process at once here is the relay.
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: inject('redisUrl')!, REPORT_LEASE_MS: String(LEASE_MS), SESSION_SWEEP_SECONDS: '3600' };
  // One after the other: the first creates the demo district, the others find it.
  for (let i = 0; i < 3; i++) processes.push(await startServer({ env }));
  reportId = await firstReportId(processes[0]!.url, await login(processes[0]!.url, 'lead'));
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of processes) await server.kill('SIGKILL');
});

const a = () => processes[0]!;
const b = () => processes[1]!;
const c = () => processes[2]!;

async function join(wsUrl: string, cookie: string): Promise<TestClient> {
  const client = connectClient(wsUrl, reportId, cookie);
  clients.push(client);
  await client.synced;
  return client;
}

async function post(server: ServerProcess, cookie: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/api/reports/${reportId}${path}`, {
    method: 'POST',
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const holderUrl = async () => (await queryPostgres<{ url: string }>(databaseUrl, 'select url from report_leases where report_id = $1', [reportId]))[0]?.url ?? null;

/** Every change `seen` has is also in `holder`. */
function containsEverything(holder: Y.Doc, seen: Y.Doc): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(holder));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(seen))) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

describe('several server processes on PostgreSQL and Redis', () => {
  it('a login on one process is valid on every other, and stock clients on two processes converge', async () => {
    const financeCookie = await login(a().url, 'finance');
    const foodCookie = await login(b().url, 'food');
    const finance = await join(c().wsUrl, financeCookie);
    const food = await join(a().wsUrl, foodCookie);
    for (const ch of '预算公开') sectionText(finance.body, 'overview-finance').insert(0, ch);
    for (const ch of '抽检结果') sectionText(food.body, 'overview-food').insert(0, ch);
    await waitForDoc(
      [finance.doc, food.doc],
      () => sectionText(finance.body, 'overview-food').toString().startsWith('果结检抽') && sectionText(food.body, 'overview-finance').toString().startsWith('开公算预'),
      'each department to see the other’s typing',
    );
    expect(finance.body.toString()).toBe(food.body.toString());
    // A report that does not exist is 404 on every process, as on one alone.
    const missing = await fetch(`${b().url}/api/reports/no-such-report/sections`, { headers: { cookie: financeCookie } });
    expect(missing.status).toBe(404);
    // One authority: the report is held by exactly one of the three.
    expect(processes.map((server) => server.url)).toContain(await holderUrl());
  });

  it('a lock made through one process refuses (4403) an edit sent to another, and nothing is stored', async () => {
    const lead = await login(b().url, 'lead');
    const foodCookie = await login(c().url, 'food');
    const food = await join(c().wsUrl, foodCookie);
    expect((await post(a(), lead, '/sections/overview-food/lock')).status).toBe(200);
    const stored = await countStoredUpdates({ dbFile: '', databaseUrl }, reportId);
    sectionText(food.body, 'overview-food').insert(0, '锁定后修改');
    const closed = await waitForClose(food.provider);
    expect(closed.code).toBe(CloseCode.Forbidden);
    expect(closed.reason).toContain('overview-food');
    expect(await countStoredUpdates({ dbFile: '', databaseUrl }, reportId)).toBe(stored);

    // Unlocked through a third process, the department writes again, and everyone sees it.
    expect((await post(c(), lead, '/sections/overview-food/unlock')).status).toBe(200);
    const again = await join(b().wsUrl, foodCookie);
    const reader = await join(a().wsUrl, lead);
    sectionText(again.body, 'overview-food').insert(0, '解锁后');
    await waitForDoc(reader.doc, () => sectionText(reader.body, 'overview-food').toString().startsWith('解锁后'), 'the edit after the unlock');
  });

  it('a report’s events, and a person’s notifications, published on one process reach an open page on another', async () => {
    const lead = await login(a().url, 'lead');
    const env = await login(b().url, 'env');
    const abort = new AbortController();
    const open = async (path: string, cookie: string) => {
      const stream = await fetch(`${c().url}${path}`, { headers: { cookie }, signal: abort.signal });
      const reader = stream.body!.getReader();
      let received = '';
      const receive = async (pattern: RegExp) => {
        while (!pattern.test(received)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the event stream ended; it said:\n${received}`);
          received += new TextDecoder().decode(value);
        }
      };
      await receive(/event: ready/);
      return receive;
    };
    const reportEvents = await open(`/api/reports/${reportId}/events`, lead);
    const envNotifications = await open('/api/notifications/events', env);
    expect((await post(a(), lead, '/comments', { section: 'overview-env', body: '@生态环境局 请补充空气质量数据' })).status).toBe(201);
    await reportEvents(/event: comments\ndata: \{"type":"comments","sectionId":"overview-env"\}/);
    await envNotifications(/event: notification\ndata: \{"type":"notification","notification":\{[^\n]*"kind":"mention"[^\n]*提到了您：@生态环境局 请补充空气质量数据/);
    abort.abort();
  });

  it('a logout through one process closes that login’s socket and event stream on the others at once', async () => {
    const env = await login(a().url, 'env');
    const socket = await join(b().wsUrl, env);
    const stream = await fetch(`${c().url}/api/reports/${reportId}/events`, { headers: { cookie: env } });
    const logout = await fetch(`${a().url}/api/logout`, { method: 'POST', headers: { cookie: env } });
    expect(logout.status).toBeLessThan(300);
    const closed = await waitForClose(socket.provider);
    expect(closed.code).toBe(CloseCode.SessionExpired);
    expect(await stream.text()).toContain('event: session-ended');
  });

  it('a SIGKILL of the process that holds the report while 20 clients type loses nothing any client received; they converge on another process', async () => {
    const balancer: Balancer = await startBalancer(processes.map((server) => server.url));
    try {
      const cookies = Object.fromEntries(await Promise.all(['finance', 'food', 'env', 'lead'].map(async (user) => [user, await login(balancer.url, user)] as const)));
      const typists = [
        { user: 'finance', section: 'overview-finance' },
        { user: 'food', section: 'overview-food' },
        { user: 'env', section: 'overview-env' },
        { user: 'lead', section: 'problems' },
      ];
      const typing = await Promise.all(typists.map(async ({ user, section }) => ({ client: await join(balancer.wsUrl, cookies[user]!), section })));
      // Each reader its own login, as each person has: a login holds a few sockets at most.
      const readers = await Promise.all(Array.from({ length: 16 }, async (_, i) => join(balancer.wsUrl, await login(balancer.url, typists[i % typists.length]!.user))));
      const everyone = [...typing.map((t) => t.client), ...readers];
      const timers = typing.map(({ client, section }) => setInterval(() => sectionText(client.body, section).insert(0, '字'), 25));
      await waitForDoc(readers[0]!.doc, () => sectionText(readers[0]!.body, 'overview-env').toString().startsWith('字字字字字'), 'typing to reach the readers');

      const url = await holderUrl();
      const killed = processes.find((server) => server.url === url);
      expect(killed, `the report is held by one of the processes (lease: ${url})`).toBeDefined();
      await killed!.kill('SIGKILL');
      // What any client had received when the holder died: every bit of it must survive.
      const received = new Y.Doc();
      for (const client of readers) Y.applyUpdate(received, Y.encodeStateAsUpdate(client.doc));
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const timer of timers) clearInterval(timer);

      // Every client, its socket moved to a live process, ends with everything every typist typed.
      const typed = new Y.Doc();
      for (const { client } of typing) Y.applyUpdate(typed, Y.encodeStateAsUpdate(client.doc));
      await waitForDoc(everyone.map((client) => client.doc), () => everyone.every((client) => containsEverything(client.doc, typed)), 'every client to hold every keystroke', 30_000);
      const bodies = new Set(everyone.map((client) => client.body.toString()));
      expect(bodies.size).toBe(1);

      const survivor = processes.find((server) => server !== killed)!;
      const fresh = await join(survivor.wsUrl, await login(survivor.url, 'lead'));
      expect(containsEverything(fresh.doc, received)).toBe(true);
      expect(containsEverything(fresh.doc, typed)).toBe(true);
      expect(processes.filter((server) => server !== killed).map((server) => server.url)).toContain(await holderUrl());
      // The operator reads how the report came back: a survivor found the holder refusing connections.
      const survivorsLog = processes.filter((server) => server !== killed).map((server) => server.output()).join('\n');
      expect(survivorsLog).toContain(`lease-ended report=${reportId} holder=${killed!.url} why=refused`);
      processes.splice(processes.indexOf(killed!), 1);
    } finally {
      await balancer.close();
    }
  });

  it('a holder killed and started again at its own address takes its reports back at once, not after its lease runs out', async () => {
    for (const client of clients.splice(0)) client.destroy();
    const cookie = await login(a().url, 'lead');
    const before = await join(a().wsUrl, cookie);
    const url = await holderUrl();
    const killed = processes.find((server) => server.url === url)!;
    expect(killed, `the report is held by one of the processes (lease: ${url})`).toBeDefined();
    const seen = new Y.Doc();
    Y.applyUpdate(seen, Y.encodeStateAsUpdate(before.doc));
    before.destroy();
    await killed.kill('SIGKILL');

    // Started again on the same port, as a service manager restarts it; the lease has ~60 s to run.
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: inject('redisUrl')!, REPORT_LEASE_MS: String(LEASE_MS), SESSION_SWEEP_SECONDS: '3600', PORT: new URL(killed.url).port };
    const restarted = await startServer({ env });
    processes.splice(processes.indexOf(killed), 1, restarted);
    expect(restarted.url).toBe(killed.url);
    const after = await join(restarted.wsUrl, await login(restarted.url, 'lead'));
    expect(containsEverything(after.doc, seen)).toBe(true);
    expect(await holderUrl()).toBe(restarted.url);
    expect(restarted.output()).toContain(`lease-ended report=${reportId} holder=${killed.url} why=own-address`);
  });
});
