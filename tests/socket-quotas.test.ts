import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FIELD, CloseCode, socketQuotas } from '../blocks/contract.js';
import { encodeSyncStep1 } from '../server/collab/wire.js';
import { connectClient, firstReportId, login, sectionText, waitForDoc, type TestClient } from './support/clients.js';
import { openRawSocket, upgradeStatus, type RawSocket } from './support/raw-socket.js';
import { useReportServer } from './support/report-server.js';
import { countStoredUpdates } from './support/stored.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const suite = useReportServer();
const rawSockets: RawSocket[] = [];
const stockClients: TestClient[] = [];

afterEach(async () => {
  for (const client of stockClients.splice(0)) client.destroy();
  for (const raw of rawSockets.splice(0)) {
    raw.socket.terminate();
    await raw.closed;
  }
});

async function rawSocket(url: string, cookie: string): Promise<RawSocket> {
  const raw = await openRawSocket(url, cookie);
  rawSockets.push(raw);
  return raw;
}

/** The server's close codes a stock client met (its own disconnects are not counted). */
function serverCloses(client: TestClient): number[] {
  const closes: number[] = [];
  client.provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  return closes;
}

const emptyStateVector = () => encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));

describe('a socket is held to its quotas before anything it sends reaches the report’s queue', () => {
  it('a burst of keystrokes far above the rate is closed with 4429 naming "updates", and another user’s edit still arrives', async () => {
    const storedBefore = await countStoredUpdates(suite.server, suite.reportId);
    const cookie = await login(suite.server.url, 'finance');
    // 20,000 real keystrokes in finance’s own section, forged on a copy of the report.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(suite.observer.doc));
    const keystrokes: Uint8Array[] = [];
    copy.on('update', (update: Uint8Array) => keystrokes.push(update));
    const text = sectionText(copy.getXmlFragment(BODY_FIELD), 'overview-finance');
    for (let i = 0; i < 20_000; i++) text.insert(i, '刷');

    const food = await suite.syncedClient('food');
    const flood = await rawSocket(`${suite.server.wsUrl}/${suite.reportId}`, cookie);
    for (const keystroke of keystrokes) flood.sendUpdate(keystroke);
    sectionText(food.body, 'overview-food').insert(0, '抽检合格率稳定。');

    const closed = await flood.closed;
    expect(closed.code).toBe(CloseCode.RateLimited);
    expect(closed.reason).toContain('"updates"');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-food').toString().startsWith('抽检合格率稳定。'), 'the food bureau’s edit behind the flood');
    expect(food.provider.wsconnected).toBe(true);
    // What the quota let through was handled; the rest never reached the queue.
    expect((await countStoredUpdates(suite.server, suite.reportId)) - storedBefore).toBeLessThan(2 * socketQuotas.updates.burst);
  });

  it('an honest editor typing fast in bursts, pasting 10 KB and coming back from an offline session is never closed', async () => {
    const finance = connectClient(suite.server.wsUrl, suite.reportId, await login(suite.server.url, 'finance'));
    stockClients.push(finance);
    const closes = serverCloses(finance);
    await finance.synced;
    const text = sectionText(finance.body, 'overview-finance');
    const arrived = (expected: string) =>
      waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-finance').toString().startsWith(expected), `"${expected.slice(0, 12)}…" at the lead office`);

    // Five bursts of ten keystrokes, each keystroke its own update as the editor sends it.
    for (let burst = 0; burst < 5; burst++) {
      for (const ch of '预算公开及时准确完整') text.insert(0, ch);
      await arrived(text.toString().slice(0, 10));
    }
    const paste = '财政预算执行情况说明。'.repeat(320);
    expect(new TextEncoder().encode(paste).length).toBeGreaterThan(10 * 1024);
    text.insert(0, paste);
    await arrived(paste);

    // Offline for a while: a hundred edits come back in one SyncStep2 when it reconnects.
    finance.provider.disconnect();
    for (let i = 0; i < 100; i++) text.insert(0, `离线第${i}段。`.repeat(30));
    finance.provider.connect();
    await arrived(text.toString().slice(0, 200));

    expect(closes).toEqual([]);
    expect(finance.provider.wsconnected).toBe(true);
  });

  it('a socket asking for the whole report again and again is closed with 4429 naming "fullStateRequests"', async () => {
    const greedy = await rawSocket(`${suite.server.wsUrl}/${suite.reportId}`, await login(suite.server.url, 'food'));
    for (let i = 0; i <= socketQuotas.fullStateRequests.burst; i++) greedy.socket.send(emptyStateVector());
    const closed = await greedy.closed;
    expect(closed.code).toBe(CloseCode.RateLimited);
    expect(closed.reason).toContain('"fullStateRequests"');
  });
});

