import { describe, expect, it } from 'vitest';
import { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, parseMessage } from './wire.js';

describe('the y-websocket wire', () => {
  it.each([0, 1, 127, 128, 16_383, 16_384, 300_000])('a sync message of %i bytes reads back as it was written', (length) => {
    const payload = Uint8Array.from({ length }, (_, i) => (i * 31 + length) % 256);
    expect(parseMessage(encodeSyncStep1(payload))).toEqual({ type: 'sync-step-1', stateVector: payload });
    expect(parseMessage(encodeSyncStep2(payload))).toEqual({ type: 'sync-step-2', update: payload });
    expect(parseMessage(encodeSyncUpdate(payload))).toEqual({ type: 'sync-update', update: payload });
  });
});
