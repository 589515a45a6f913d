import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from './migrations.js';
import { createSqliteDialect } from './sqlite-dialect.js';
import type { Database } from './types.js';
import { appendUpdate, listSectionChanges } from './update-log.js';

// A district's SQLite file from before migration 0007, with a logged history, brought up to date:
// the log and its section index keep every row, and a keystroke writes half the pages it did.

let dataDir: string;
let sqlite: SQLite.Database;
let db: Kysely<Database>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'key-ordered-log-test-'));
  sqlite = new SQLite(path.join(dataDir, 'reports.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Checkpoints only when this test says, so the WAL counts exactly the pages an append wrote.
  sqlite.pragma('wal_autocheckpoint = 0');
  db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite) });
  const migrated = await migrator().migrateTo('2026-12-01-0006-report-leases');
  if (migrated.error) throw migrated.error;
  await db.insertInto('districts').values({ id: 'd', name: '示范区' }).execute();
  await db.insertInto('reports').values({ id: 'r', district_id: 'd', title: '年度报告', year: 2025, format: 'gov-2021', created_at: 0 }).execute();
  for (let seq = 1; seq <= 40; seq++) await logKeystroke(seq);
});

afterAll(async () => {
  await db?.destroy();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const migrator = () => new Migrator({ db, provider: migrationProvider('sqlite') });

function logKeystroke(seq: number) {
  const sectionIds = seq % 3 === 0 ? ['problems', 'overview'] : [seq % 2 === 0 ? 'problems' : 'overview'];
  return appendUpdate(db, { reportId: 'r', seq, data: new Uint8Array([seq, 1, 2, 3]), userId: null, at: 1_700_000_000_000 + seq, sectionIds });
}

/** WAL frames (pages) one more logged keystroke writes. */
async function pagesWrittenByAKeystroke(seq: number): Promise<number> {
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await logKeystroke(seq);
  const [status] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
  return status!.log;
}

const logRows = () => db.selectFrom('update_log').selectAll().orderBy('report_id').orderBy('seq').execute();
const layoutOf = (table: string) => (sqlite.prepare('select sql from sqlite_master where type = ? and name = ?').get('table', table) as { sql: string }).sql;

describe('migration 0007: the update log in its key’s order', () => {
  it('keeps every logged update and section entry, stores both tables by key alone, and halves the pages a keystroke writes', async () => {
    const rowsBefore = await logRows();
    const problemsBefore = await listSectionChanges(db, 'r', 'problems');
    const overviewBefore = await listSectionChanges(db, 'r', 'overview');
    const pagesBefore = await pagesWrittenByAKeystroke(41);
    expect(layoutOf('update_log')).not.toMatch(/WITHOUT ROWID/i);

    const migrated = await migrator().migrateToLatest();
    expect(migrated.error).toBeUndefined();
    expect(migrated.results?.map((r) => [r.migrationName, r.status])).toContainEqual(['2026-12-01-0007-key-ordered-log', 'Success']);

    expect(await logRows()).toEqual([...rowsBefore, expect.objectContaining({ seq: 41 })]);
    // 41 touched 'overview' only.
    expect(await listSectionChanges(db, 'r', 'problems')).toEqual(problemsBefore);
    expect(await listSectionChanges(db, 'r', 'overview')).toEqual([...overviewBefore, expect.objectContaining({ seq: 41 })]);
    expect(layoutOf('update_log')).toMatch(/WITHOUT ROWID/i);
    expect(layoutOf('update_sections')).toMatch(/WITHOUT ROWID/i);

    // Still indexed in the same insert, and still refused twice under one key.
    await logKeystroke(42);
    for (const sectionId of ['problems', 'overview']) expect((await listSectionChanges(db, 'r', sectionId)).at(-1)).toMatchObject({ seq: 42 });
    await expect(logKeystroke(42)).rejects.toThrow(/UNIQUE|PRIMARY KEY/i);

    const pagesAfter = await pagesWrittenByAKeystroke(43);
    expect(pagesBefore).toBe(4);
    expect(pagesAfter).toBe(2);
  });
});
