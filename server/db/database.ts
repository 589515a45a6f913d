import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql } from 'kysely';
import { migrationProvider } from './migrations.js';
import { createSqliteDialect, type BusyWaitPolicy } from './sqlite-dialect.js';
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
  target: DatabaseTarget;
  /** Where it is, for logs: the file, or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

/** Connections each server process keeps to PostgreSQL unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** Opens the embedded SQLite file (creating it if needed) and brings its schema up to date. */
export function openDatabase(file: string, options: { synchronous?: 'normal' | 'full'; busyWait?: BusyWaitPolicy } = {}): Promise<OpenedDatabase> {
  return openTarget({ kind: 'sqlite', file, ...options });
}

/** Opens the database `target` names and brings its schema up to date. */
export async function openTarget(target: DatabaseTarget): Promise<OpenedDatabase> {
  const opened = target.kind === 'sqlite' ? openSqlite(target) : await openPostgres(target);
  try {
    await migrateToLatest(opened.db, target.kind);
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
function openSqlite(target: Extract<DatabaseTarget, { kind: 'sqlite' }>): OpenedDatabase {
  fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const sqlite = new SQLite(target.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${target.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // SQLite's own busy handler sleeps, and better-sqlite3 is synchronous: while it sleeps, no report
  // gets a keystroke through. From here on it only covers a lock taken and let go at once; longer
  // waits pause asynchronously in the driver (sqlite-dialect.ts), up to `busyWait.deadlineMs`.
  sqlite.pragma('busy_timeout = 5');
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite, target.busyWait) });
  return { db, target, location: target.file, close: () => db.destroy() };
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
  return { db, target, location, close: () => db.destroy() };
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
