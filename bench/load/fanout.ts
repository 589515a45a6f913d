import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leadSession } from './demo-session.js';
import { joinDeliveries } from './deliveries.js';
import { cpuWindow, watchPeakRss } from './process-meter.js';
import type { ClientSpec } from './protocol.js';
import { startBaselineServer, startReportServer, type ServerProcess } from './server-process.js';
import { mib, ms, sleep, summarise, verdict, type RecordFigure, type Summary } from './stats.js';
import { WorkerPool, dealOut } from './worker-pool.js';

/**
 * Two client processes for a 2-core machine: both cores get used, 500 sockets stay well under
 * the default 1024 descriptors per process, and more processes would only add scheduling.
 */
export const CLIENT_WORKERS = 2;
/** A person typing steadily: five characters a second. */
export const KEYSTROKE_INTERVAL_MS = 200;
/** Sections of the demo report the typists are spread over; the lead office may write in all of them. */
export const TYPING_SECTIONS = ['overview-finance', 'overview-food', 'overview-env', 'problems'];

/** `count` clients of one room, every fifth of them typing, the typists spread over the sections. */
export function typingClients(room: string, count: number): ClientSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    room,
    typeInto: i % 5 === 0 ? TYPING_SECTIONS[(i / 5) % TYPING_SECTIONS.length]! : null,
  }));
}

export type ServerKind = 'ours' | 'baseline';

export interface FanoutResult {
  latency: Summary;
  expected: number;
  missing: number;
  offeredPerSecond: number;
  acceptedPerSecond: number;
  cpuPercent: number;
  /** All client workers together, for telling a saturated machine from a slow server. */
  clientCpuPercent: number;
  peakRssBytes: number;
}

export interface FanoutOptions {
  kind: ServerKind;
  clients: number;
  seconds: number;
  /** The demo report as one Yjs update: the baseline's rooms start from it. */
  seedFile: string;
  /** Extra node flags for our server and for the client workers (e.g. --cpu-prof). */
  nodeArgs?: string[];
  workerNodeArgs?: string[];
  /** Fills our server's data directory before it starts (a report grown long). */
  prepare?: (dataDir: string) => Promise<void>;
  /** Which of the demo's reports (newest first) the clients open; the first by default. */
  room?: (reportIds: readonly string[]) => string;
  /** Runs beside the typing window, against our server (e.g. API reads of another report). */
  alongside?: (server: ServerProcess, session: { cookie: string; reportIds: string[] }) => Promise<void>;
}

