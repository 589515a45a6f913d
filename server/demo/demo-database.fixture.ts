import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { socketQuotas } from '../../blocks/contract.js';
import { createApp, type AppDeps } from '../app.js';
import { SessionStore } from '../auth/sessions.js';
import type { ReportStore } from '../collab/report-store.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import { databaseUrlFor } from '../../tests/support/test-database.js';
import { openDatabase, openTarget, type OpenedDatabase } from '../db/database.js';
import { seedDemoIfEmpty } from './seed-demo.js';

/**
 * A throwaway database with the demo district seeded, for in-process tests: a SQLite file, or a
 * PostgreSQL database of its own in a PostgreSQL run.
 */
export interface DemoDatabase {
  database: OpenedDatabase;
  dataDir: string;
  /** The demo's reports, newest first: the 2025 report being written, then 2024's. */
  reportIds: string[];
  /** Closes the database and removes its directory. */
  dispose(): Promise<void>;
}

export async function openDemoDatabase(name: string): Promise<DemoDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const url = await databaseUrlFor(dataDir);
  const database = url ? await openTarget({ kind: 'postgres', url }) : await openDatabase(path.join(dataDir, 'reports.sqlite'), { journal: { onError: (error, context) => console.error(context, error) } });
  await seedDemoIfEmpty(database.db);
  const reportIds = (await database.db.selectFrom('reports').select('id').orderBy('year', 'desc').execute()).map((report) => report.id);
  return {
    database,
    dataDir,
    reportIds,
    async dispose() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The app as server/main.ts builds it, spoken to in-process with `app.request(...)`: no port, no browser build. */
export function createDemoApp(demo: DemoDatabase, parts: { store: ReportStore; rooms: RoomRegistry; onError(error: unknown, context: string): void } & Partial<AppDeps>) {
  return createApp({
    db: demo.database.db,
    sessions: new SessionStore(demo.database.db, 12 * 3600 * 1000),
    ...parts,
    cookieSecure: false,
    clientDir: path.join(demo.dataDir, 'no-client-build-here'),
    collab: { maxBufferedBytes: 16 * 1024 * 1024, ...socketQuotas },
    chromiumPath: '/usr/bin/chromium',
    webhook: null,
    ...parts,
  });
}
