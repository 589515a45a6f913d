import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server of a PostgreSQL run (tests/support/postgres-setup.ts); absent in a SQLite run. */
    postgresAdminUrl?: string;
  }
}

/** Whether this test file runs against PostgreSQL (the `postgres` project) rather than SQLite. */
export function postgresAdminUrl(): string | null {
  return inject('postgresAdminUrl') ?? null;
}

/** Reads 64-bit integers (counts, timestamps) as numbers, as the server does and as SQLite gives them. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** Runs `query` on the database at `url` over a connection of its own. */
export async function queryPostgres<T>(url: string, query: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the run's PostgreSQL server; its URL. */
export async function createPostgresDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40)}_${crypto.randomBytes(6).toString('hex')}`;
  await queryPostgres(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const URL_FILE = 'test-database-url';

/**
 * The database a server started on `dataDir` uses: null (its SQLite file) in a SQLite run; in a
 * PostgreSQL run a database of its own, created on first use and remembered in the directory, so
 * a server restarted on the same directory finds the same reports, as it would its SQLite file.
 */
export async function databaseUrlFor(dataDir: string): Promise<string | null> {
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) return null;
  const file = path.join(dataDir, URL_FILE);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  const url = await createPostgresDatabase(adminUrl, path.basename(dataDir));
  fs.writeFileSync(file, url);
  return url;
}