/** One report, `clients` clients, a fifth of them typing; every other client's time to apply every keystroke. */
export async function runFanout({ kind, clients, seconds, seedFile, nodeArgs, workerNodeArgs, prepare, room: chooseRoom, alongside }: FanoutOptions): Promise<FanoutResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-fanout-'));
  let server: ServerProcess | null = null;
  let pool: WorkerPool | null = null;
  let rss: ReturnType<typeof watchPeakRss> | null = null;
  try {
    if (kind === 'ours') await prepare?.(dataDir);
    server = kind === 'ours' ? await startReportServer({ dataDir, nodeArgs }) : await startBaselineServer({ seedFile });
    rss = watchPeakRss(server.pid);
    let cookie: string | null = null;
    let room = 'report';
    let session: { cookie: string; reportIds: string[] } | null = null;
    if (kind === 'ours') {
      session = await leadSession(server.httpUrl);
      cookie = session.cookie;
      room = chooseRoom?.(session.reportIds) ?? session.reportIds[0]!;
    }
    const specs = typingClients(room, clients);
    pool = WorkerPool.start(CLIENT_WORKERS, workerNodeArgs);
    const connected = await Promise.all(
      dealOut(specs, CLIENT_WORKERS).map((hand, worker) =>
        pool!.call(worker, 'connect', { wsBase: server!.wsBase, cookie, maxBackoffTime: 2500, clients: hand, timeoutMs: 120_000 }),
      ),
    );
    // Joining clients announce their presence to everyone; let that wave pass before measuring.
    await sleep(1000);

    const cpu = cpuWindow(server.pid);
    const workerCpu = pool.pids.map((pid) => cpuWindow(pid));
    const started = performance.now();
    await pool.all('startTyping', { intervalMs: KEYSTROKE_INTERVAL_MS, record: true });
    await Promise.all([sleep(seconds * 1000), session && alongside ? alongside(server, session) : undefined]);
    const stopped = await pool.all('stopTyping');
    const windowSeconds = (performance.now() - started) / 1000;
    const cpuPercent = cpu.stop();
    const clientCpuPercent = workerCpu.reduce((sum, window) => sum + window.stop(), 0);

    const typists = stopped.flatMap((s) => s.typists);
    const clocks = stopped.flatMap((s) => s.clocks);
    // Whatever has not arrived 15 s after typing stopped counts as never delivered.
    await pool.all('awaitClocks', { typists, clocks, timeoutMs: 15_000 });
    const logs = await pool.all('takeLog');
    if (!server.alive) throw new Error(`${kind} server died during the run:\n${server.output()}`);

    const deliveries = joinDeliveries(logs, connected.flatMap((c) => c.clients));
    return {
      latency: summarise(deliveries.latencies),
      expected: deliveries.expected,
      missing: deliveries.missing,
      offeredPerSecond: deliveries.keystrokes / windowSeconds,
      acceptedPerSecond: deliveries.accepted / windowSeconds,
      cpuPercent,
      clientCpuPercent,
      peakRssBytes: rss.peak(),
    };
  } finally {
    rss?.stop();
    await pool?.close();
    await server?.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** p99 targets from the issue, by client count. */
const P99_TARGET_MS: Record<number, number> = { 50: 15, 200: 30 };

/** Runs ours and the baseline at each size and records them side by side. */
export async function benchFanout(record: RecordFigure, { sizes, seconds, seedFile }: { sizes: number[]; seconds: number; seedFile: string }): Promise<void> {
  for (const clients of sizes) {
    const ours = await runFanout({ kind: 'ours', clients, seconds, seedFile });
    const base = await runFanout({ kind: 'baseline', clients, seconds, seedFile });
    const label = `fan-out N=${clients} (${clients / 5} typing 5/s, ${CLIENT_WORKERS} worker procs, ${seconds} s)`;
    const latency = (r: FanoutResult) => `${r.latency.p50.toFixed(1)} / ${r.latency.p99.toFixed(1)} / ${ms(r.latency.max)}`;
    const target = P99_TARGET_MS[clients];
    record(
      `${label}: latency p50 / p99 / max`,
      verdict(`ours ${latency(ours)} · baseline ${latency(base)}`, target === undefined || ours.latency.p99 < target),
      target === undefined ? undefined : `target p99 < ${target} ms`,
    );
    const delivered = (r: FanoutResult) => `${r.latency.count}/${r.expected}${r.missing > 0 ? ` (${r.missing} never arrived)` : ''}`;
    record(`fan-out N=${clients}: deliveries measured / expected`, `ours ${delivered(ours)} · baseline ${delivered(base)}`);
    const rate = (r: FanoutResult) => `${r.acceptedPerSecond.toFixed(0)}/s of ${r.offeredPerSecond.toFixed(0)}/s typed`;
    record(`fan-out N=${clients}: updates accepted by the server (reached another client)`, `ours ${rate(ours)} · baseline ${rate(base)}`);
    record(`fan-out N=${clients}: server CPU (% of one core)`, `ours ${ours.cpuPercent.toFixed(0)}% · baseline ${base.cpuPercent.toFixed(0)}%`);
    record(
      `fan-out N=${clients}: client workers' CPU (% of one core, ${CLIENT_WORKERS} procs together)`,
      `ours ${ours.clientCpuPercent.toFixed(0)}% · baseline ${base.clientCpuPercent.toFixed(0)}% (machine: ${os.cpus().length} cores)`,
    );
    record(`fan-out N=${clients}: server peak RSS`, `ours ${mib(ours.peakRssBytes)} · baseline ${mib(base.peakRssBytes)}`);
  }
}
