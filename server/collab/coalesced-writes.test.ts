import net from 'node:net';
import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescedWrites } from './coalesced-writes.js';

/** `count` real loopback TCP connections: the server's side of each to write to, and everything its client reads. */
async function loopbackConnections(count: number) {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => accepted.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const clients = await Promise.all(
    Array.from({ length: count }, async () => {
      const client = net.connect(port, '127.0.0.1');
      await once(client, 'connect');
      const received: Buffer[] = [];
      client.on('data', (chunk: Buffer) => received.push(chunk));
      return { client, received };
    }),
  );
  while (accepted.length < count) await once(server, 'connection');
  const close = () => {
    for (const socket of [...accepted, ...clients.map((c) => c.client)]) socket.destroy();
    server.close();
  };
  return { sockets: accepted, clients, close };
}

/** Resolves once `client` has read `bytes` bytes, with all of them in order. */
async function readAll(reader: { client: net.Socket; received: Buffer[] }, bytes: number): Promise<Buffer> {
  while (Buffer.concat(reader.received).byteLength < bytes) await once(reader.client, 'data');
  return Buffer.concat(reader.received);
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('coalesced writes to the collaboration sockets', () => {
  it('holds every small frame a socket gets in one turn and sends them together, in order, once the turn is handled', async () => {
    const pair = await loopbackConnections(2);
    cleanup = pair.close;
    const writes = new CoalescedWrites();
    const frames = ['键', '盘', '输入'].map((text) => Buffer.from(text));
    for (const frame of frames) for (const socket of pair.sockets) writes.write(socket, frame);

    for (const socket of pair.sockets) {
      expect(socket.writableCorked).toBe(1);
      expect(socket.writableLength).toBe(Buffer.concat(frames).byteLength);
    }
    await nextTurn();
    for (const socket of pair.sockets) expect(socket.writableCorked).toBe(0);
    for (const reader of pair.clients) expect((await readAll(reader, Buffer.concat(frames).byteLength)).toString()).toBe('键盘输入');
  });

  it('sends a large frame at once, after the small ones held before it', async () => {
    const pair = await loopbackConnections(1);
    cleanup = pair.close;
    const writes = new CoalescedWrites(1024);
    const [socket] = pair.sockets;
    const small = Buffer.from('before');
    const large = Buffer.alloc(4096, 'x');
    writes.write(socket!, small);
    expect(socket!.writableCorked).toBe(1);
    writes.write(socket!, large);
    expect(socket!.writableCorked).toBe(0);

    const received = await readAll(pair.clients[0]!, small.byteLength + large.byteLength);
    expect(received.subarray(0, small.byteLength).toString()).toBe('before');
    expect(received.subarray(small.byteLength).equals(large)).toBe(true);
  });

  it('holds no more than its limit on a socket: the frame that would pass it goes out with what was held', async () => {
    const pair = await loopbackConnections(1);
    cleanup = pair.close;
    const writes = new CoalescedWrites(100);
    const [socket] = pair.sockets;
    const frame = Buffer.alloc(40, 'k');
    writes.write(socket!, frame);
    writes.write(socket!, frame);
    expect(socket!.writableCorked).toBe(1);
    writes.write(socket!, frame);
    expect(socket!.writableCorked).toBe(0);
    expect((await readAll(pair.clients[0]!, 120)).equals(Buffer.alloc(120, 'k'))).toBe(true);
  });

  it('lets a socket that closed while frames were held go without failing the others', async () => {
    const pair = await loopbackConnections(2);
    cleanup = pair.close;
    const writes = new CoalescedWrites();
    const [gone, open] = pair.sockets;
    writes.write(gone!, Buffer.from('lost'));
    writes.write(open!, Buffer.from('kept'));
    gone!.destroy();
    await nextTurn();
    expect((await readAll(pair.clients[1]!, 4)).toString()).toBe('kept');
  });
});
