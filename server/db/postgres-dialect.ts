import { PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';

/** PostgreSQL's type ids whose text the driver would otherwise hand over as strings. */
const INT8 = 20;

/** The driver's type parsers, with 64-bit integers read as numbers (see below); for any `pg` client. */
export const int8AsNumber = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/**
 * Kysely's PostgreSQL dialect on a `pg` pool. Timestamps (milliseconds) and Yjs client ids are
 * 64-bit columns here; their values stay below 2^53, so they are read as numbers, as SQLite gives
 * them, instead of the driver's default strings (which would compare and add wrongly).
 */
export function createPostgresDialect(url: string, poolSize: number): { dialect: Dialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: int8AsNumber });
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** The URL as an operator may see it in a log: without its password. */
export function displayedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
