/**
 * A worker process holding many stock clients (y-websocket's or Hocuspocus's provider), so
 * neither the server's process nor the orchestrator's event loop carries their cost. Driven over
 * IPC by `worker-pool.ts`.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { sectionText, waitForDoc, webSocketWithCookie } from '../../tests/support/clients.js';
import type { ConnectParams, JoinParams, KeystrokeLog, ServerAddress, WorkerApi, WorkerOp, WorkerRequest, WorkerResponse } from './protocol.js';
import { sleep, wallNow } from './stats.js';

/** What the worker needs of a provider, whichever server's stock client it is. */
interface Connection {
  readonly synced: boolean;
  readonly connected: boolean;
  readonly connecting: boolean;
  onSynced(listener: () => void): void;
  onClose(listener: (reason: string) => void): void;
  /** Closes the socket for good. */
  destroy(): void;
}

function yWebsocketConnection(doc: Y.Doc, { wsBase, cookie, maxBackoffTime }: ServerAddress, room: string): Connection {
  const provider = new WebsocketProvider(wsBase, room, doc, {
    WebSocketPolyfill: cookie ? webSocketWithCookie(cookie) : (WebSocket as unknown as typeof globalThis.WebSocket),
    disableBc: true,
    maxBackoffTime,
  });
  return {
    get synced() {
      return provider.synced;
    },
    get connected() {
      return provider.wsconnected;
    },
    get connecting() {
      return provider.wsconnecting;
    },
    onSynced: (listener) => provider.on('sync', (synced: boolean) => synced && listener()),
    onClose: (listener) => provider.on('connection-close', (event: CloseEvent | null) => listener(event ? `${event.code} ${event.reason}` : 'closed')),
    destroy: () => provider.destroy(),
  };
}

function hocuspocusConnection(doc: Y.Doc, { wsBase, maxBackoffTime }: ServerAddress, room: string): Connection {
  // Node has no WebSocket of its own here: the socket is made with the polyfill, then the
  // provider attaches to it (as it does by itself when given only a URL).
  const socket = new HocuspocusProviderWebsocket({ url: wsBase, WebSocketPolyfill: WebSocket, maxDelay: maxBackoffTime });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc });
  provider.attach();
  const status = () => socket.status;
  return {
    get synced() {
      return provider.synced;
    },
    get connected() {
      return status() === WebSocketStatus.Connected;
    },
    get connecting() {
      return status() === WebSocketStatus.Connecting;
    },
    onSynced: (listener) => provider.on('synced', ({ state }: { state: boolean }) => state && listener()),
    onClose: (listener) => provider.on('close', ({ event }: { event: CloseEvent }) => listener(`${event.code} ${event.reason}`)),
    destroy: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}

const CONNECT = { 'y-websocket': yWebsocketConnection, hocuspocus: hocuspocusConnection };

interface Client {
  doc: Y.Doc;
  connection: Connection;
  typeInto: string | null;
  /** Last time (wallNow()) the provider reported being synced; 0 before. */
  syncedAt: number;
  typing: NodeJS.Timeout | null;
  /** The last close the provider saw (code and reason), to say why a client is not back. */
  lastClose: string | null;
}

const clients: Client[] = [];
let recording = false;
let keystrokes = 0;
const sent = { client: [] as number[], clock: [] as number[], at: [] as number[] };
const received = { receiver: [] as number[], client: [] as number[], clock: [] as number[], at: [] as number[] };

// Every provider registers a process 'exit' listener; hundreds of them are expected here.
process.setMaxListeners(0);

function addClient(params: ConnectParams, room: string, typeInto: string | null): Client {
  const doc = new Y.Doc();
  const connection = CONNECT[params.protocol](doc, params, room);
  const client: Client = { doc, connection, typeInto, syncedAt: 0, typing: null, lastClose: null };
  connection.onSynced(() => {
    client.syncedAt = wallNow();
  });
  connection.onClose((reason) => {
    client.lastClose = reason;
  });
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (transaction.local || !recording) return;
    const at = wallNow();
    transaction.afterState.forEach((clock, remote) => {
      if (transaction.beforeState.get(remote) === clock) return;
      received.receiver.push(doc.clientID);
      received.client.push(remote);
      received.clock.push(clock);
      received.at.push(at);
    });
  });
  return client;
}

