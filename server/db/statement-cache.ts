import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The SQLite connection as Kysely sees it, with prepared statements kept for reuse. Kysely
 * prepares every query afresh, and preparing costs more than running the small statements the
 * server issues per keystroke (appending to the update log). Statements are keyed by their SQL
 * text; the least recently used is dropped past `capacity`, as queries with IN lists vary.
 * Safe because nothing here streams rows: a statement is never run while another use of it is
 * still iterating.
 */
export function withStatementCache(sqlite: SQLite.Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        // Move to the back: the map's order is the recency order.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql) as unknown as SqliteStatement;
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
