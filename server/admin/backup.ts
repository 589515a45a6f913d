import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * A consistent copy of the database while people are editing: SQLite's online backup copies the
 * pages a moment at a time and starts over any that change meanwhile, so the copy holds every
 * update committed before it finished — and the server never waits for it.
 */
export async function backupDatabase(databaseFile: string, target: string): Promise<{ bytes: number }> {
  if (!fs.existsSync(databaseFile)) throw new Error(`no database at ${databaseFile}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists: a backup never overwrites a file`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const source = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
  return { bytes: fs.statSync(target).size };
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
  }
  // The journal of the database replaced belongs to it, not to the backup.
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${databaseFile}${suffix}`, { force: true });
  const temporary = `${databaseFile}.restoring`;
  fs.copyFileSync(backup, temporary);
  fs.renameSync(temporary, databaseFile);
  return { kept };
}
