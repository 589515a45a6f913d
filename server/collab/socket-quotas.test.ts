import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { limits, socketQuotas, truncateCloseReason } from '../../blocks/contract.js';
import { SocketQuotas, TokenBucket, classifyFrame, type QuotaExceeded } from './socket-quotas.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './wire.js';

/** Real keystroke frames: one update per inserted character, as y-websocket sends them. */
function keystrokes(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => frames.push(encodeSyncUpdate(update)));
  const text = doc.getText('t');
  for (let i = 0; i < count; i++) text.insert(i, '字');
  return frames;
}

const presence = encodeAwareness(new Uint8Array(200));
const queryPresence = Uint8Array.of(3);

/** Feeds `frames` at time `at` and returns the first quota met, if any. */
function feed(quotas: SocketQuotas, frames: Uint8Array[], at: number): QuotaExceeded | null {
  for (const frame of frames) {
    const exceeded = quotas.admit(frame, at);
    if (exceeded) return exceeded;
  }
  return null;
}

describe('a token bucket', () => {
  it('gives its burst at once, then only what refills, never more than the burst', () => {
    const bucket = new TokenBucket({ burst: 10, perSecond: 2 }, 0);
    expect(bucket.take(10, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(1, 499)).toBe(false);
    expect(bucket.take(1, 500)).toBe(true);
    expect(bucket.take(10, 60_000)).toBe(true);
    expect(bucket.take(1, 60_000)).toBe(false);
  });

  it('gains nothing from a clock that goes back', () => {
    const bucket = new TokenBucket({ burst: 1, perSecond: 1 }, 10_000);
    expect(bucket.take(1, 10_000)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(1, 10_999)).toBe(false);
    expect(bucket.take(1, 11_000)).toBe(true);
  });
});

describe('what a frame asks of the server, from its first varuints', () => {
  it('tells document updates and whole-state requests from the rest', () => {
    expect(classifyFrame(encodeSyncUpdate(Uint8Array.of(1, 2)))).toBe('update');
    expect(classifyFrame(encodeSyncStep2(Uint8Array.of(1, 2)))).toBe('update');
    expect(classifyFrame(encodeSyncStep1(Uint8Array.of(0)))).toBe('full-state-request');
    expect(classifyFrame(queryPresence)).toBe('full-state-request');
    expect(classifyFrame(presence)).toBe('other');
  });

  it('leaves what it cannot read to the room, which refuses it as malformed', () => {
    expect(classifyFrame(new Uint8Array())).toBe('other');
    expect(classifyFrame(Uint8Array.of(0))).toBe('other');
    expect(classifyFrame(Uint8Array.of(0, 7))).toBe('other');
    expect(classifyFrame(Uint8Array.of(0xff, 0xff))).toBe('other');
  });
});

describe('the quotas of one socket', () => {
  it('an honest editor never meets one: a reconnect at the frame limit, a 10 KB paste, a minute of fast typing with IME commits and key repeat', () => {
    const quotas = new SocketQuotas(0);
    // Joining: its SyncStep1, its presence, and the SyncStep2 carrying a whole offline session.
    expect(feed(quotas, [encodeSyncStep1(Uint8Array.of(0)), presence, encodeSyncStep2(new Uint8Array(limits.maxMessageBytes - 16))], 0)).toBeNull();
    expect(feed(quotas, [encodeSyncUpdate(new Uint8Array(10 * 1024)), presence], 100)).toBeNull();
    const typed = keystrokes(60 * 40);
    let next = 0;
    for (let second = 1; second <= 60; second++) {
      const at = second * 1000;
      // 30 keystrokes a second, most of them in one burst, each with its caret's presence.
      for (const [offset, count] of [[0, 22], [600, 8]] as const) {
        for (let i = 0; i < count; i++) expect(feed(quotas, [typed[next++]!, presence], at + offset)).toBeNull();
      }
      // An IME commit every few seconds: several updates at once.
      if (second % 5 === 0) expect(feed(quotas, typed.slice(next, (next += 6)), at + 900)).toBeNull();
    }
    // Backspace held down: key repeat at 33 a second for five seconds.
    for (let i = 0; i < 165; i++) expect(feed(quotas, [typed[next++ % typed.length]!, presence], 61_000 + i * 30)).toBeNull();
  });

  it('a burst of keystrokes far above the rate meets "updates" at the burst', () => {
    const quotas = new SocketQuotas(0);
    const frames = keystrokes(5_000);
    const admitted = frames.findIndex((frame) => quotas.admit(frame, 0) !== null);
    expect(admitted).toBe(socketQuotas.updates.burst);
    expect(quotas.admit(frames[0]!, 0)?.quota).toBe('updates');
  });

  it('frames of bytes above the rate meet "bytes", whatever they carry', () => {
    const quotas = new SocketQuotas(0);
    const big = encodeAwareness(new Uint8Array(limits.maxMessageBytes - 16));
    expect(feed(quotas, [big, big], 0)).toBeNull();
    expect(quotas.admit(big, 0)?.quota).toBe('bytes');
    const fresh = new SocketQuotas(0);
    // Sustained just under the rate, it goes on.
    for (let second = 0; second < 30; second++) expect(fresh.admit(encodeSyncUpdate(new Uint8Array(socketQuotas.bytes.perSecond - 64)), second * 1000)).toBeNull();
  });

  it('whole-state requests beyond the burst meet "fullStateRequests"; one a quarter of a minute goes on forever', () => {
    const quotas = new SocketQuotas(0);
    const emptyStateVector = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));
    expect(feed(quotas, Array.from({ length: socketQuotas.fullStateRequests.burst }, () => emptyStateVector), 0)).toBeNull();
    expect(quotas.admit(emptyStateVector, 0)?.quota).toBe('fullStateRequests');
    expect(new SocketQuotas(0).admit(queryPresence, 0)).toBeNull();

    const steady = new SocketQuotas(0);
    for (let minute = 0; minute < 10; minute++) {
      for (let quarter = 0; quarter < 4; quarter++) expect(steady.admit(emptyStateVector, minute * 60_000 + quarter * 15_000)).toBeNull();
    }
  });

  it('each close reason fits a close frame and names its quota', () => {
    const reasons = [
      new SocketQuotas(0).admit(encodeAwareness(new Uint8Array(socketQuotas.bytes.burst)), 0),
      feed(new SocketQuotas(0), keystrokes(socketQuotas.updates.burst + 1), 0),
      feed(new SocketQuotas(0), Array.from({ length: socketQuotas.fullStateRequests.burst + 1 }, () => queryPresence), 0),
    ];
    expect(reasons.map((exceeded) => exceeded?.quota)).toEqual(['bytes', 'updates', 'fullStateRequests']);
    for (const exceeded of reasons) {
      expect(truncateCloseReason(exceeded!.reason)).toBe(exceeded!.reason);
      expect(exceeded!.reason).toContain(`"${exceeded!.quota}"`);
    }
  });
});
