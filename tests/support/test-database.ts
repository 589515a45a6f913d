import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { createPostgresDatabase } from './postgres.js';


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
