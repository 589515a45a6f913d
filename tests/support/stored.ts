import SQLite from 'better-sqlite3';
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

/** How many updates the server has logged for a report. */
export async function countStoredUpdates(server: Pick<ServerProcess, 'dbFile' | 'databaseUrl'>, reportId: string): Promise<number> {
  const [row] = await storedRows<{ n: number }>(server, 'select count(*) as n from update_log where report_id = ?', reportId);
  return row!.n;
}
