import { COMPACT_AFTER_UPDATES } from './compacting-log.js';
import { bytes, count, judged, ms, type RecordFigure } from './figures.js';
import { runJsonChild } from './json-child.js';
import type { LoadResult } from './load-child.js';
import { appendUncompacted, type LongHistory } from './long-history.js';
import type { ReportCopies } from './report-copies.js';
import { median } from './stats.js';

const LOAD_TARGET_MS = 50;

/** Loads the report once in each of `processes` fresh processes (each a restart), one after another. */
async function loadAfterRestarts(file: string, reportId: string, processes: number, repeats: number): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (let i = 0; i < processes; i++) results.push(await runJsonChild<LoadResult>('./load-child.ts', [file, reportId, String(repeats)]));
  return results;
}

function recordLoad(record: RecordFigure, figure: string, results: readonly LoadResult[]): void {
  const firsts = results.map((result) => result.firstMs);
  const first = median(firsts);
  const warm = median(results.flatMap((result) => result.warmMs));
  const { updatesReplayed, encodedBytes } = results[0]!;
  const replayed = updatesReplayed > 0 ? `, then ${count(updatesReplayed)} updates` : '';
  record(
    figure,
    judged(`first ${ms(first)} (worst ${ms(Math.max(...firsts))}), warm ${ms(warm)} (snapshot ${bytes(encodedBytes)}${replayed})`, first < LOAD_TARGET_MS),
    `first load < ${LOAD_TARGET_MS} ms (server side); median of ${results.length} fresh processes`,
  );
}

/**
 * Opening the long-history report after a restart: ReportStore.load in fresh processes, right
 * after a compaction and with COMPACT_AFTER_UPDATES - 1 updates not yet compacted (the process
 * died just before compacting), and, for contrast, the same history without any snapshot; then
 * reports of the same size typed and pasted, whose snapshots hold many and few structs.
 */
export async function benchReportLoad(record: RecordFigure, history: LongHistory, copies: ReportCopies, { processes, repeats }: { processes: number; repeats: number }): Promise<void> {
  const { logBytes, snapshots, snapshotBytes } = history.onDisk;
  record(
    `history on disk, ${count(history.lastSeq)} updates`,
    `log ${bytes(logBytes)}, ${count(snapshots)} snapshots ${bytes(snapshotBytes)}`,
    'no target; the latest snapshot and the earliest of every 5,000 updates are kept',
  );

  const compacted = await loadAfterRestarts(history.file, history.reportId, processes, repeats);
  recordLoad(record, `load after restart, ${count(history.lastSeq)} updates, just compacted`, compacted);
  const read = median(compacted.flatMap((result) => result.readMs));
  const warm = median(compacted.flatMap((result) => result.warmMs));
  const yjs = median(compacted.flatMap((result) => result.yjsMs));
  record(
    'load, where the time goes (warm)',
    `SQLite reads ${ms(read)}, the rest ${ms(warm - read)}; Yjs alone (a bare Y.Doc, the same history) ${ms(yjs)}; opening the database ${ms(median(compacted.map((result) => result.openMs)))}`,
    'no target; the database is opened once per server start',
  );

  await appendUncompacted(history, COMPACT_AFTER_UPDATES - 1);
  const pending = await loadAfterRestarts(history.file, history.reportId, processes, repeats);
  recordLoad(record, `load after restart, ${count(pending[0]!.updatesReplayed)} updates not compacted`, pending);

  const [uncompacted] = await loadAfterRestarts(history.file, history.uncompactedReportId, 1, 0);
  record(
    `load with no snapshot at all (contrast)`,
    `${ms(uncompacted!.firstMs)} (${count(uncompacted!.updatesReplayed)} updates replayed)`,
    'no target; what compaction saves',
  );

  for (const pattern of [copies.typed, copies.pasted]) {
    recordLoad(record, `load after restart, ${pattern.name}`, await loadAfterRestarts(copies.file, pattern.reportIds[0]!, processes, repeats));
  }
}
