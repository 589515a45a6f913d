import path from 'node:path';
import { sql } from 'kysely';
import * as Y from 'yjs';
import { createReportDoc } from '../../server/collab/report-store.js';
import { importReport, openBenchDatabase, type Synchronous } from './bench-database.js';
import { COMPACT_AFTER_UPDATES, CompactingLog } from './compacting-log.js';
import { diskWriteMeter } from './disk-writes.js';
import { bytes, count, ms, type RecordFigure, times } from './figures.js';
import { ReportWriter, type Edit } from './report-writer.js';
import { seededRandom } from '../../tests/support/seeded-random.js';
import { summarise, sum } from './stats.js';

interface LoggingRun {
  appendMs: number[];
  compactMs: number[];
  bytesWritten: number;
  meter: string;
  snapshots: { count: number; bytes: number };
}

/**
 * Logs `keystrokes` onto a report holding `start`, as a room does: each update applied to the
 * room's document, then appended; a snapshot every `compactAfterUpdates`. Times each append and
 * each compaction and counts the bytes the process writes meanwhile.
 */
async function logKeystrokes(file: string, synchronous: Synchronous, start: Uint8Array, keystrokes: readonly Edit[], compactAfterUpdates: number): Promise<LoggingRun> {
  const bench = await openBenchDatabase(file, synchronous);
  try {
    const reportId = 'persistence';
    const doc = createReportDoc();
    Y.applyUpdate(doc, start);
    await importReport(bench, reportId, doc);
    const log = new CompactingLog(bench.store, reportId, 1, 0, bench.writerId, compactAfterUpdates);
    const meter = diskWriteMeter(file);
    const run: LoggingRun = { appendMs: [], compactMs: [], bytesWritten: 0, meter: meter.source, snapshots: { count: 0, bytes: 0 } };
    const writtenBefore = meter.read();
    for (const edit of keystrokes) {
      Y.applyUpdate(doc, edit.update);
      let started = performance.now();
      await log.append(edit);
      run.appendMs.push(performance.now() - started);
      if (!log.compactionDue) continue;
      started = performance.now();
      await log.compact(doc);
      run.compactMs.push(performance.now() - started);
    }
    run.bytesWritten = meter.read() - writtenBefore;
    // Snapshots are pruned as they are written: count the compactions run, sized by the newest snapshot.
    const newest = await bench.opened.db
      .selectFrom('snapshots')
      .select(sql<number>`length(data)`.as('bytes'))
      .where('report_id', '=', reportId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    run.snapshots = { count: run.compactMs.length, bytes: newest.bytes * run.compactMs.length };
    return run;
  } finally {
    await bench.opened.close();
  }
}

/**
 * Persistence cost per keystroke on a report like `report`, with SQLite's synchronous
 * 'normal' (the server's default) and 'full' side by side: append latency, compaction time, and
 * the bytes written for both. Each mode runs the same keystrokes twice, compacting as a room does
 * and never compacting: the difference is what compaction writes, checkpoint copies included,
 * which cannot be attributed call by call (a checkpoint runs in whichever commit fills the WAL).
 */
export async function benchPersistence(record: RecordFigure, dir: string, report: Y.Doc, keystrokeCount: number): Promise<void> {
  const start = Y.encodeStateAsUpdate(report);
  // Typed into a copy: `report` stays as its own log has it.
  const copy = createReportDoc();
  Y.applyUpdate(copy, start);
  const writer = new ReportWriter(copy, seededRandom(1_000));
  const keystrokes = Array.from({ length: keystrokeCount }, () => writer.keystroke());
  const payload = sum(keystrokes.map((edit) => edit.update.byteLength));
  for (const synchronous of ['normal', 'full'] as const) {
    const compacting = await logKeystrokes(path.join(dir, `${synchronous}-compacting.sqlite`), synchronous, start, keystrokes, COMPACT_AFTER_UPDATES);
    const appendOnly = await logKeystrokes(path.join(dir, `${synchronous}-append-only.sqlite`), synchronous, start, keystrokes, Infinity);
    const append = summarise(compacting.appendMs);
    record(
      `append a keystroke, synchronous=${synchronous} (p50/p99/max)`,
      `${ms(append.p50)} / ${ms(append.p99)} / ${ms(append.max)}`,
      `no target; ${count(keystrokeCount)} keystrokes, compacting every ${COMPACT_AFTER_UPDATES}`,
    );
    const { count: snapshots, bytes: snapshotBytes } = compacting.snapshots;
    const compact = summarise(compacting.compactMs);
    record(`compaction (snapshot), synchronous=${synchronous} (p50/max)`, `${ms(compact.p50)} / ${ms(compact.max)}`, `no target; ${snapshots} compactions of ${bytes(snapshotBytes / snapshots)}`);
    record(
      `write amplification of appends, ${synchronous}`,
      `${times(appendOnly.bytesWritten / payload)} (${bytes(appendOnly.bytesWritten / keystrokeCount)} written per ${bytes(payload / keystrokeCount)} update)`,
      `no target; ${appendOnly.meter}`,
    );
    const compactionBytes = (compacting.bytesWritten - appendOnly.bytesWritten) / snapshots;
    record(
      `write amplification of compaction, ${synchronous}`,
      `${times(compactionBytes / (snapshotBytes / snapshots))} the snapshot, ${times(compactionBytes / (payload / snapshots))} the updates it covers (${bytes(compactionBytes)} per compaction)`,
      `no target; ${compacting.meter}`,
    );
  }
}