async function until(condition: () => boolean, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

const typists = () => clients.filter((client) => client.typeInto !== null);

/** One new client of `room` with an empty document: how long from creating its provider to synced, in ms. It is closed afterwards. */
async function joinOnce(address: ServerAddress, room: string, timeoutMs: number): Promise<number> {
  const started = wallNow();
  const connection = CONNECT[address.protocol](new Y.Doc(), address, room);
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a client joining ${room} was not synced within ${timeoutMs} ms`)), timeoutMs);
      connection.onSynced(() => {
        clearTimeout(timer);
        resolve(wallNow() - started);
      });
    });
  } finally {
    connection.destroy();
  }
}

type Handlers = { [Op in WorkerOp]: (...params: Parameters<WorkerApi[Op]>) => ReturnType<WorkerApi[Op]> | Promise<ReturnType<WorkerApi[Op]>> };

const handlers: Handlers = {
  async connect(params) {
    const { clients: specs, timeoutMs } = params;
    const added = specs.map((spec) => addClient(params, spec.room, spec.typeInto));
    clients.push(...added);
    if (!(await until(() => added.every((client) => client.connection.synced), timeoutMs, 50))) {
      throw new Error(`${added.filter((client) => !client.connection.synced).length} of ${added.length} clients did not sync within ${timeoutMs} ms`);
    }
    return { clients: added.map((client) => client.doc.clientID), typists: added.filter((client) => client.typeInto !== null).map((client) => client.doc.clientID) };
  },

  startTyping({ intervalMs, record }) {
    recording = record;
    keystrokes = 0;
    for (const client of typists()) {
      const text = sectionText(client.doc.getXmlFragment(BODY_FIELD), client.typeInto!);
      const type = () => {
        const at = wallNow();
        text.insert(text.length, '字');
        keystrokes++;
        if (!recording) return;
        sent.client.push(client.doc.clientID);
        sent.clock.push(Y.getState(client.doc.store, client.doc.clientID));
        sent.at.push(at);
      };
      // Staggered, so typists do not all hit the server in the same millisecond.
      client.typing = setTimeout(() => {
        type();
        client.typing = setInterval(type, intervalMs);
      }, Math.random() * intervalMs);
    }
  },

  stopTyping() {
    for (const client of typists()) {
      if (client.typing) clearInterval(client.typing);
      client.typing = null;
    }
    return {
      typists: typists().map((client) => client.doc.clientID),
      clocks: typists().map((client) => Y.getState(client.doc.store, client.doc.clientID)),
      keystrokes,
    };
  },

  async awaitClocks({ typists: ids, clocks, timeoutMs }) {
    const holdsAll = (client: Client) => ids.every((id, i) => id === client.doc.clientID || Y.getState(client.doc.store, id) >= clocks[i]!);
    return { reached: await until(() => clients.every(holdsAll), timeoutMs, 50) };
  },

  takeLog(): KeystrokeLog {
    recording = false;
    const log: KeystrokeLog = {
      sent: { client: Uint32Array.from(sent.client), clock: Uint32Array.from(sent.clock), at: Float64Array.from(sent.at) },
      received: {
        receiver: Uint32Array.from(received.receiver),
        client: Uint32Array.from(received.client),
        clock: Uint32Array.from(received.clock),
        at: Float64Array.from(received.at),
      },
    };
    for (const column of [...Object.values(sent), ...Object.values(received)]) column.length = 0;
    return log;
  },

  async receivedByReaders({ timeoutMs }) {
    if (!(await until(() => clients.every((client) => !client.connection.connected), timeoutMs))) {
      throw new Error('some sockets stayed open after the server was killed');
    }
    const highest = new Map<number, number>();
    for (const client of clients) {
      if (client.typeInto !== null) continue;
      for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(client.doc))) highest.set(id, Math.max(clock, highest.get(id) ?? 0));
    }
    return { clients: [...highest.keys()], clocks: [...highest.values()] };
  },

  async join(params: JoinParams) {
    const typist = typists()[0];
    const reader = clients.find((client) => client.typeInto === null);
    if (params.afterKeystroke && !(typist && reader)) throw new Error('joining after a keystroke needs a typist and a reader connected in this worker');
    const times: number[] = [];
    for (let i = 0; i < params.count; i++) {
      if (params.afterKeystroke) {
        sectionText(typist!.doc.getXmlFragment(BODY_FIELD), typist!.typeInto!).insert(0, '字');
        const [id, clock] = [typist!.doc.clientID, Y.getState(typist!.doc.store, typist!.doc.clientID)];
        await waitForDoc(reader!.doc, () => Y.getState(reader!.doc.store, id) >= clock, `the keystroke to come back from the server`, params.timeoutMs);
      }
      times.push(await joinOnce(params, params.room, params.timeoutMs));
    }
    return { ms: times };
  },

  async awaitSynced({ since, timeoutMs }) {
    const resynced = (client: Client) => client.connection.synced && client.syncedAt >= since;
    await until(() => clients.every(resynced), timeoutMs, 50);
    const stragglers = clients
      .filter((client) => !resynced(client))
      .map((client) => `client ${client.doc.clientID}: synced ${client.connection.synced} at ${client.syncedAt} (since ${since}), connected ${client.connection.connected}, connecting ${client.connection.connecting}, last close ${client.lastClose}`);
    return { syncedAt: Float64Array.from(clients, (client) => (resynced(client) ? client.syncedAt : NaN)), stragglers };
  },
};

process.on('message', (message: WorkerRequest) => {
  const handler = handlers[message.op] as (...params: unknown[]) => unknown;
  Promise.resolve()
    .then(() => handler(...message.params))
    .then(
      (result) => process.send!({ id: message.id, result } satisfies WorkerResponse),
      (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerResponse),
    );
});
// The orchestrator closing the channel (or dying) ends the worker and all its sockets.
process.on('disconnect', () => process.exit(0));
