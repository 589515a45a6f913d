import type { KeystrokeLog } from './protocol.js';

export interface Deliveries {
  /** One latency (ms) per keystroke per other client that applied it. */
  latencies: Float64Array;
  expected: number;
  /** Keystroke × client pairs never applied. */
  missing: number;
  keystrokes: number;
  /** Keystrokes that reached at least one other client: the server took them. */
  accepted: number;
}

interface Column {
  clock: number[];
  at: number[];
}

const column = (): Column => ({ clock: [], at: [] });

/**
 * Joins what the typists sent with what every client applied. Keystroke k of typist c ended at
 * clock x; a client applied it at the first moment its state for c reached ≥ x. A receiver's
 * state for c only grows, so one forward pass per (receiver, typist) pair does the join.
 */
export function joinDeliveries(logs: KeystrokeLog[], receivers: number[]): Deliveries {
  const sentBy = new Map<number, Column>();
  const receivedBy = new Map<number, Map<number, Column>>();
  for (const { sent, received } of logs) {
    for (let i = 0; i < sent.client.length; i++) {
      let typist = sentBy.get(sent.client[i]!);
      if (!typist) sentBy.set(sent.client[i]!, (typist = column()));
      typist.clock.push(sent.clock[i]!);
      typist.at.push(sent.at[i]!);
    }
    for (let i = 0; i < received.client.length; i++) {
      let byTypist = receivedBy.get(received.receiver[i]!);
      if (!byTypist) receivedBy.set(received.receiver[i]!, (byTypist = new Map()));
      let seen = byTypist.get(received.client[i]!);
      if (!seen) byTypist.set(received.client[i]!, (seen = column()));
      seen.clock.push(received.clock[i]!);
      seen.at.push(received.at[i]!);
    }
  }

  const latencies: number[] = [];
  let expected = 0;
  let missing = 0;
  let keystrokes = 0;
  let accepted = 0;
  for (const [typist, sent] of sentBy) {
    keystrokes += sent.clock.length;
    const reachedAnyone = new Uint8Array(sent.clock.length);
    for (const receiver of receivers) {
      if (receiver === typist) continue;
      expected += sent.clock.length;
      const seen = receivedBy.get(receiver)?.get(typist) ?? column();
      let j = 0;
      for (let k = 0; k < sent.clock.length; k++) {
        while (j < seen.clock.length && seen.clock[j]! < sent.clock[k]!) j++;
        if (j === seen.clock.length) {
          missing += sent.clock.length - k;
          break;
        }
        latencies.push(seen.at[j]! - sent.at[k]!);
        reachedAnyone[k] = 1;
      }
    }
    accepted += reachedAnyone.reduce((sum, reached) => sum + reached, 0);
  }
  return { latencies: Float64Array.from(latencies), expected, missing, keystrokes, accepted };
}
