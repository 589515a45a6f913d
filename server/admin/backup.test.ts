import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { journalFileOf } from '../db/journaled-log.js';
import { leaveInJournal, openDemoFile } from '../db/killed-server.fixture.js';
import { readJournal } from '../db/update-journal.js';
import { backupDatabase } from './backup.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-test-'));

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('a backup of the SQLite file', () => {
  it('holds the updates a killed server left in its journal, and leaves the journal to the server', async () => {
    const file = path.join(dataDir, 'reports.sqlite');
    const { database: seeding, reportId } = await openDemoFile(file);
    await seeding.close();
    const doc = new Y.Doc();
    doc.getText('t').insert(0, '备份前写下的字');
    const left = { reportId, seq: 30_001, data: Y.encodeStateAsUpdate(doc), userId: null, at: Date.now(), sectionIds: ['overview'], claims: [] };
    leaveInJournal(file, [left]);

    const target = path.join(dataDir, 'backup', 'copy.sqlite');
    expect(await backupDatabase(file, target)).toMatchObject({ fromJournal: 1 });

    const copy = new SQLite(target, { readonly: true });
    try {
      const row = copy.prepare('select data from update_log where report_id = ? and seq = ?').get(reportId, left.seq) as { data: Buffer } | undefined;
      expect(row && new Uint8Array(row.data)).toEqual(left.data);
    } finally {
      copy.close();
    }
    expect(fs.existsSync(journalFileOf(target))).toBe(false);
    expect(readJournal(journalFileOf(file)).entries).toEqual([left]);
  });
});
