import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../server/db/database.js';
import { copyReport, openBenchDatabase } from './bench-database.js';
import { CompactingLog } from './compacting-log.js';
import { ReportWriter } from './report-writer.js';
import { seededRandom } from '../../tests/support/seeded-random.js';
import { mixedHistory } from './writing-patterns.js';

export interface LongHistory {
  file: string;
  reportId: string;
  /** The same log under another report, without a single snapshot: loading it replays everything. */
  uncompactedReportId: string;
  writerId: number;
  /** Positioned at the end of the history; its document is the report as logged. */
  writer: ReportWriter;
  lastSeq: number;
  onDisk: { logBytes: number; snapshots: number; snapshotBytes: number };
}

/**
 * A report with `updates` logged updates (the seeded template first) growing to about
 * `documentBytes`, written through ReportStore exactly as a room writes it, compacting every
 * COMPACT_AFTER_UPDATES. The database is closed afterwards, as after a clean shutdown.
 */
export async function buildLongHistory(dir: string, { updates, documentBytes }: { updates: number; documentBytes: number }): Promise<LongHistory> {
  const file = path.join(dir, 'long-history.sqlite');
  const { opened, store, reportId, writerId } = await openBenchDatabase(file);
  try {
    const loaded = await store.load(reportId);
    const log = new CompactingLog(store, reportId, loaded.lastSeq, loaded.updatesSinceSnapshot, writerId);
    // The writer's document stands in for the room's: it already holds each update it hands out.
    const writer = new ReportWriter(loaded.doc, seededRandom(20_000));
    for (const edit of mixedHistory(writer, updates - loaded.lastSeq, documentBytes)) {
      await log.append(edit);
      if (log.compactionDue) await log.compact(writer.doc);
    }
    const uncompactedReportId = `${reportId}-uncompacted`;
    await copyReport(opened.db, reportId, uncompactedReportId, { withLog: true });
    return { file, reportId, uncompactedReportId, writerId, writer, lastSeq: log.lastSeq, onDisk: await measureOnDisk(opened.db, reportId) };
  } finally {
    await opened.close();
  }
}

/** Appends `count` keystrokes after the last snapshot, none compacted: a server killed just before compacting. */
export async function appendUncompacted(history: LongHistory, count: number): Promise<void> {
  const { opened, store } = await openBenchDatabase(history.file);
  try {
    const log = new CompactingLog(store, history.reportId, history.lastSeq, 0, history.writerId, Infinity);
    for (let i = 0; i < count; i++) await log.append(history.writer.keystroke());
    history.lastSeq = log.lastSeq;
  } finally {
    await opened.close();
  }
}

async function measureOnDisk(db: Db, reportId: string): Promise<LongHistory['onDisk']> {
  const size = (table: 'update_log' | 'snapshots') =>
    db
      .selectFrom(table)
      .select([sql<number>`count(*)`.as('rows'), sql<number>`coalesce(sum(length(data)), 0)`.as('bytes')])
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
  const [log, snapshots] = await Promise.all([size('update_log'), size('snapshots')]);
  return { logBytes: log.bytes, snapshots: snapshots.rows, snapshotBytes: snapshots.bytes };
}