describe('sockets per session and per user are counted before the upgrade', () => {
  it(`refuses the socket after ${socketQuotas.socketsPerSession} of one login with HTTP 429 "too-many-connections"; another user still connects`, async () => {
    const url = `${suite.server.wsUrl}/${suite.reportId}`;
    const cookie = await login(suite.server.url, 'env');
    for (let i = 0; i < socketQuotas.socketsPerSession; i++) await rawSocket(url, cookie);

    expect(await upgradeStatus(url, cookie)).toBe(429);
    const refusal = await fetch(`${suite.server.url}/collab/${suite.reportId}`, { headers: { cookie } });
    expect(refusal.status).toBe(429);
    const body = (await refusal.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too-many-connections');
    expect(body.error.message).toContain(`at most ${socketQuotas.socketsPerSession} connections per login`);

    expect(await upgradeStatus(url, await login(suite.server.url, 'food'))).toBe(101);
  });

  it(`refuses the socket after ${socketQuotas.socketsPerUser} of one user across logins, naming the user’s limit`, async () => {
    const url = `${suite.server.wsUrl}/${suite.reportId}`;
    for (let opened = 0; opened < socketQuotas.socketsPerUser; ) {
      const cookie = await login(suite.server.url, 'finance');
      for (let i = 0; i < socketQuotas.socketsPerSession && opened < socketQuotas.socketsPerUser; i++, opened++) await rawSocket(url, cookie);
    }
    const fresh = await login(suite.server.url, 'finance');
    expect(await upgradeStatus(url, fresh)).toBe(429);
    const refusal = await fetch(`${suite.server.url}/collab/${suite.reportId}`, { headers: { cookie: fresh } });
    expect(((await refusal.json()) as { error: { message: string } }).error.message).toContain(`at most ${socketQuotas.socketsPerUser} connections per user`);

    // A socket that closes gives its place back.
    const last = rawSockets.pop()!;
    last.socket.close();
    await last.closed;
    await expect.poll(() => upgradeStatus(url, fresh)).toBe(101);
  });
});

describe('the bytes waiting to be sent on all sockets together', () => {
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill('SIGTERM');
  });

  it('cut off the non-reading sockets with the largest backlog once they pass the server’s budget, while a reading client keeps working', async () => {
    // A budget of 8 MiB and no cap per socket worth the name: only the server-wide budget cuts anyone off.
    const server = await startServer({ env: { COLLAB_MAX_TOTAL_BUFFERED_BYTES: String(8 * 1024 * 1024), COLLAB_MAX_BUFFERED_BYTES: String(1024 * 1024 * 1024) } });
    servers.push(server);
    const reportId = await firstReportId(server.url, await login(server.url, 'lead'));
    const join = async (username: string) => {
      const client = connectClient(server.wsUrl, reportId, await login(server.url, username));
      stockClients.push(client);
      await client.synced;
      return client;
    };
    const writer = await join('lead');
    const reader = await join('finance');
    const readerCloses = serverCloses(reader);

    // A report of about 7.5 MB, so that each answer to "the whole report, please" is that large.
    const chapter = '政务公开'.repeat(62_500);
    const sections = writer.body.toArray().map((section) => (section as Y.XmlElement).getAttribute('sectionId')!);
    for (const sectionId of sections) sectionText(writer.body, sectionId).insert(0, chapter);
    await waitForDoc(reader.doc, () => sections.every((sectionId) => sectionText(reader.body, sectionId).toString().startsWith(chapter)), 'the grown report at the reader', 30_000);

    // Six clients that never read, each asking for the whole report as often as its quota allows:
    // 180 MB would wait for them.
    const cookie = await login(server.url, 'food');
    const stalled = await Promise.all(Array.from({ length: 6 }, () => rawSocket(`${server.wsUrl}/${reportId}`, cookie)));
    for (const raw of stalled) {
      raw.socket.pause();
      for (let i = 0; i < socketQuotas.fullStateRequests.burst; i++) raw.socket.send(emptyStateVector());
    }
    // An edit sent after those requests reaches the reader once the server has answered them.
    sectionText(writer.body, 'overview').insert(0, '之后的修改。');
    await waitForDoc(reader.doc, () => sectionText(reader.body, 'overview').toString().startsWith('之后的修改。'), 'an edit after the requests at the reader');

    // Cut off without a close frame (it would wait behind the backlog): 1006 once they read again.
    for (const raw of stalled) raw.socket.resume();
    const closes = await Promise.all(stalled.map((raw) => Promise.race([raw.closed.then(({ code }) => code), new Promise((resolve) => setTimeout(() => resolve('still open'), 15_000))])));
    expect(closes).toEqual(stalled.map(() => 1006));

    sectionText(writer.body, 'overview').insert(0, '再一次修改。');
    await waitForDoc(reader.doc, () => sectionText(reader.body, 'overview').toString().startsWith('再一次修改。'), 'an edit after the cut-off at the reader');
    expect(readerCloses).toEqual([]);
    expect(reader.provider.wsconnected && writer.provider.wsconnected).toBe(true);
  });
});
