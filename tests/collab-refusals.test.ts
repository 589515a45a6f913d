import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, limits } from '../blocks/contract.js';
import { connectClient, firstReportId, login, sectionText, waitForClose, waitForDoc, type TestClient } from './support/clients.js';
import { openRawSocket, upgradeStatus } from './support/raw-socket.js';
import { countStoredUpdates } from './support/stored.js';
import { startServer, type ServerProcess } from './support/server-process.js';

let server: ServerProcess;
let reportId: string;
let leadCookie: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServer({ env: { SESSION_TTL_SECONDS: '3' } });
  leadCookie = await login(server.url, 'lead');
  reportId = await firstReportId(server.url, leadCookie);
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.kill('SIGTERM');
});

const storedUpdates = () => countStoredUpdates(server, reportId);

async function syncedClient(cookie: string) {
  const client = connectClient(server.wsUrl, reportId, cookie);
  clients.push(client);
  await client.synced;
  return client;
}

/** A document holding what the server holds, to build hand-made updates against. */
function copyOf(client: TestClient): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc));
  return doc;
}

describe('the collaboration socket refuses what it must, and nothing stored changes', () => {
  it('refuses the upgrade without a login, and for a report that does not exist', async () => {
    expect(await upgradeStatus(`${server.wsUrl}/${reportId}`)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}/${reportId}`, 'report_session=forged')).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}/no-such-report`, await login(server.url, 'finance'))).toBe(404);
  });

  it('closes a malformed frame with 4400 and keeps serving everyone else', async () => {
    const cookie = await login(server.url, 'finance');
    const writer = await syncedClient(cookie);
    const reader = await syncedClient(await login(server.url, 'lead'));
    const before = await storedUpdates();

    for (const frame of [Uint8Array.of(0xff, 0xff, 0xff), Uint8Array.of(0, 2, 50, 1, 2), Uint8Array.of(0, 2, 3, 9, 9, 9)]) {
      const raw = await openRawSocket(`${server.wsUrl}/${reportId}`, cookie);
      raw.socket.send(frame);
      const closed = await raw.closed;
      expect(closed.code).toBe(CloseCode.MalformedMessage);
      expect(closed.reason).toMatch(/malformed|not a Yjs update/);
    }
    const text = await openRawSocket(`${server.wsUrl}/${reportId}`, cookie);
    text.socket.send('hello');
    expect((await text.closed).code).toBe(CloseCode.MalformedMessage);
    expect(await storedUpdates()).toBe(before);

    sectionText(writer.body, 'overview-finance').insert(0, '仍可正常编辑。');
    await waitForDoc(reader.doc, () => sectionText(reader.body, 'overview-finance').toString().startsWith('仍可正常编辑。'), 'an honest edit after the bad frames');
  });

  it('closes a frame over the size limit with 1009 and stores nothing', async () => {
    const before = await storedUpdates();
    const raw = await openRawSocket(`${server.wsUrl}/${reportId}`, await login(server.url, 'env'));
    raw.socket.send(new Uint8Array(limits.maxMessageBytes + 1));
    const closed = await raw.closed;
    expect(closed.code).toBe(CloseCode.MessageTooBig);
    expect(closed.reason).toContain(`exceeds the limit of ${limits.maxMessageBytes} bytes`);
    expect(await storedUpdates()).toBe(before);
  });

  /** Sends, as the food bureau, an update forged on a copy of the report; returns how the socket closed. */
  async function sendForged(forge: (doc: Y.Doc) => Uint8Array) {
    const cookie = await login(server.url, 'food');
    const forged = copyOf(await syncedClient(cookie));
    const update = forge(forged);
    const raw = await openRawSocket(`${server.wsUrl}/${reportId}`, cookie);
    raw.sendUpdate(update);
    return raw.closed;
  }

  it('refuses an update whose earlier changes never arrived, with 4403, and stores nothing', async () => {
    const before = await storedUpdates();
    const closed = await sendForged((forged) => {
      sectionText(forged.getXmlFragment('body'), 'overview-food').insert(0, '第一处');
      const afterFirst = Y.encodeStateVector(forged);
      sectionText(forged.getXmlFragment('body'), 'overview-food').insert(0, '第二处');
      return Y.encodeStateAsUpdate(forged, afterFirst);
    });
    expect(closed.code).toBe(CloseCode.Forbidden);
    expect(closed.reason).toContain('missing-dependency');
    expect(await storedUpdates()).toBe(before);
  });

  it('refuses an update that adds a root type the report does not have, with 4403', async () => {
    const before = await storedUpdates();
    const closed = await sendForged((forged) => {
      const sv = Y.encodeStateVector(forged);
      forged.getMap('permissions').set('overview', 'food');
      return Y.encodeStateAsUpdate(forged, sv);
    });
    expect(closed.code).toBe(CloseCode.Forbidden);
    expect(closed.reason).toContain('unknown-root');
    expect(await storedUpdates()).toBe(before);
  });

  it('closes the sockets of a session that logs out with 4401, and refuses it afterwards', async () => {
    const cookie = await login(server.url, 'env');
    const client = await syncedClient(cookie);
    const closed = waitForClose(client.provider);
    await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { cookie } });
    expect((await closed).code).toBe(CloseCode.SessionExpired);
    expect(await upgradeStatus(`${server.wsUrl}/${reportId}`, cookie)).toBe(401);
  });

  it('an expired session can no longer edit or connect', async () => {
    const cookie = await login(server.url, 'finance');
    const client = await syncedClient(cookie);
    const before = await storedUpdates();
    // The server under test gives sessions three seconds; the socket is closed when they end.
    const closed = await waitForClose(client.provider, 10_000);
    expect(closed.code).toBe(CloseCode.SessionExpired);
    sectionText(client.body, 'overview-finance').insert(0, '过期后的修改');
    expect(await storedUpdates()).toBe(before);
    expect(await upgradeStatus(`${server.wsUrl}/${reportId}`, cookie)).toBe(401);
  });
});
