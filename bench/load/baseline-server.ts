/**
 * The baseline the fan-out figures are compared with: a plain in-memory y-websocket relay — one
 * Y.Doc per room, sync and awareness from y-protocols, no login, no guard, no log. What our
 * server costs beyond this is the price of its checks and its durability.
 *
 * Env: PORT (0 picks a free one), SEED_FILE (a Yjs update every new room starts from, so both
 * servers hold the same document). Prints `listening on http://127.0.0.1:<port>` when ready.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

const seed = process.env.SEED_FILE ? new Uint8Array(fs.readFileSync(process.env.SEED_FILE)) : null;

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each socket and the awareness client ids it has announced, removed when it leaves. */
  readonly sockets = new Map<WebSocket, Set<number>>();

  constructor() {
    if (seed) Y.applyUpdate(this.doc, seed);
    this.awareness.setLocalState(null);
    // Like our server, an update goes to everyone but its sender.
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const message = frame(MESSAGE_SYNC, (encoder) => syncProtocol.writeUpdate(encoder, update));
      for (const socket of this.sockets.keys()) if (socket !== origin) socket.send(message);
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const owned = this.sockets.get(origin as WebSocket);
      if (owned) {
        for (const id of added) owned.add(id);
        for (const id of removed) owned.delete(id);
      }
      const message = frame(MESSAGE_AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
      for (const socket of this.sockets.keys()) socket.send(message);
    });
  }

  join(socket: WebSocket): void {
    this.sockets.set(socket, new Set());
    socket.on('message', (data: RawData) => this.receive(socket, new Uint8Array(data as Buffer)));
    socket.on('close', () => {
      const owned = this.sockets.get(socket);
      this.sockets.delete(socket);
      if (owned && owned.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...owned], null);
    });
    socket.send(frame(MESSAGE_SYNC, (encoder) => syncProtocol.writeSyncStep1(encoder, this.doc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) {
      socket.send(frame(MESSAGE_AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))));
    }
  }

  private receive(socket: WebSocket, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.readSyncMessage(decoder, encoder, this.doc, socket);
      // Only a sync step 1 produces a reply (step 2); the encoder then holds more than the type.
      if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder));
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), socket);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      const states = [...this.awareness.getStates().keys()];
      socket.send(frame(MESSAGE_AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))));
    }
  }
}

const rooms = new Map<string, Room>();
const server = http.createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ server });
wss.on('connection', (socket, request) => {
  const name = decodeURIComponent((request.url ?? '/').split('?')[0]!.split('/').pop()!);
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Room()));
  room.join(socket);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`baseline relay listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
