import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../db/database.js';
import { journalFileOf } from '../db/journaled-log.js';
import { readJournal, UpdateJournal } from '../db/update-journal.js';

/**
 * A consistent copy of the database while people are editing: SQLite's online backup copies the
 * pages a moment at a time and starts over any that change meanwhile — and the server never waits
 * for it. The server's journal is copied first and what it holds is moved into the copy, as the
 * server moves it at its next start: so the copy holds every update accepted before the backup
 * began, also those a killed server left in the journal, or a running one had not moved yet.
 */
export async function backupDatabase(databaseFile: string, target: string): Promise<{ bytes: number; fromJournal: number }> {
  if (!fs.existsSync(databaseFile)) throw new Error(`no database at ${databaseFile}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists: a backup never overwrites a file`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const journal = readJournal(journalFileOf(databaseFile));
  const source = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
  let fromJournal = 0;
  if (journal.entries.length > 0) {
    const copy = new UpdateJournal(journalFileOf(target), { flushEachWrite: false, onWaiting: () => undefined });
    for (const entry of journal.entries) copy.write(entry);
    copy.close();
    // Opened as the server opens it, the copy moves its journal in; nothing is appended, so nothing else moves.
    const opened = await openDatabase(target, { journal: { onError: () => undefined } });
    fromJournal = opened.recovered?.moved ?? 0;
    await opened.close();
    fs.rmSync(journalFileOf(target), { force: true });
  }
  return { bytes: fs.statSync(target).size, fromJournal };
}

/**
 * Puts a backup in place of the database, with the server stopped. The backup is checked first
 * (it opens, SQLite finds it whole, it holds the product's tables); the current database, if any,
 * is kept beside it as `reports.sqlite.before-restore-<time>`, never deleted.
 */
export function restoreDatabase(backup: string, databaseFile: string, now = Date.now()): { kept: string | null } {
  const check = new SQLite(backup, { readonly: true, fileMustExist: true });
  try {
    const integrity = check.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${backup} is damaged: ${String(integrity)}`);
    const tables = new Set((check.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((row) => row.name));
    for (const table of ['districts', 'users', 'reports', 'update_log']) {
      if (!tables.has(table)) throw new Error(`${backup} is not a backup of this product (no table ${table})`);
    }
  } finally {
    check.close();
  }
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  let kept: string | null = null;
  if (fs.existsSync(databaseFile)) {
    kept = `${databaseFile}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(databaseFile, kept);
    // What its journals hold stays with it (a killed server leaves both): opened, it reads whole.
    for (const journalOf of [(file: string) => `${file}-wal`, journalFileOf]) {
      if (fs.existsSync(journalOf(databaseFile))) fs.renameSync(journalOf(databaseFile), journalOf(kept));
    }
  }
  // The journals of the database replaced belong to it, not to the backup.
  for (const journal of [`${databaseFile}-wal`, `${databaseFile}-shm`, journalFileOf(databaseFile)]) fs.rmSync(journal, { force: true });
  const temporary = `${databaseFile}.restoring`;
  fs.copyFileSync(backup, temporary);
  fs.renameSync(temporary, databaseFile);
  return { kept };
}
