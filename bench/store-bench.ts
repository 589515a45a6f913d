import { withTempDir } from './store/bench-database.js';
import type { RecordFigure } from './store/figures.js';
import { benchReportLoad } from './store/load-bench.js';
import { buildLongHistory } from './store/long-history.js';
import { benchMemory } from './store/memory-bench.js';
import { benchPersistence } from './store/persistence-bench.js';
import { storeReportCopies } from './store/report-copies.js';

/** The sizes: a 1 MB report with 200,000 logged updates. */
const FULL = { historyUpdates: 200_000, documentBytes: 1024 * 1024, keystrokes: 10_000, loadProcesses: 5, loadRepeats: 10, memoryRooms: 8 };
/** A smoke run: every figure, on sizes that take seconds. */
const QUICK = { historyUpdates: 20_000, documentBytes: 256 * 1024, keystrokes: 1_000, loadProcesses: 2, loadRepeats: 3, memoryRooms: 3 };

/**
 * The report store's costs on real SQLite files in a temp dir, through ReportStore as the rooms
 * use it: appending and compacting (time and bytes written), loading a long-history report after
 * a restart, and memory per open report.
 */
export async function benchStore(record: RecordFigure, options: { quick?: boolean } = {}): Promise<void> {
  const sizes = options.quick ? QUICK : FULL;
  await withTempDir(async (dir) => {
    const history = await buildLongHistory(dir, { updates: sizes.historyUpdates, documentBytes: sizes.documentBytes });
    await benchPersistence(record, dir, history.writer.doc, sizes.keystrokes);
    const copies = await storeReportCopies(dir, history.writer.doc, sizes.memoryRooms);
    await benchReportLoad(record, history, copies, { processes: sizes.loadProcesses, repeats: sizes.loadRepeats });
    await benchMemory(record, copies);
  });
}
