import { createHash } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { expect } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { BODY_FIELD, CloseCode } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { sectionText, waitForDoc } from './clients.js';
import type { ReportServer } from './report-server.js';
import { countStoredUpdates } from './stored.js';

// A hostile client written with raw Yjs and a bare socket, not the editor: it syncs the report
// like any client (SyncStep1 → the server's SyncStep2, and any update catching up with it that
// comes first), forges an update on that copy and sends it. A refusal closes the socket with
// 4403, keeps every struct and every deletion of the server's document as they were, stores
// nothing, and the same user's honest edits go on working.

export function syncFrame(step: 0 | 1 | 2, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export interface HostileClient {
  socket: WebSocket;
  /** The report as the server sent it in answer to its SyncStep1: the copy to forge updates on. */
  doc: Y.Doc;
  closed: Promise<{ code: number; reason: string }>;
  sendUpdate(update: Uint8Array): void;
  sendSyncStep2(update: Uint8Array): void;
  close(): Promise<void>;
}

/** The update a forger's change makes on its copy of the report. */
export function forge(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

export function sectionElement(doc: Y.Doc, sectionId: string): Y.XmlElement {
  const element = findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId);
  if (!element) throw new Error(`no section ${sectionId}`);
  return element;
}

/** Hostile clients of the users of one test server, and the checks every refusal must pass. */
export function hostileClients(suite: ReportServer) {
  const storedUpdates = () => countStoredUpdates(suite.server, suite.reportId);

  /**
   * A bare socket that asks for the whole report (an empty state vector) and keeps what it is sent;
   * on the user's shared session unless given the `cookie` of another login.
   */
  async function hostileClient(username: string, cookie?: string): Promise<HostileClient> {
    const socket = new WebSocket(`${suite.server.wsUrl}/${suite.reportId}`, { headers: { cookie: cookie ?? (await suite.cookieOf(username)) } });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    const doc = new Y.Doc();
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(decoder) !== 0) return;
        const step = decoding.readVarUint(decoder);
        if (step === 0) return;
        // An update before the answer builds on it: Yjs holds it until the answer arrives.
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
        if (step !== 1) return;
        if (doc.store.pendingStructs || doc.store.pendingDs) reject(new Error('the answer left updates pending: it does not hold what they build on'));
        resolve();
      });
      socket.once('open', () => socket.send(syncFrame(0, Y.encodeStateVector(new Y.Doc()))));
      socket.once('error', reject);
      void closed.then(({ code, reason }) => reject(new Error(`socket closed before the report arrived: ${code} ${reason}`)));
    });
    return {
      socket,
      doc,
      closed,
      sendUpdate: (update) => socket.send(syncFrame(2, update)),
      sendSyncStep2: (update) => socket.send(syncFrame(1, update)),
      async close() {
        if (socket.readyState !== WebSocket.CLOSED) socket.close();
        await closed;
      },
    };
  }

  /**
   * The server's whole document as a new client receives it: every struct (its state vector) and
   * every deletion (its delete set, in which Yjs merges neighbouring deletions, so how items
   * happen to be split does not show).
   */
  async function serverState(): Promise<string> {
    const reader = await hostileClient('lead');
    await reader.close();
    return createHash('sha256').update(Y.encodeSnapshot(Y.snapshot(reader.doc))).digest('hex');
  }

  /**
   * Sends a forged update as `username` and checks the refusal's invariants: the socket is closed
   * with 4403, the server's document is unchanged and nothing was logged.
   */
  async function expectRefused(username: string, change: (doc: Y.Doc) => void): Promise<{ reason: string; update: Uint8Array }> {
    const stateBefore = await serverState();
    const storedBefore = await storedUpdates();
    const hostile = await hostileClient(username);
    const update = forge(hostile.doc, change);
    hostile.sendUpdate(update);
    const closed = await hostile.closed;
    expect(closed.code).toBe(CloseCode.Forbidden);
    expect(await serverState()).toBe(stateBefore);
    expect(await storedUpdates()).toBe(storedBefore);
    return { reason: closed.reason, update };
  }

  /** A new connection of `username` types into its own section; the edit is stored once and reaches the lead office. */
  async function expectHonestEditWorks(username: string, sectionId: string, text: string): Promise<void> {
    const storedBefore = await storedUpdates();
    const client = await suite.syncedClient(username);
    sectionText(client.body, sectionId).insert(0, text);
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, sectionId).toString().startsWith(text), `${username}'s honest edit to reach the lead office`);
    expect(await storedUpdates()).toBe(storedBefore + 1);
    expect(client.provider.wsconnected).toBe(true);
    client.destroy();
  }

  return { storedUpdates, hostileClient, serverState, expectRefused, expectHonestEditWorks };
}
