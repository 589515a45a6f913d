import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as turnEnd } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { seedDemoIfEmpty } from '../demo/seed-demo.js';
import { openDatabase, type OpenedDatabase } from './database.js';
import { journalFileOf, MOVE_AFTER_MS, MOVE_AT_ONCE_BYTES } from './journaled-log.js';
import type { LogEntry } from './report-log.js';
import { DatabaseBusyError } from './sqlite-dialect.js';
import { appendUpdate } from './update-log.js';
import { leaveInJournal, openDemoFile } from './killed-server.fixture.js';
import { encodeRecord, readJournal } from './update-journal.js';

// The report log on a real SQLite file, opened as the server opens it (writing ahead to the
// journal), with a second connection to the file standing for another process.

const busyWait = { deadlineMs: 600, firstPauseMs: 5, maxPauseMs: 50 };

let dataDir: string;
let file: string;
let database: OpenedDatabase;
let otherProcess: SQLite.Database;
let reportId: string;
const errors: string[] = [];
let nextSeq = 10_000;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journaled-log-test-'));
  file = path.join(dataDir, 'reports.sqlite');
  database = await openDatabase(file, { busyWait, journal: { onError: (error, context) => errors.push(`${context}: ${error instanceof Error ? error.message : String(error)}`) } });
  await seedDemoIfEmpty(database.db);
  reportId = (await database.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  otherProcess = new SQLite(file, { timeout: 0 });
});

afterEach(() => {
  if (otherProcess.inTransaction) otherProcess.exec('ROLLBACK');
});

