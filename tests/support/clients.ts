import WebSocket from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';

/** Logs in through the real API and returns the session cookie. */
export async function login(baseUrl: string, username: string, password = 'demo'): Promise<string> {
  const send = () =>
    fetch(`${baseUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  // A kept-alive connection the server closed just as it was reused: log in once more.
  const response = await send().catch((error: { cause?: { code?: string } }) => {
    if (error.cause?.code === 'UND_ERR_SOCKET') return send();
    throw error;
  });
  if (!response.ok) throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('login returned no cookie');
  return cookie.split(';')[0]!;
}

export async function getJson<T>(baseUrl: string, path: string, cookie: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function firstReportId(baseUrl: string, cookie: string): Promise<string> {
  const reports = await getJson<Array<{ id: string }>>(baseUrl, '/api/reports', cookie);
  return reports[0]!.id;
}

/** `ws` with the session cookie on the upgrade request, as a browser would send it. */
export function webSocketWithCookie(cookie: string): typeof globalThis.WebSocket {
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL | null, protocols?: string | string[]) {
      super(address!, protocols, { headers: { cookie } });
    }
  }
  return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  body: Y.XmlFragment;
  synced: Promise<void>;
  destroy(): void;
}

/** The stock y-websocket client, as the browser app uses it, without BroadcastChannel shortcuts. */
export function connectClient(wsUrl: string, reportId: string, cookie: string): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, reportId, doc, {
    WebSocketPolyfill: webSocketWithCookie(cookie),
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', () => resolve());
  });
  return {
    doc,
    provider,
    body: doc.getXmlFragment(BODY_FIELD),
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The first text node inside the section with this id, where a user would type. */
export function sectionText(body: Y.XmlFragment, sectionId: string): Y.XmlText {
  const section = body.toArray().find((node) => node instanceof Y.XmlElement && node.getAttribute('sectionId') === sectionId);
  if (!(section instanceof Y.XmlElement)) throw new Error(`no section ${sectionId}`);
  const walk = (node: Y.XmlElement): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) return child;
      if (child instanceof Y.XmlElement) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  const text = walk(section);
  if (!text) throw new Error(`section ${sectionId} has no text`);
  return text;
}

/** Resolves when `predicate` holds, re-checking whenever any of the documents changes. */
export function waitForDoc(docs: Y.Doc | Y.Doc[], predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const watched = Array.isArray(docs) ? docs : [docs];
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const stop = () => {
      clearTimeout(timer);
      for (const doc of watched) doc.off('update', check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      stop();
      resolve();
    };
    for (const doc of watched) doc.on('update', check);
  });
}

export function waitForClose(provider: WebsocketProvider, timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not closed')), timeoutMs);
    provider.once('connection-close', (event) => {
      clearTimeout(timer);
      resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' });
    });
  });
}

/** Resolves when `predicate` holds, re-checking whenever the presence a client sees changes. */
export function waitForPresence(awareness: Awareness, predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      awareness.off('change', check);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      awareness.off('change', check);
      resolve();
    };
    awareness.on('change', check);
  });
}
