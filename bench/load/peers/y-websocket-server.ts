/**
 * The stock y-websocket server (`@y/websocket-server` 0.1.1), as its own `y-websocket-server` bin
 * runs it: one in-memory Y.Doc per room, no persistence, no checks. Two differences, both for
 * the benchmark: it listens on a free port and says which, and every room starts from SEED_FILE
 * (through the package's own content initialiser), so it holds the same document as ours.
 *
 * Env: SEED_FILE. Prints `listening on http://127.0.0.1:<port>` when ready.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setContentInitializor, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';

const seed = new Uint8Array(fs.readFileSync(process.env.SEED_FILE!));
setContentInitializor(async (doc) => Y.applyUpdate(doc, seed));

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
const server = http.createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/plain' }).end('okay'));
server.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)));
server.listen(0, '127.0.0.1', () => {
  console.log(`stock y-websocket server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