afterAll(async () => {
  otherProcess?.close();
  await database?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function entry(overrides: Partial<LogEntry> = {}): LogEntry {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, '财');
  return { reportId, seq: nextSeq++, data: Y.encodeStateAsUpdate(doc), userId: null, at: Date.now(), sectionIds: ['overview'], claims: [], ...overrides };
}

/** The seqs of the log's rows as another process reads them. */
function rowsSeenElsewhere(entries: LogEntry[]): number[] {
  const seqs = entries.map((e) => e.seq);
  return (otherProcess.prepare(`select seq from update_log where report_id = ? and seq in (${seqs.map(() => '?').join(',')}) order by seq`).all(reportId, ...seqs) as Array<{ seq: number }>).map((row) => row.seq);
}

/** The seqs of `entries` the journal file holds. */
const journaled = (entries: LogEntry[]) => {
  const seqs = new Set(readJournal(journalFileOf(file)).entries.map((e) => e.seq));
  return entries.map((e) => e.seq).filter((seq) => seqs.has(seq));
};

describe('the report log written ahead to its journal', () => {
  it('an appended update is in the journal when append resolves, and in the tables for everyone within MOVE_AFTER_MS, in one move with those after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const first = entry();
      await database.log.append(first);
      expect(journaled([first])).toEqual([first.seq]);
      await turnEnd();
      vi.advanceTimersByTime(MOVE_AFTER_MS - 1);
      const second = entry();
      await database.log.append(second);
      await turnEnd();
      expect(rowsSeenElsewhere([first, second])).toEqual([]);

      vi.advanceTimersByTime(1);
      await vi.waitFor(() => expect(rowsSeenElsewhere([first, second])).toEqual([first.seq, second.seq]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('what waits moves at the end of the turn once it passes MOVE_AT_ONCE_BYTES (a burst of pastes)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const small = entry();
      const pasted = new Y.Doc();
      pasted.getText('t').insert(0, '财'.repeat(MOVE_AT_ONCE_BYTES / 3));
      const paste = entry({ data: Y.encodeStateAsUpdate(pasted) });
      await database.log.append(small);
      await turnEnd();
      expect(rowsSeenElsewhere([small])).toEqual([]);

      await database.log.append(paste);
      await vi.waitFor(() => expect(rowsSeenElsewhere([small, paste])).toEqual([small.seq, paste.seq]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('any statement of this process reads a log that holds every update appended, the turn not yet over', async () => {
    const appended = entry({ sectionIds: ['overview', 'problems'] });
    await database.log.append(appended);
    const sections = await database.db.selectFrom('update_sections').select('section_id').where('report_id', '=', reportId).where('seq', '=', appended.seq).orderBy('section_id').execute();
    expect(sections.map((row) => row.section_id)).toEqual(['overview', 'problems']);
  });

  it('claims move with their update, and an id already claimed keeps its owner', async () => {
    await database.log.append(entry({ claims: [{ clientIDs: [4_000_000_001, 4_000_000_002], owner: null }] }));
    await database.log.append(entry({ claims: [{ clientIDs: [4_000_000_002], owner: 1 }] }));
    const owners = await database.db.selectFrom('client_ids').select(['client_id', 'user_id']).where('report_id', '=', reportId).where('client_id', 'in', [4_000_000_001, 4_000_000_002]).orderBy('client_id').execute();
    expect(owners).toEqual([
      { client_id: 4_000_000_001, user_id: null },
      { client_id: 4_000_000_002, user_id: null },
    ]);
  });

  it('while another process holds the lock, appends go on, reads are answered, and everything moves once the lock is let go', async () => {
    otherProcess.exec('BEGIN IMMEDIATE');
    const appended = [entry(), entry(), entry()];
    for (const update of appended) await database.log.append(update);
    await turnEnd();
    let settled = false;
    const settling = database.log.settled().then(() => (settled = true));

    // Answered while the updates wait: a read does not wait for the lock.
    expect((await database.db.selectFrom('users').select('id').execute()).length).toBeGreaterThan(0);
    expect(journaled(appended)).toEqual(appended.map((e) => e.seq));
    expect(rowsSeenElsewhere(appended)).toEqual([]);
    expect(settled).toBe(false);

    otherProcess.exec('ROLLBACK');
    await settling;
    expect(rowsSeenElsewhere(appended)).toEqual(appended.map((e) => e.seq));
    expect(errors).toEqual([]);
  });

  it('settled gives up with DatabaseBusyError when the lock outlasts the deadline; what waits stays in the journal and moves later', async () => {
    otherProcess.exec('BEGIN IMMEDIATE');
    const appended = entry();
    await database.log.append(appended);
    await expect(database.log.settled()).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(journaled([appended])).toEqual([appended.seq]);
    expect(rowsSeenElsewhere([appended])).toEqual([]);

    otherProcess.exec('ROLLBACK');
    await database.log.settled();
    expect(rowsSeenElsewhere([appended])).toEqual([appended.seq]);
  });

  it('a move the database refuses is reported once and tried again until it succeeds, nothing lost meanwhile', async () => {
    const refused = entry();
    otherProcess.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON update_log WHEN new.seq = ${refused.seq} BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`);
    try {
      const after = entry();
      await database.log.append(refused);
      await database.log.append(after);
      // A statement of this process tries the move first; the statement itself goes ahead.
      expect(await database.db.selectFrom('users').select('id').execute()).not.toHaveLength(0);
      await vi.waitFor(() => expect(errors.length).toBe(1));
      expect(errors[0]).toContain('refused for the test');
      expect(journaled([refused, after])).toEqual([refused.seq, after.seq]);
      expect(rowsSeenElsewhere([refused, after])).toEqual([]);
    } finally {
      otherProcess.exec('DROP TRIGGER refuse_one');
    }
    await database.log.settled();
    expect(errors.length).toBe(1);
    errors.length = 0;
  });
});

describe('what a killed process left in the journal', () => {
  it('moves into the tables when the server next opens the database: updates and claims, none twice, a record cut short dropped', async () => {
    const killedFile = path.join(dataDir, 'killed.sqlite');
    const { database: seeding, reportId: killedReport } = await openDemoFile(killedFile);
    const left = [1, 2, 3].map((n) => entry({ reportId: killedReport, seq: 20_000 + n, claims: n === 2 ? [{ clientIDs: [4_100_000_000], owner: null }] : [] }));
    // The process died after moving the first update, before emptying the file.
    await appendUpdate(seeding.db, { reportId: killedReport, seq: left[0]!.seq, data: left[0]!.data, userId: null, at: left[0]!.at });
    await seeding.close();
    leaveInJournal(killedFile, left);
    const cutShort = encodeRecord(entry({ reportId: killedReport, seq: 20_004 })).subarray(0, 30);
    fs.appendFileSync(journalFileOf(killedFile), cutShort);

    // The operator's tools leave it alone: it is the server's.
    const tool = await openDatabase(killedFile);
    expect(tool.recovered).toBeNull();
    await tool.close();
    expect(readJournal(journalFileOf(killedFile))).toEqual({ entries: left, droppedBytes: 30 });

    const restarted = await openDatabase(killedFile, { journal: { onError: (error) => expect.unreachable(String(error)) } });
    try {
      expect(restarted.recovered).toEqual({ moved: 2, alreadyStored: 1, droppedBytes: 30 });
      const rows = await restarted.db.selectFrom('update_log').select(['seq', 'data']).where('report_id', '=', killedReport).where('seq', '>', 20_000).orderBy('seq').execute();
      expect(rows.map((row) => [row.seq, Buffer.from(row.data).toString('hex')])).toEqual(left.map((e) => [e.seq, Buffer.from(e.data).toString('hex')]));
      const claimed = await restarted.db.selectFrom('client_ids').select('client_id').where('report_id', '=', killedReport).where('client_id', '=', 4_100_000_000).execute();
      expect(claimed).toHaveLength(1);
      expect(readJournal(journalFileOf(killedFile))).toEqual({ entries: [], droppedBytes: 0 });
    } finally {
      await restarted.close();
    }
  });
});
