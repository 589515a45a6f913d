import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { connectClient, firstReportId, login, sectionText, waitForDoc, type TestClient } from './support/clients.js';
import { parseMessage } from '../server/collab/wire.js';
import { openRawSocket } from './support/raw-socket.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const servers: ServerProcess[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.kill('SIGKILL');
});

async function start(dataDir?: string) {
  const server = await startServer({ dataDir });
  servers.push(server);
  return server;
}

async function join(server: ServerProcess, username: string) {
  const cookie = await login(server.url, username);
  const reportId = await firstReportId(server.url, cookie);
  const client = connectClient(server.wsUrl, reportId, cookie);
  clients.push(client);
  await client.synced;
  return { client, reportId, cookie };
}

/** Every change `seen` has is also in `holder`. */
function containsEverything(holder: Y.Doc, seen: Y.Doc): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(holder));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(seen))) {
    if ((have.get(client) ?? 0) < clock) return false;
  }
  return true;
}

describe('live collaboration through the server', () => {
  it('two departments typing at once in the same report end with the same text', async () => {
    const server = await start();
    const finance = await join(server, 'finance');
    const food = await join(server, 'food');

    const financeText = sectionText(finance.client.body, 'overview-finance');
    const foodText = sectionText(food.client.body, 'overview-food');
    for (const ch of '预算公开') financeText.insert(0, ch);
    for (const ch of '抽检结果') foodText.insert(0, ch);

    const converged = () =>
      finance.client.body.toString() === food.client.body.toString() &&
      sectionText(finance.client.body, 'overview-food').toString().startsWith('果结检抽') &&
      sectionText(food.client.body, 'overview-finance').toString().startsWith('开公算预');
    await waitForDoc([finance.client.doc, food.client.doc], converged, 'both departments to see each other');
    expect(finance.client.body.toString()).toBe(food.client.body.toString());
  });

  it('keeps every edit across a graceful restart', async () => {
    const server = await start();
    const writer = await join(server, 'env');
    const reader = await join(server, 'lead');
    sectionText(writer.client.body, 'overview-env').insert(0, '空气质量优良天数比例提升。');
    await waitForDoc(reader.client.doc, () => containsEverything(reader.client.doc, writer.client.doc), 'the edit to reach the reader');

    expect(await server.kill('SIGTERM')).toBe(0);
    const restarted = await start(server.dataDir);
    const fresh = await join(restarted, 'lead');
    expect(sectionText(fresh.client.body, 'overview-env').toString()).toContain('空气质量优良天数比例提升。');
    expect(containsEverything(fresh.client.doc, reader.client.doc)).toBe(true);
  });

  it('loses nothing any client had received when the server is killed with SIGKILL mid-typing', async () => {
    const server = await start();
    let current = server;
    for (let round = 0; round < 3; round++) {
      const writer = await join(current, 'finance');
      const observer = await join(current, 'lead');
      const text = sectionText(writer.client.body, 'overview-finance');
      const typing = setInterval(() => text.insert(0, '财'), 2);
      await waitForDoc(observer.client.doc, () => sectionText(observer.client.body, 'overview-finance').toString().startsWith('财财财财财'), 'typing to reach the observer');
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
      await current.kill('SIGKILL');
      clearInterval(typing);
      const received = Y.encodeStateAsUpdate(observer.client.doc);
      writer.client.destroy();
      observer.client.destroy();

      current = await start(server.dataDir);
      const fresh = await join(current, 'lead');
      const seen = new Y.Doc();
      Y.applyUpdate(seen, received);
      expect(containsEverything(fresh.client.doc, seen)).toBe(true);
      // The server may hold a few more keystrokes than the observer got before the kill, never fewer.
      const seenText = sectionText(seen.getXmlFragment('body'), 'overview-finance').toString();
      expect(sectionText(fresh.client.body, 'overview-finance').toString().endsWith(seenText.replace(/^财+/, ''))).toBe(true);
      expect(sectionText(fresh.client.body, 'overview-finance').toString().length).toBeGreaterThanOrEqual(seenText.length);
    }
  });

  it('a client joining while others type is up to date the moment it counts itself synced, though the answer was encoded before their keystrokes', async () => {
    const server = await start();
    const writer = await join(server, 'finance');
    const reader = await join(server, 'lead');
    // The first to join with an empty document has the answer for everyone after it encoded.
    await join(server, 'env');

    const text = sectionText(writer.client.body, 'overview-finance');
    for (const ch of '预算执行情况良好') text.insert(0, ch);
    text.delete(2, 3);
    await waitForDoc(reader.client.doc, () => reader.client.body.toString() === writer.client.body.toString(), 'the reader to hold every keystroke');

    // What the server sends a new client, in order: the keystrokes since, then the answer they build on.
    const raw = await openRawSocket(`${server.wsUrl}/${writer.reportId}`, writer.cookie);
    const received: Uint8Array[] = [];
    const answered = new Promise<void>((resolve) =>
      raw.socket.on('message', (data: Buffer) => {
        received.push(new Uint8Array(data));
        if (data[0] === 0 && data[1] === 1) resolve();
      }),
    );
    raw.socket.send(Uint8Array.of(0, 0, 1, 0));
    await answered;
    raw.socket.close();
    // (The server's own SyncStep1 may come before the socket is listened to.)
    const sync = received.map(parseMessage).flatMap((message) => (message.type === 'sync-update' || message.type === 'sync-step-2' ? [message] : []));
    expect(sync.map((message) => message.type)).toEqual(['sync-update', 'sync-step-2']);
    const applied = new Y.Doc();
    for (const message of sync) Y.applyUpdate(applied, message.update);
    expect(applied.getXmlFragment('body').toString()).toBe(reader.client.body.toString());

    // The stock client, likewise, holds everything once synced, with nothing left pending.
    const fresh = await join(server, 'food');
    expect(fresh.client.body.toString()).toBe(reader.client.body.toString());
    expect(containsEverything(fresh.client.doc, reader.client.doc)).toBe(true);
    expect(fresh.client.doc.store.pendingStructs).toBeNull();
    expect(fresh.client.doc.store.pendingDs).toBeNull();
  });

  it('a keystroke that arrives before the reconnect handshake that carries what it builds on waits for it: nothing typed offline is lost', async () => {
    const server = await start();
    const { client: observer, reportId, cookie } = await join(server, 'lead');
    // The lead office types offline: two changes, the second building on the first.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(observer.doc));
    const synced = Y.encodeStateVector(offline);
    sectionText(offline.getXmlFragment('body'), 'overview').insert(0, '断线时写的第一句。');
    const afterFirst = Y.encodeStateVector(offline);
    sectionText(offline.getXmlFragment('body'), 'overview').insert(0, '紧接着的第二句。');
    const keystroke = Y.encodeStateAsUpdate(offline, afterFirst);
    const handshake = Y.encodeStateAsUpdate(offline, synced);

    // On reconnecting, the keystroke goes out before the SyncStep2 that answers the server's SyncStep1.
    const raw = await openRawSocket(`${server.wsUrl}/${reportId}`, cookie);
    raw.sendUpdate(keystroke);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, handshake);
    raw.socket.send(encoding.toUint8Array(encoder));

    await waitForDoc(observer.doc, () => sectionText(observer.doc.getXmlFragment('body'), 'overview').toString().startsWith('紧接着的第二句。断线时写的第一句。'), 'both offline changes');
    const closedEarly = await Promise.race([raw.closed, new Promise((resolve) => setTimeout(() => resolve(null), 2500))]);
    expect(closedEarly).toBeNull();
    raw.socket.close();
  });

  it('a client that stops reading is cut off once too much waits for it, and everyone else carries on', async () => {
    const server = await startServer({ env: { COLLAB_MAX_BUFFERED_BYTES: String(256 * 1024) } });
    servers.push(server);
    const { client: writer, reportId, cookie } = await join(server, 'lead');
    const { client: reader } = await join(server, 'finance');
    const stalled = await openRawSocket(`${server.wsUrl}/${reportId}`, cookie);
    stalled.socket.pause();

    // Far more than the socket buffers of the machine hold: the backlog has to pile up in the server.
    // Spread over the sections, each stays within its size limit.
    const paragraph = '政务公开'.repeat(16 * 1024);
    const sectionIds = writer.doc.getXmlFragment('body').toArray().map((section) => (section as Y.XmlElement).getAttribute('sectionId')!);
    const textIn = (doc: Y.Doc, i: number) => sectionText(doc.getXmlFragment('body'), sectionIds[i % sectionIds.length]!);
    const before = sectionIds.reduce((sum, _id, i) => sum + textIn(reader.doc, i).length, 0);
    for (let i = 0; i < 24; i++) textIn(writer.doc, i).insert(0, paragraph);
    const received = () => sectionIds.reduce((sum, _id, i) => sum + textIn(reader.doc, i).length, 0) - before;
    await waitForDoc(reader.doc, () => received() >= 24 * paragraph.length, 'every paste at the reader', 30_000);

    stalled.socket.resume();
    const closed = await stalled.closed;
    expect(closed.code).toBe(1006);
    expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true);
  });
});
