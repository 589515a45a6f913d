import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogEntry } from './report-log.js';
import { decodeJournal, encodeRecord, readJournal, UpdateJournal } from './update-journal.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'update-journal-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const entries: LogEntry[] = [
  { reportId: 'r-2025', seq: 1, data: new Uint8Array([1, 2, 3]), userId: 7, at: 1_764_000_000_000, sectionIds: ['overview-finance'], claims: [{ clientIDs: [4_294_967_295], owner: 7 }] },
  { reportId: 'r-2025', seq: 2, data: new Uint8Array(3_000).fill(9), userId: null, at: 1_764_000_000_001, sectionIds: [], claims: [] },
  { reportId: '报告-二〇二五', seq: 3, data: new Uint8Array(), userId: 8, at: 1_764_000_000_002, sectionIds: ['概述', 'annex-b'], claims: [] },
];

const whole = Buffer.concat(entries.map(encodeRecord));

describe('the journal file', () => {
  it('reads back every record as it was written', () => {
    expect(decodeJournal(whole)).toEqual({ entries, validBytes: whole.byteLength });
  });

  it('stops at a record cut short, at every length it could be cut to', () => {
    const lastStart = whole.byteLength - encodeRecord(entries[2]!).byteLength;
    for (let cut = lastStart; cut < whole.byteLength; cut++) {
      expect(decodeJournal(whole.subarray(0, cut))).toEqual({ entries: entries.slice(0, 2), validBytes: lastStart });
    }
  });

  it('stops at a damaged record and keeps nothing after it', () => {
    const secondStart = encodeRecord(entries[0]!).byteLength;
    for (const at of [secondStart + 2, secondStart + 5, secondStart + 12, secondStart + 40, secondStart + 2_500]) {
      const damaged = Buffer.from(whole);
      damaged[at] = damaged[at]! ^ 0xff;
      expect(decodeJournal(damaged)).toEqual({ entries: entries.slice(0, 1), validBytes: secondStart });
    }
  });

  it('tells when its first update waits, keeps what the store refuses, and keeps what moved until it passes its size limit', () => {
    const file = path.join(dir, 'moves.log-ahead');
    let told = 0;
    const journal = new UpdateJournal(file, { flushEachWrite: true, onWaiting: () => told++ });
    try {
      for (const entry of entries) journal.write(entry);
      expect(told).toBe(1);
      expect(readJournal(file)).toEqual({ entries, droppedBytes: 0 });

      expect(() =>
        journal.moveWaiting(() => {
          throw new Error('the database refuses');
        }),
      ).toThrow('the database refuses');
      expect(journal.hasWaiting).toBe(true);
      expect(readJournal(file).entries).toEqual(entries);

      const stored: LogEntry[] = [];
      journal.moveWaiting((waiting) => stored.push(...waiting));
      expect(stored).toEqual(entries);
      expect(journal.hasWaiting).toBe(false);
      // Moved, they stay in the file (the next start skips what the tables hold) while it is small.
      expect(readJournal(file).entries).toEqual(entries);

      const large = { ...entries[1]!, seq: 4, data: new Uint8Array(300 * 1024) };
      journal.write(large);
      expect(told).toBe(2);
      journal.moveWaiting(() => undefined);
      expect(fs.statSync(file).size).toBe(0);
    } finally {
      journal.close();
    }
  });
});
