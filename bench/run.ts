/**
 * Measures the collaborative core, the annex rules and publishing, and prints figures next to their targets. Not a test: it
 * asserts nothing, so a slow shared machine never fails the build. Run with `npm run bench`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { BODY_FIELD } from '../blocks/contract.js';
import { ReportStore } from '../server/collab/report-store.js';
import { inspectUpdate } from '../server/collab/update-inspection.js';
import { openDatabase } from '../server/db/database.js';
import { seedDemoIfEmpty } from '../server/demo/seed-demo.js';
import { sectionText } from '../tests/support/clients.js';
import { benchAnnex } from './annex-bench.js';
import { benchGuard } from './guard-bench.js';
import { benchPublish } from './publish-bench.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarise(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

const rows: Array<{ figure: string; value: string; target: string }> = [];
const record = (figure: string, value: string, target = '') => {
  rows.push({ figure, value, target });
  console.log(`${figure.padEnd(58)} ${value.padEnd(30)} ${target}`);
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-bench-'));
const { db, close } = await openDatabase(path.join(dataDir, 'bench.sqlite'));
await seedDemoIfEmpty(db);
// The demo's 2025 report being written, and its 2024 report for the cross-year rules.
const [reportId, previousReportId] = (await db.selectFrom('reports').select('id').orderBy('year', 'desc').execute()).map((report) => report.id) as [string, string];
const store = new ReportStore(db);

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log(`${'figure'.padEnd(58)} ${'value'.padEnd(30)} target`);

// A writer typing one character at a time into the demo report.
const { doc: serverDoc, lastSeq } = await store.load(reportId);
const writer = new Y.Doc();
Y.applyUpdate(writer, Y.encodeStateAsUpdate(serverDoc));
const firstText = sectionText(writer.getXmlFragment(BODY_FIELD), 'overview-finance');
const keystrokes: Uint8Array[] = [];
writer.on('update', (update: Uint8Array) => keystrokes.push(update));
const KEYSTROKES = 20_000;
for (let i = 0; i < KEYSTROKES; i++) firstText.insert(i % 50, i % 2 ? '报' : '告');

const inspectMs: number[] = [];
const appendMs: number[] = [];
let seq = lastSeq;
for (const update of keystrokes) {
  let t = performance.now();
  const inspection = inspectUpdate(serverDoc, update);
  inspectMs.push(performance.now() - t);
  if (!inspection.ok) throw new Error(inspection.refusal.message);
  t = performance.now();
  await store.append(reportId, ++seq, update, null);
  appendMs.push(performance.now() - t);
  Y.applyUpdate(serverDoc, update);
}
const inspect = summarise(inspectMs);
record('update inspection per keystroke (p50 / p99)', `${(inspect.p50 * 1000).toFixed(1)} µs / ${(inspect.p99 * 1000).toFixed(1)} µs`, 'guard target: median < 50 µs');
const append = summarise(appendMs);
record('append one update to the SQLite log (p50 / p99 / max)', `${append.p50.toFixed(3)} / ${append.p99.toFixed(3)} / ${append.max.toFixed(2)} ms`);

let t = performance.now();
const unsnapshotted = await store.load(reportId);
record(`load report, ${KEYSTROKES.toLocaleString('en')} updates, no snapshot`, `${(performance.now() - t).toFixed(1)} ms`, 'target < 50 ms (server side)');
unsnapshotted.doc.destroy();

t = performance.now();
await store.snapshot(reportId, seq, serverDoc);
const snapshotBytes = Y.encodeStateAsUpdate(serverDoc).byteLength;
record('compact: write a snapshot', `${(performance.now() - t).toFixed(1)} ms (${(snapshotBytes / 1024).toFixed(0)} KiB)`);

t = performance.now();
const snapshotted = await store.load(reportId);
record(`load report after compaction`, `${(performance.now() - t).toFixed(1)} ms`, 'target < 50 ms (server side)');
snapshotted.doc.destroy();

await benchAnnex(store, reportId, previousReportId, record, summarise);
await benchGuard(store, reportId, record, summarise);
await benchPublish(record, summarise);

fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync(
  'bench/results/latest.json',
  JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, rows }, null, 2) + '\n',
);
await close();
fs.rmSync(dataDir, { recursive: true, force: true });
