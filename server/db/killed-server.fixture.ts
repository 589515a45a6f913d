import { seedDemoIfEmpty } from '../demo/seed-demo.js';
import { openDatabase, type OpenedDatabase } from './database.js';
import { journalFileOf } from './journaled-log.js';
import type { LogEntry } from './report-log.js';
import { UpdateJournal } from './update-journal.js';

/** The demo's data in a SQLite file of its own, opened as the operator's tools open it (no journal), and its first report. */
export async function openDemoFile(file: string): Promise<{ database: OpenedDatabase; reportId: string }> {
  const database = await openDatabase(file);
  await seedDemoIfEmpty(database.db);
  const { id: reportId } = await database.db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
  return { database, reportId };
}

/** Leaves `entries` in the journal of `databaseFile`, as a server killed before moving them does. */
export function leaveInJournal(databaseFile: string, entries: readonly LogEntry[]): void {
  const journal = new UpdateJournal(journalFileOf(databaseFile), { flushEachWrite: false, onWaiting: () => undefined });
  try {
    for (const entry of entries) journal.write(entry);
  } finally {
    journal.close();
  }
}
