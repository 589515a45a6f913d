import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations.js';
import { createSqliteDialect, type BusyWaitPolicy } from './sqlite-dialect.js';
import type { Database } from './types.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  file: string;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * WAL with synchronous=NORMAL: a committed transaction survives the process being killed;
 * only a power cut can lose the last commits, which `synchronous: 'full'` also covers.
 */
export async function openDatabase(
  file: string,
  options: { synchronous?: 'normal' | 'full'; busyWait?: BusyWaitPolicy } = {},
): Promise<OpenedDatabase> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // SQLite's own busy handler sleeps, and better-sqlite3 is synchronous: while it sleeps, no report
  // gets a keystroke through. From here on it only covers a lock taken and let go at once; longer
  // waits pause asynchronously in the driver (sqlite-dialect.ts), up to `busyWait.deadlineMs`.
  sqlite.pragma('busy_timeout = 5');
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite, options.busyWait) });
  await migrateToLatest(db);
  return {
    db,
    file,
    async close() {
      await db.destroy();
    },
  };
}

async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
