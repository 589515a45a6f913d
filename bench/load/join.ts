import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { connectClient } from '../../tests/support/clients.js';
import { buildLongHistory } from '../store/long-history.js';
import { CONTENDER_NAMES, CONTENDERS, PEER_ROOM, startContender, type Contender } from './contenders.js';
import { TYPING_SECTIONS, compare, runFanout, type FanoutResult } from './fanout.js';
import { rssBytes } from './process-meter.js';
import type { ServerAddress } from './protocol.js';
import { median, mib, ms, sleep, type RecordFigure } from './stats.js';
import { WorkerPool } from './worker-pool.js';

const REPORT_BYTES = 1024 * 1024;
const JOIN_TIMEOUT_MS = 60_000;

interface JoinResult {
  /** The first client after a fresh start: the server loads the report from its storage. */
  coldMs: number;
  /** Medians of the later joins, with the report open. */
  unchangedMs: number;
  afterKeystrokeMs: number;
  /** The server's RSS with the report open and a few clients connected. */
  rssBytes: number;
}

/**
 * Opening a long report, on each contender: a report of about 1 MB grown through `updates`
 * logged edits (ours holds it as its snapshot and log; Hocuspocus as its SQLite row; the stock
 * server, which keeps nothing, seeds its room from the same state on the first connection).
 *
 * - Cold open: a freshly started server, and the time its first client takes from creating its
 *   provider to being synced, which includes loading the report.
 * - Warm join: with the report open (a typist and a reader connected), new clients with empty
 *   documents join one after another, alternating between joins with the report unchanged since
 *   the previous join and joins right after a keystroke (which no earlier answer holds).
 *
 * Every run starts each server afresh; runs alternate the contenders' order like the fan-out.
 */
export async function benchJoin(record: RecordFigure, { updates, runs, joins }: { updates: number; runs: number; joins: number }): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-join-'));
  try {
    const history = await buildLongHistory(dir, { updates, documentBytes: REPORT_BYTES });
    const seedFile = path.join(dir, 'long-report.update');
    const seed = Y.encodeStateAsUpdate(history.writer.doc);
    fs.writeFileSync(seedFile, seed);
    let structs = 0;
    history.writer.doc.store.clients.forEach((each) => (structs += each.length));

    const results = Object.fromEntries(CONTENDERS.map((contender) => [contender, [] as JoinResult[]])) as Record<Contender, JoinResult[]>;
    for (let run = 0; run < runs; run++) {
      for (const contender of run % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse()) {
        results[contender].push(await runJoin(contender, { databaseFile: history.file, reportId: history.reportId, seedFile, joins }));
      }
    }

    const label = `open a ${mib(seed.byteLength)} report (${(updates / 1000).toFixed(0)}k updates logged, ${(structs / 1000).toFixed(1)}k Yjs structs)`;
    const of = (figure: (result: JoinResult) => number) => (contender: Contender) => median(results[contender].map(figure));
    const millis = (value: number) => `${value.toFixed(1)} ms`;
    compare(record, `${label}: cold, first client synced after a fresh start (median of ${runs})`, of((r) => r.coldMs), millis, 'best', 1, ['hocuspocus']);
    compare(record, `${label}: warm join, report unchanged between joins (median of ${runs}×${joins})`, of((r) => r.unchangedMs), millis, 'best');
    compare(record, `${label}: warm join, one keystroke between joins`, of((r) => r.afterKeystrokeMs), millis, 'best');
    compare(record, `${label}: server RSS with the report open`, of((r) => r.rssBytes), mib, 'lighter', 1.5);
    record(
      `${label}: cold open, worst run`,
      CONTENDERS.map((contender) => `${CONTENDER_NAMES[contender]} ${millis(Math.max(...results[contender].map((r) => r.coldMs)))}`).join(' · '),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runJoin(contender: Contender, { databaseFile, reportId, seedFile, joins }: { databaseFile: string; reportId: string; seedFile: string; joins: number }): Promise<JoinResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-join-run-'));
  // Ours finds the long report as its own database; every run starts from the same copy.
  if (contender === 'product') fs.copyFileSync(databaseFile, path.join(dataDir, 'reports.sqlite'));
  const { server, protocol, session } = await startContender(contender, { dataDir, seedFile });
  const pool = WorkerPool.start(1);
  try {
    const room = session ? reportId : PEER_ROOM;
    const address: ServerAddress = { protocol, wsBase: server.wsBase, cookie: session?.cookie ?? null, maxBackoffTime: 2500 };
    const join = async (count: number, afterKeystroke: boolean) => (await pool.call(0, 'join', { ...address, room, count, afterKeystroke, timeoutMs: JOIN_TIMEOUT_MS })).ms;
    const [coldMs] = await join(1, false);
    await pool.call(0, 'connect', { ...address, clients: [{ room, typeInto: TYPING_SECTIONS[0]! }, { room, typeInto: null }], timeoutMs: JOIN_TIMEOUT_MS });
    // Two joins to warm up, then the two kinds alternate, so neither gets a warmer server.
    await join(2, false);
    const unchanged: number[] = [];
    const afterKeystroke: number[] = [];
    for (let i = 0; i < joins; i++) {
      unchanged.push(...(await join(1, false)));
      afterKeystroke.push(...(await join(1, true)));
    }
    const rss = rssBytes(server.pid);
    if (rss === null || !server.alive) throw new Error(`${CONTENDER_NAMES[contender]} died during the joins:\n${server.output()}`);
    return { coldMs: coldMs!, unchangedMs: median(unchanged), afterKeystrokeMs: median(afterKeystroke), rssBytes: rss };
  } finally {
    await pool.close();
    await server.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Joins must not stall the people typing: 10 clients type in a report of about 1 MB grown
 * through `updates` logged edits, first undisturbed, then while a new client (an empty document,
 * the whole report to send) joins every half second. Every join happens while the report moves
 * on, so it is never answered as the previous one was.
 */
export async function benchJoinsWhileTyping(record: RecordFigure, { updates, seconds }: { updates: number; seconds: number }): Promise<void> {
  let reportId = '';
  const prepare = async (dataDir: string) => {
    const history = await buildLongHistory(dataDir, { updates, documentBytes: REPORT_BYTES });
    reportId = history.reportId;
    fs.renameSync(history.file, path.join(dataDir, 'reports.sqlite'));
  };
  const common = { contender: 'product' as const, clients: 10, seconds, seedFile: '', prepare, room: () => reportId };

  const quiet = await runFanout(common);
  let joins = 0;
  const joining = await runFanout({
    ...common,
    alongside: async (server, { cookie }) => {
      const until = performance.now() + (seconds - 1) * 1000;
      while (performance.now() < until) {
        const client = connectClient(server.wsBase, reportId, cookie);
        await client.synced;
        client.destroy();
        joins++;
        await sleep(500);
      }
    },
  });

  const latency = (result: FanoutResult) => `${result.latency.p50.toFixed(1)} / ${result.latency.p99.toFixed(1)} / ${ms(result.latency.max, 0)}`;
  record(`joins while typing: keystroke latency N=10 in a ${mib(REPORT_BYTES)} report, nobody joining (p50 / p99 / max)`, latency(quiet));
  record(`joins while typing: the same, a new client joining every 0.5 s (${joins} joins)`, latency(joining), 'p99 not far above the quiet run');
}
