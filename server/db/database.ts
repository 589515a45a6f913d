import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql } from 'kysely';
import { JournaledReportLog, type JournalRecovery } from './journaled-log.js';
import { migrationProvider } from './migrations.js';
import { directReportLog, type ReportLog } from './report-log.js';
import { createSqliteDialect, defaultBusyWait, SqliteAccess, type BusyWaitPolicy } from './sqlite-dialect.js';
import type { Database } from './types.js';

export type Db = Kysely<Database>;

/**
 * Where the reports live: the embedded SQLite file (one server process; the default), or a
 * PostgreSQL database several server processes share (DATABASE_URL).
 */
export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; synchronous?: 'normal' | 'full'; busyWait?: BusyWaitPolicy }
  | { kind: 'postgres'; url: string; poolSize?: number };

export type DatabaseKind = DatabaseTarget['kind'];

export interface OpenedDatabase {
  db: Db;
  /** Where rooms log the updates they accept. */
  log: ReportLog;
  target: DatabaseTarget;
  /** Where it is, for logs: the file, or the URL without its password. */
  location: string;
  /** What the journal held from a process that was killed, moved into the tables at opening (SQLite, `journal` only; null: nothing). */
  recovered: JournalRecovery | null;
  close(): Promise<void>;
}

/**
 * How a process opens the database. `journal`: it is the server, the one process that logs
 * reports' updates, so on the SQLite file it writes them ahead to the journal and moves what a
 * killed predecessor left there (see journaled-log.ts). The operator's tools never take it: they
 * may run beside the server, whose journal is its own.
 */
export interface OpenOptions {
  journal?: { onError(error: unknown, context: string): void };
}

/** Connections each server process keeps to PostgreSQL unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** Opens the embedded SQLite file (creating it if needed) and brings its schema up to date. */
export function openDatabase(file: string, options: { synchronous?: 'normal' | 'full'; busyWait?: BusyWaitPolicy } & OpenOptions = {}): Promise<OpenedDatabase> {
  const { journal, ...target } = options;
  return openTarget({ kind: 'sqlite', file, ...target }, { journal });
}

/** Opens the database `target` names and brings its schema up to date. */
export async function openTarget(target: DatabaseTarget, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const opened = target.kind === 'sqlite' ? openSqlite(target, options) : await openPostgres(target);
  try {
    await migrateToLatest(opened.db, target.kind);
    if (opened.log instanceof JournaledReportLog) opened.recovered = await opened.log.recover();
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/**
 * WAL with synchronous=NORMAL: a committed transaction survives the process being killed; only a
 * power cut can lose the last commits, which `synchronous: 'full'` also covers.
 */
function openSqlite(target: Extract<DatabaseTarget, { kind: 'sqlite' }>, options: OpenOptions): OpenedDatabase {
  fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const sqlite = new SQLite(target.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${target.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // SQLite's own busy handler sleeps, and better-sqlite3 is synchronous: while it sleeps, no report
  // gets a keystroke through. From here on it only covers a lock taken and let go at once; longer
  // waits pause asynchronously in the driver (sqlite-dialect.ts), up to `busyWait.deadlineMs`.
  sqlite.pragma('busy_timeout = 5');
  const busyWait = target.busyWait ?? defaultBusyWait;
  const access = new SqliteAccess(sqlite);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(access, busyWait) });
  const journaled = options.journal
    ? new JournaledReportLog({ db, access, databaseFile: target.file, flushEachWrite: target.synchronous === 'full', busyWait, onError: options.journal.onError })
    : null;
  const close = async () => {
    await journaled?.close();
    await db.destroy();
  };
  return { db, log: journaled ?? directReportLog(db), target, location: target.file, recovered: null, close };
}

/** Connects to PostgreSQL, failing at once (not at the first keystroke) when it cannot be reached. */
async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<OpenedDatabase> {
  // Loaded only here: a server on its SQLite file does not carry the PostgreSQL client in memory.
  const { createPostgresDialect, displayedUrl } = await import('./postgres-dialect.js');
  const { dialect } = createPostgresDialect(target.url, target.poolSize ?? DEFAULT_POOL_SIZE);
  const db = new Kysely<Database>({ dialect });
  const location = displayedUrl(target.url);
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`无法连接 PostgreSQL（cannot connect to PostgreSQL at ${location}: ${error instanceof Error ? error.message : String(error)}）`, { cause: error });
  }
  return { db, log: directReportLog(db), target, location, recovered: null, close: () => db.destroy() };
}

/**
 * Runs the migrations a database lacks, in one transaction on both engines. On PostgreSQL the
 * migrator holds an advisory lock, so processes starting together migrate once.
 */
async function migrateToLatest(db: Db, kind: DatabaseKind): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(kind) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
