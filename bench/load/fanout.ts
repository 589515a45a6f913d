import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTENDER_NAMES, CONTENDERS, PEER_ROOM, PEERS, startContender, type Contender, type Peer, type StartedContender } from './contenders.js';
import type { ProfileWindow } from './cpu-profile.js';
import { joinDeliveries } from './deliveries.js';
import { cpuSeconds, watchPeakRss } from './process-meter.js';
import type { ClientSpec } from './protocol.js';
import type { ServerProcess } from './server-process.js';
import { median, mib, sleep, summarise, verdict, type RecordFigure, type Summary } from './stats.js';
import { WorkerPool, dealOut } from './worker-pool.js';

/**
 * Two client processes for a 2-core machine: both cores get used, 500 sockets stay well under
 * the default 1024 descriptors per process, and more processes would only add scheduling.
 */
export const CLIENT_WORKERS = 2;
/** A person typing steadily: five characters a second. */
export const KEYSTROKE_INTERVAL_MS = 200;
/**
 * Before the measured window, each server is warmed up the same way: WARMUP_CLIENTS clients of
 * the room type WARMUP_KEYSTROKES, WARMUP_KEYSTROKES_PER_SECOND together, and leave. A server
 * runs for days; typed in at the measured pace from a fresh start, every server's CPU per
 * keystroke keeps falling for some 40 s while V8 compiles the keystroke's path (ours, with a guard
 * and a log on it, has more to compile), and a window taken then measures the compiler.
 */
const WARMUP_CLIENTS = 10;
const WARMUP_KEYSTROKES = 4000;
const WARMUP_KEYSTROKES_PER_SECOND = 400;
/** Sections of the demo report the typists are spread over; the lead office may write in all of them. */
export const TYPING_SECTIONS = ['overview-finance', 'overview-food', 'overview-env', 'problems'];

/** `count` clients of one room, every fifth of them typing, the typists spread over the sections. */
export function typingClients(room: string, count: number): ClientSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    room,
    typeInto: i % 5 === 0 ? TYPING_SECTIONS[(i / 5) % TYPING_SECTIONS.length]! : null,
  }));
}

export interface FanoutResult {
  latency: Summary;
  expected: number;
  missing: number;
  offeredPerSecond: number;
  acceptedPerSecond: number;
  cpuPercent: number;
  /** Server CPU time (user + system) per delivery of a keystroke to a client, in microseconds. */
  cpuMicrosPerDelivery: number;
  /** All client workers together, for telling a saturated machine from a slow server. */
  clientCpuPercent: number;
  peakRssBytes: number;
  /** When the typing began and when the last delivery arrived, in the clock V8's CPU profiles are stamped with. */
  window: ProfileWindow;
}

/** What a fan-out runs against: one server process, or several serving one installation. */
export interface FanoutTarget {
  /** The processes; client worker i connects to process i mod their number. */
  servers: ServerProcess[];
  protocol: StartedContender['protocol'];
  session: StartedContender['session'];
  stop(): Promise<void>;
}

export interface FanoutOptions {
  contender: Contender;
  /** Starts something else than the contender's own server (several of ours, on PostgreSQL). */
  start?: (dataDir: string) => Promise<FanoutTarget>;
  clients: number;
  seconds: number;
  /** The demo report as one Yjs update: the peers' rooms start from it. */
  seedFile: string;
  /** Extra node flags for the server and for the client workers (e.g. --cpu-prof). */
  nodeArgs?: string[];
  workerNodeArgs?: string[];
  /** Fills our server's data directory before it starts (a report grown long). */
  prepare?: (dataDir: string) => Promise<void>;
  /** Which of the demo's reports (newest first) the clients open on ours; the first by default. */
  room?: (reportIds: readonly string[]) => string;
  /** Runs beside the typing window, against our server (e.g. API reads of another report). */
  alongside?: (server: ServerProcess, session: { cookie: string; reportIds: string[] }) => Promise<void>;
}

