import SQLite from 'better-sqlite3';
import { journalFileOf } from '../../server/db/journaled-log.js';
import { readJournal } from '../../server/db/update-journal.js';
import type { ServerProcess } from './server-process.js';
import { queryPostgres } from './postgres.js';

/**
 * Rows read straight from the database a server process writes — its SQLite file, or its
 * PostgreSQL database in a PostgreSQL run — never through the server: what is really stored.
 * `query` is plain SQL both engines read, with `?` for each of `params`.
 */
export async function storedRows<T>(server: Pick<ServerProcess, 'dbFile' | 'databaseUrl'>, query: string, ...params: unknown[]): Promise<T[]> {
  if (server.databaseUrl) {
    let n = 0;
    return queryPostgres<T>(server.databaseUrl, query.replace(/\?/g, () => `$${++n}`), params);
  }
  const db = new SQLite(server.dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * How many updates the server has logged for a report (those touching `sectionId`, if given):
 * the rows of its log, and on SQLite those written ahead to the journal that have not moved into
 * the table yet. The journal is read first: an update that moves meanwhile is in the table by
 * the time the table is read.
 */
export async function countStoredUpdates(server: Pick<ServerProcess, 'dbFile' | 'databaseUrl'>, reportId: string, sectionId?: string): Promise<number> {
  const journaled = server.databaseUrl
    ? []
    : readJournal(journalFileOf(server.dbFile)).entries.filter((entry) => entry.reportId === reportId && (sectionId === undefined || entry.sectionIds.includes(sectionId)));
  const rows =
    sectionId === undefined
      ? await storedRows<{ seq: number }>(server, 'select seq from update_log where report_id = ?', reportId)
      : await storedRows<{ seq: number }>(server, 'select seq from update_sections where report_id = ? and section_id = ?', reportId, sectionId);
  return new Set([...rows.map((row) => row.seq), ...journaled.map((entry) => entry.seq)]).size;
}
