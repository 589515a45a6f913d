import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from './database.js';
import { Kysely, Migrator, type Migration } from 'kysely';
import { createSqliteDialect, DatabaseBusyError } from './sqlite-dialect.js';

// A real SQLite file, and a second connection to it holding the write lock as another process
// would (a backup, the operator's report-admin, a stray sqlite3 shell).

let dataDir: string;
let database: OpenedDatabase;
let otherProcess: SQLite.Database;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-dialect-test-'));
  const file = path.join(dataDir, 'reports.sqlite');
  database = await openDatabase(file, { busyWait: { deadlineMs: 1000, firstPauseMs: 5, maxPauseMs: 50 } });
  otherProcess = new SQLite(file, { timeout: 0 });
});

afterAll(async () => {
  otherProcess?.close();
  await database?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const districtIds = async () => (await database.db.selectFrom('districts').select('id').execute()).map((row) => row.id);

describe('waiting for another process that holds the database lock', () => {
  it('a write waits for the lock without holding up reads, and lands once the lock is let go', async () => {
    otherProcess.exec('BEGIN IMMEDIATE');
    let landed = false;
    const write = database.db.insertInto('districts').values({ id: 'waited', name: '等待区' }).execute().then(() => (landed = true));

    // Asked after the write, answered while it waits: neither the event loop nor the connection is held.
    expect(await districtIds()).not.toContain('waited');
    expect(landed).toBe(false);

    otherProcess.exec('COMMIT');
    await write;
    expect(await districtIds()).toContain('waited');
  });

  it('past the deadline the statement fails with database-busy and nothing of it is stored', async () => {
    otherProcess.exec('BEGIN IMMEDIATE');
    try {
      const refused = await database.db
        .insertInto('districts')
        .values({ id: 'too-late', name: '超时区' })
        .execute()
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(DatabaseBusyError);
      expect(refused).toMatchObject({ code: 'database-busy', message: expect.stringMatching(/^数据库正被其他程序占用.*（database busy/) });
    } finally {
      otherProcess.exec('ROLLBACK');
    }
    expect(await districtIds()).not.toContain('too-late');
  });

  it('a transaction takes the write lock at BEGIN, so no statement inside it can meet another writer', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const transaction = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('districts').select('id').execute();
      entered();
      await gate;
      await trx.insertInto('districts').values({ id: 'in-transaction', name: '事务区' }).execute();
    });

    await inside;
    // Only a read so far, yet the lock is already this transaction's.
    expect(() => otherProcess.exec('BEGIN IMMEDIATE')).toThrow(/database is locked/);
    letGo();
    await transaction;
    expect(await districtIds()).toContain('in-transaction');
  });

  it('a transaction that begins while another process holds the lock waits at BEGIN and then commits', async () => {
    otherProcess.exec('BEGIN IMMEDIATE');
    let committed = false;
    const transaction = database.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('districts').values({ id: 'began-late', name: '后开区' }).execute();
      })
      .then(() => (committed = true));

    expect(await districtIds()).not.toContain('began-late');
    expect(committed).toBe(false);
    otherProcess.exec('COMMIT');
    await transaction;
    expect(await districtIds()).toContain('began-late');
  });
});

describe('migrations', () => {
  it('a failed migration leaves the database as it was, the migrations before it in the same start included', async () => {
    const sqlite = new SQLite(path.join(dataDir, 'migrating.sqlite'));
    const db = new Kysely<any>({ dialect: createSqliteDialect(sqlite) });
    try {
      const migrations: Record<string, Migration> = {
        '0001-first': { up: (trx) => trx.schema.createTable('first').addColumn('id', 'integer').execute() },
        '0002-second': {
          async up(trx) {
            await trx.schema.createTable('second').addColumn('id', 'integer').execute();
            throw new Error('the second migration fails halfway');
          },
        },
      };
      const result = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
      expect(result.error).toBeInstanceOf(Error);
      const tables = (sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);
      expect(tables).not.toContain('first');
      expect(tables).not.toContain('second');
      expect(tables.includes('kysely_migration') ? (sqlite.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n : 0).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});
