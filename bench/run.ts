/**
 * `npm run bench`: measures the server and prints each figure beside its target, then writes the
 * table to bench/results/latest.json. Not a test: it asserts nothing, so a slow shared machine
 * never fails the build; a missed target is printed as missed.
 *
 *   npm run bench                        every part, full sizes (about 25 minutes)
 *   npm run bench -- --quick             every part, small sizes (a smoke run)
 *   npm run bench -- --only=load,store   some parts: inspection, annex, guard, guard-fuzz, publish, store, load
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReportStore } from '../server/collab/report-store.js';
import { openDatabase } from '../server/db/database.js';
import { seedDemoIfEmpty } from '../server/demo/seed-demo.js';
import { benchAnnex } from './annex-bench.js';
import { benchGuard } from './guard-bench.js';
import { benchGuardFuzz } from './guard-fuzz.js';
import { benchInspection } from './inspection-bench.js';
import { benchLoad } from './load/index.js';
import { benchPublish } from './publish-bench.js';
import { benchStore } from './store-bench.js';

const PARTS = ['inspection', 'annex', 'guard', 'guard-fuzz', 'publish', 'store', 'load'] as const;
type Part = (typeof PARTS)[number];

function readArguments(argv: string[]): { quick: boolean; parts: Part[] } {
  const quick = argv.includes('--quick');
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const unknown = only?.filter((part) => !(PARTS as readonly string[]).includes(part)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown bench part(s): ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  return { quick, parts: only ? (only as Part[]) : [...PARTS] };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarise(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

const { quick, parts } = readArguments(process.argv.slice(2));
const rows: Array<{ part: Part; figure: string; value: string; target: string }> = [];
let part: Part = parts[0]!;
const record = (figure: string, value: string, target = '') => {
  rows.push({ part, figure, value, target });
  console.log(`${figure.padEnd(64)} ${value.padEnd(36)} ${target}`);
};

const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'cpu', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
console.log(`machine: ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, node ${machine.node}${quick ? ' (quick sizes)' : ''}`);
console.log(`${'figure'.padEnd(64)} ${'value'.padEnd(36)} target`);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-bench-'));
// Opened as the server opens it: the accept path logs through the journal, as the product's does.
const database = await openDatabase(path.join(dataDir, 'bench.sqlite'), { journal: { onError: (error, context) => console.error(context, error) } });
const { db, close } = database;
try {
  await seedDemoIfEmpty(db);
  // The demo's 2025 report being written, and its 2024 report for the cross-year rules.
  const [reportId, previousReportId] = (await db.selectFrom('reports').select('id').orderBy('year', 'desc').execute()).map((report) => report.id) as [string, string];
  const store = new ReportStore(database);
  const run: Record<Part, () => Promise<void>> = {
    inspection: () => benchInspection(store, reportId, record, summarise),
    annex: () => benchAnnex(store, reportId, previousReportId, record, summarise),
    guard: () => benchGuard(store, reportId, record, summarise),
    'guard-fuzz': async () => {
      await benchGuardFuzz(record, { quick });
    },
    publish: () => benchPublish(record, summarise),
    store: () => benchStore(record, { quick }),
    load: () => benchLoad(record, { quick }),
  };
  for (part of parts) {
    console.log(`— ${part}`);
    await run[part]();
  }
} finally {
  await close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

fs.mkdirSync('bench/results', { recursive: true });
const file = quick || parts.length < PARTS.length ? 'bench/results/partial.json' : 'bench/results/latest.json';
fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, quick, parts, rows }, null, 2) + '\n');
console.log(`written to ${file}`);