/** One report, `clients` clients, a fifth of them typing; every other client's time to apply every keystroke. */
export async function runFanout({ contender, start, clients, seconds, seedFile, nodeArgs, workerNodeArgs, prepare, room: chooseRoom, alongside }: FanoutOptions): Promise<FanoutResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-fanout-'));
  let target: FanoutTarget | null = null;
  let pool: WorkerPool | null = null;
  let rss: Array<ReturnType<typeof watchPeakRss>> = [];
  try {
    if (contender === 'product') await prepare?.(dataDir);
    target = start ? await start(dataDir) : await oneServer(contender, { dataDir, seedFile, nodeArgs });
    const { servers, protocol, session } = target;
    const server = servers[0]!;
    rss = servers.map((each) => watchPeakRss(each.pid));
    const room = session ? (chooseRoom?.(session.reportIds) ?? session.reportIds[0]!) : PEER_ROOM;
    await warmUp(servers, { protocol, cookie: session?.cookie ?? null, room });
    const specs = typingClients(room, clients);
    pool = WorkerPool.start(CLIENT_WORKERS, workerNodeArgs);
    const connected = await Promise.all(
      dealOut(specs, CLIENT_WORKERS).map((hand, worker) =>
        pool!.call(worker, 'connect', { protocol, wsBase: servers[worker % servers.length]!.wsBase, cookie: session?.cookie ?? null, maxBackoffTime: 2500, clients: hand, timeoutMs: 120_000 }),
      ),
    );
    // Joining clients announce their presence to everyone; let that wave pass before measuring.
    await sleep(1000);

    const serversCpu = () => servers.reduce((sum, each) => sum + cpuSeconds(each.pid), 0);
    const cpu0 = serversCpu();
    const workerCpu0 = pool.pids.map(cpuSeconds);
    const from = monotonicMicros();
    await pool.all('startTyping', { intervalMs: KEYSTROKE_INTERVAL_MS, record: true });
    await Promise.all([sleep(seconds * 1000), session && alongside ? alongside(server, session) : undefined]);
    const stopped = await pool.all('stopTyping');
    const typists = stopped.flatMap((s) => s.typists);
    const clocks = stopped.flatMap((s) => s.clocks);
    // Whatever has not arrived 15 s after typing stopped counts as never delivered. The CPU
    // window closes once everything has arrived, so it holds the whole cost of what was delivered.
    await pool.all('awaitClocks', { typists, clocks, timeoutMs: 15_000 });
    const to = monotonicMicros();
    const windowSeconds = (to - from) / 1e6;
    const serverCpu = serversCpu() - cpu0;
    const clientCpu = pool.pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - workerCpu0[i]!, 0);
    const logs = await pool.all('takeLog');
    const dead = servers.find((each) => !each.alive);
    if (dead) throw new Error(`${CONTENDER_NAMES[contender]} died during the run:\n${dead.output()}`);

    const deliveries = joinDeliveries(logs, connected.flatMap((c) => c.clients));
    return {
      latency: summarise(deliveries.latencies),
      expected: deliveries.expected,
      missing: deliveries.missing,
      offeredPerSecond: deliveries.keystrokes / seconds,
      acceptedPerSecond: deliveries.accepted / seconds,
      cpuPercent: (serverCpu / windowSeconds) * 100,
      cpuMicrosPerDelivery: (serverCpu * 1e6) / Math.max(1, deliveries.latencies.length),
      clientCpuPercent: (clientCpu / windowSeconds) * 100,
      // Several processes hold their memory together.
      peakRssBytes: rss.reduce((sum, each) => sum + each.peak(), 0),
      window: { from, to },
    };
  } finally {
    for (const each of rss) each.stop();
    await pool?.close();
    await target?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Warms every server up (see WARMUP_KEYSTROKES) with clients of its own that leave afterwards. */
async function warmUp(servers: readonly ServerProcess[], { protocol, cookie, room }: { protocol: FanoutTarget['protocol']; cookie: string | null; room: string }): Promise<void> {
  const pool = WorkerPool.start(1);
  try {
    // All of them typing, each well within a socket's quota of updates (socketQuotas in blocks/contract.ts).
    const specs = Array.from({ length: WARMUP_CLIENTS }, (_, i) => ({ room, typeInto: TYPING_SECTIONS[i % TYPING_SECTIONS.length]! }));
    for (const server of servers) await pool.call(0, 'connect', { protocol, wsBase: server.wsBase, cookie, maxBackoffTime: 2500, clients: specs, timeoutMs: 120_000 });
    await pool.call(0, 'startTyping', { intervalMs: (1000 * WARMUP_CLIENTS * servers.length) / WARMUP_KEYSTROKES_PER_SECOND, record: false });
    await sleep((1000 * WARMUP_KEYSTROKES) / WARMUP_KEYSTROKES_PER_SECOND);
    const stopped = await pool.call(0, 'stopTyping');
    await pool.call(0, 'awaitClocks', { typists: stopped.typists, clocks: stopped.clocks, timeoutMs: 60_000 });
  } finally {
    await pool.close();
  }
}

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function oneServer(contender: Contender, options: Parameters<typeof startContender>[1]): Promise<FanoutTarget> {
  const { server, protocol, session } = await startContender(contender, options);
  return { servers: [server], protocol, session, stop: async () => void (await server.stop('SIGTERM')) };
}

/**
 * Each size runs every contender `runs` times, interleaved — ours, stock y-websocket,
 * Hocuspocus, then the reverse — so a machine getting busier or quieter falls on all of them.
 * Figures are medians over the runs; ratios are ours ÷ the peer's medians.
 */
export async function benchFanout(record: RecordFigure, { sizes, seconds, runs, seedFile }: { sizes: number[]; seconds: number; runs: number; seedFile: string }): Promise<void> {
  for (const clients of sizes) {
    const results = Object.fromEntries(CONTENDERS.map((contender) => [contender, [] as FanoutResult[]])) as Record<Contender, FanoutResult[]>;
    for (let run = 0; run < runs; run++) {
      for (const contender of run % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse()) {
        results[contender].push(await runFanout({ contender, clients, seconds, seedFile }));
      }
    }
    const label = `fan-out N=${clients}`;
    const of = (figure: (result: FanoutResult) => number) => (contender: Contender) => median(results[contender].map(figure));
    compare(record, `${label} (${clients / 5} typing 5/s, ${seconds} s, median of ${runs}): latency p50`, of((r) => r.latency.p50), (v) => `${v.toFixed(1)} ms`, 'best');
    compare(record, `${label}: latency p99`, of((r) => r.latency.p99), (v) => `${v.toFixed(1)} ms`, 'best');
    compare(record, `${label}: server CPU per delivered keystroke`, of((r) => r.cpuMicrosPerDelivery), (v) => `${v.toFixed(0)} µs`, 'best');
    compare(record, `${label}: server peak RSS`, of((r) => r.peakRssBytes), mib, 'lighter', 1.5);
    const each = (describe: (rs: FanoutResult[]) => string) => CONTENDERS.map((c) => `${CONTENDER_NAMES[c]} ${describe(results[c])}`).join(' · ');
    record(`${label}: latency max (worst run)`, each((rs) => `${Math.max(...rs.map((r) => r.latency.max)).toFixed(0)} ms`));
    record(
      `${label}: deliveries measured / expected (all runs)`,
      each((rs) => {
        const sum = (figure: (r: FanoutResult) => number) => rs.reduce((total, r) => total + figure(r), 0);
        return `${sum((r) => r.latency.count)}/${sum((r) => r.expected)}${sum((r) => r.missing) > 0 ? ` (${sum((r) => r.missing)} never arrived)` : ''}`;
      }),
    );
    record(`${label}: keystrokes accepted / typed per second`, each((rs) => `${median(rs.map((r) => r.acceptedPerSecond)).toFixed(0)}/${median(rs.map((r) => r.offeredPerSecond)).toFixed(0)}`));
    record(`${label}: server CPU (% of one core)`, each((rs) => `${median(rs.map((r) => r.cpuPercent)).toFixed(0)}%`));
    record(
      `${label}: client workers' CPU (% of one core, ${CLIENT_WORKERS} procs; machine ${os.cpus().length} cores)`,
      each((rs) => `${median(rs.map((r) => r.clientCpuPercent)).toFixed(0)}%`),
    );
  }
}

/**
 * One row: each contender's figure, then ours ÷ each peer's. The target is to be no worse than
 * the best of `among` (`best`), or at most `allowance` × the lighter of them (`lighter`); lower
 * is better. `among` is every peer unless a figure only means something for some of them.
 */
export function compare(
  record: RecordFigure,
  figure: string,
  value: (contender: Contender) => number,
  format: (value: number) => string,
  against: 'best' | 'lighter',
  allowance = 1,
  among: readonly Peer[] = PEERS,
): void {
  const ours = value('product');
  const best = Math.min(...among.map(value));
  const ratios = among.map((peer) => `${(ours / value(peer)).toFixed(2)}× ${CONTENDER_NAMES[peer]}`).join(', ');
  const values = CONTENDERS.map((contender) => `${CONTENDER_NAMES[contender]} ${format(value(contender))}`).join(' · ');
  const whom = among.length === PEERS.length ? 'the best peer' : among.map((peer) => CONTENDER_NAMES[peer]).join(' and ');
  const target = against === 'best' ? `ours ≤ ${whom}` : `ours ≤ ${allowance}× the lighter peer`;
  record(figure, verdict(`${values} (ours ${ratios})`, ours <= best * allowance), target);
}
