/**
 * One server restart: a fresh process opens the database and loads a report through ReportStore,
 * then loads it again `repeats` times (warm), and times reading the history apart from replaying
 * it, and replaying it into a bare Y.Doc (Yjs alone). Usage: load-child.ts <database file> <report id> <repeats>. Prints a LoadResult as JSON.
 */
import * as Y from 'yjs';
import { ReportStore } from '../../server/collab/report-store.js';
import { openDatabase } from '../../server/db/database.js';
import { readReportHistoryTail } from '../../server/db/update-log.js';

export interface LoadResult {
  /** Opening the database and checking its migrations: once per server start, not per report. */
  openMs: number;
  firstMs: number;
  warmMs: number[];
  /** ReportStore.load's SQLite reads alone (snapshot, log tail, last seq), warm. */
  readMs: number[];
  /** The same history applied to a bare Y.Doc, update by update, warm: what Yjs alone takes. */
  yjsMs: number[];
  updatesReplayed: number;
  encodedBytes: number;
}

const [file, reportId, repeats] = process.argv.slice(2);
if (!file || !reportId || !repeats) throw new Error('usage: load-child.ts <database file> <report id> <repeats>');

let started = performance.now();
const opened = await openDatabase(file);
const openMs = performance.now() - started;
const store = new ReportStore(opened);

started = performance.now();
const first = await store.load(reportId);
const firstMs = performance.now() - started;
const result: LoadResult = {
  openMs,
  firstMs,
  warmMs: [],
  readMs: [],
  yjsMs: [],
  updatesReplayed: first.updatesSinceSnapshot,
  encodedBytes: Y.encodeStateAsUpdate(first.doc).byteLength,
};
first.doc.destroy();

for (let i = 0; i < Number(repeats); i++) {
  started = performance.now();
  const again = await store.load(reportId);
  result.warmMs.push(performance.now() - started);
  again.doc.destroy();
  started = performance.now();
  const tail = await readReportHistoryTail(opened.db, reportId);
  result.readMs.push(performance.now() - started);
  started = performance.now();
  const bare = new Y.Doc();
  for (const part of [...(tail.snapshot ? [tail.snapshot] : []), ...tail.updates]) Y.applyUpdate(bare, part.data);
  result.yjsMs.push(performance.now() - started);
  bare.destroy();
}
await opened.close();
console.log(JSON.stringify(result));
