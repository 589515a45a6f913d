import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { binaryFrame, MessageFrames } from './websocket-frames.js';

// `ws` exports its frame parser; its type definitions do not declare it.
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void } };

/** What a client's WebSocket makes of the bytes: `ws`'s own frame parser, as a client runs it. */
function receive(bytes: Buffer): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary }));
    receiver.on('error', reject);
    receiver.write(bytes);
  });
}

describe('the server’s binary frames', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])('a client reads a %i-byte message as it was sent', async (length) => {
    const payload = Uint8Array.from({ length }, (_, i) => (i * 7 + length) % 256);
    const { data, isBinary } = await receive(binaryFrame(payload));
    expect(isBinary).toBe(true);
    expect(Buffer.compare(data, Buffer.from(payload))).toBe(0);
  });

  it('frames a message once however often it is sent, with other messages sent in between', () => {
    const frames = new MessageFrames();
    const answer = new Uint8Array([0, 1, 3, 1, 2, 3]);
    const first = frames.of(answer);
    expect(frames.of(answer)).toBe(first);
    const keystroke = new Uint8Array([0, 2, 3, 1, 2, 3]);
    expect(frames.of(keystroke)).not.toBe(first);
    expect(frames.of(answer)).toBe(first);
    expect(frames.of(new Uint8Array(answer))).not.toBe(first);
    expect(frames.of(new Uint8Array(answer))).toEqual(first);
  });
});
