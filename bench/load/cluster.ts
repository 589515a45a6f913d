/**
 * Several server processes on PostgreSQL and Redis (issue 14), each started for the run from
 * Debian's packages on loopback: appending a keystroke on PostgreSQL beside SQLite, the fan-out
 * with its clients spread over two processes beside the same load on one, and the time clients
 * take to be served again after the process holding their report is killed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { ReportStore } from '../../server/collab/report-store.js';
import { openDatabase, openTarget, type OpenedDatabase } from '../../server/db/database.js';
import { seedDemoIfEmpty } from '../../server/demo/seed-demo.js';
import { startBalancer } from '../../tests/support/balancer.js';
import { queryPostgres, startPostgresCluster, type PostgresCluster } from '../../tests/support/postgres.js';
import { startRedisServer, type RedisServer } from '../../tests/support/redis.js';
import { builtServers } from './contenders.js';
import { leadSession } from './demo-session.js';
import { CLIENT_WORKERS, KEYSTROKE_INTERVAL_MS, runFanout, typingClients, type FanoutResult, type FanoutTarget } from './fanout.js';
import { reportServerEnv, startServerProcess, type ServerProcess } from './server-process.js';
import { median, mib, ms, sleep, summarise, verdict, wallNow, type RecordFigure } from './stats.js';
import { WorkerPool, dealOut } from './worker-pool.js';

export async function benchCluster(record: RecordFigure, { quick, seedFile }: { quick: boolean; seedFile: string }): Promise<void> {
  const [postgres, redis] = await Promise.all([startPostgresCluster(), startRedisServer()]);
  try {
    await benchAppend(record, postgres, quick ? 500 : 3000);
    await benchSpreadFanout(record, postgres, redis, quick ? { clients: 10, seconds: 3, runs: 1, seedFile } : { clients: 50, seconds: 10, runs: 3, seedFile });
    await benchFailover(record, postgres, redis, quick ? 10 : 40);
  } finally {
    await Promise.all([postgres.stop(), redis.stop()]);
  }
}

/** One keystroke logged as a room logs it (the update, its section index row), on each engine. */
async function benchAppend(record: RecordFigure, postgres: PostgresCluster, keystrokes: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-append-'));
  try {
    const engines: Array<[string, () => Promise<OpenedDatabase>]> = [
      ['SQLite', () => openDatabase(path.join(dir, 'reports.sqlite'))],
      ['PostgreSQL', async () => openTarget({ kind: 'postgres', url: await postgres.createDatabase('append') })],
    ];
    const figures: string[] = [];
    for (const [name, open] of engines) {
      const opened = await open();
      try {
        await seedDemoIfEmpty(opened.db);
        const report = await opened.db.selectFrom('reports').select('id').orderBy('year', 'desc').executeTakeFirstOrThrow();
        const writer = await opened.db.selectFrom('users').select('id').where('username', '=', 'finance').executeTakeFirstOrThrow();
        const store = new ReportStore(opened);
        const typist = new Y.Doc();
        const updates: Uint8Array[] = [];
        typist.on('update', (update: Uint8Array) => updates.push(update));
        for (let i = 0; i < keystrokes; i++) typist.getText('typed').insert(i, '字');
        let seq = await store.lastSeq(report.id);
        const times: number[] = [];
        for (const update of updates) {
          const started = performance.now();
          await store.append(report.id, ++seq, update, writer.id, ['overview-finance']);
          times.push(performance.now() - started);
        }
        const summary = summarise(times);
        figures.push(`${name} ${summary.p50.toFixed(2)} / ${summary.p99.toFixed(2)} ms`);
      } finally {
        await opened.close();
      }
    }
    record(`append one keystroke (${keystrokes}, one at a time as a room's queue does): p50 / p99`, figures.join(' · '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Our built server, `count` processes on one fresh PostgreSQL database (and Redis when several). */
async function startOurs(postgres: PostgresCluster, redis: RedisServer, count: number, dataDir: string, extraEnv: Record<string, string> = {}): Promise<FanoutTarget & { databaseUrl: string }> {
  const dir = await builtServers();
  const databaseUrl = await postgres.createDatabase('cluster');
  const env = { ...reportServerEnv(dataDir), DATABASE_URL: databaseUrl, ...(count > 1 ? { REDIS_URL: redis.url } : {}), ...extraEnv };
  const servers: ServerProcess[] = [];
  const stop = async () => {
    for (const server of servers) await server.stop('SIGTERM');
  };
  try {
    // One after the other: the first creates the demo district, the others find it.
    for (let i = 0; i < count; i++) servers.push(await startServerProcess(path.join(dir, 'server/main.js'), env, { tsx: false, scriptArgs: ['--demo'] }));
    return { servers, protocol: 'y-websocket', session: await leadSession(servers[0]!.httpUrl), stop, databaseUrl };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The fan-out with half the clients on each of two processes (one of them pipes its sockets to
 * the other, which holds the report) beside the same load on one process, both on PostgreSQL.
 */
async function benchSpreadFanout(record: RecordFigure, postgres: PostgresCluster, redis: RedisServer, { clients, seconds, runs, seedFile }: { clients: number; seconds: number; runs: number; seedFile: string }): Promise<void> {
  const results = { one: [] as FanoutResult[], two: [] as FanoutResult[] };
  for (let run = 0; run < runs; run++) {
    for (const layout of run % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const)) {
      const count = layout === 'one' ? 1 : 2;
      results[layout].push(await runFanout({ contender: 'product', clients, seconds, seedFile, start: (dataDir) => startOurs(postgres, redis, count, dataDir) }));
    }
  }
  const of = (layout: 'one' | 'two', figure: (result: FanoutResult) => number) => median(results[layout].map(figure));
  const row = (figure: (result: FanoutResult) => number, format: (value: number) => string) => `one process ${format(of('one', figure))} · two processes ${format(of('two', figure))}`;
  const label = `cluster fan-out N=${clients} on PostgreSQL (${clients / 5} typing, ${seconds} s, median of ${runs})`;
  record(`${label}: latency p50 / p99`, row((r) => r.latency.p50, (v) => v.toFixed(1)) + ' ms (p50) · ' + row((r) => r.latency.p99, (v) => v.toFixed(1)) + ' ms (p99)');
  record(`${label}: server CPU per delivered keystroke (all processes)`, row((r) => r.cpuMicrosPerDelivery, (v) => `${v.toFixed(0)} µs`));
  record(`${label}: peak RSS (all processes)`, row((r) => r.peakRssBytes, mib));
  const delivered = (layout: 'one' | 'two') => results[layout].reduce((sum, r) => sum + r.latency.count, 0) + '/' + results[layout].reduce((sum, r) => sum + r.expected, 0);
  record(`${label}: deliveries measured / expected`, `one process ${delivered('one')} · two processes ${delivered('two')}`);
}

const FAILOVER_LEASE_MS = 6000;

/**
 * Two processes behind a balancer, `clients` clients typing and reading one report through it;
 * the process holding the report is killed (SIGKILL). How long until each client is synced again
 * — on the live process, once the dead one's lease has run out.
 */
async function benchFailover(record: RecordFigure, postgres: PostgresCluster, redis: RedisServer, clients: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-failover-'));
  const target = await startOurs(postgres, redis, 2, dataDir, { REPORT_LEASE_MS: String(FAILOVER_LEASE_MS) });
  const balancer = await startBalancer(target.servers.map((server) => server.httpUrl));
  const pool = WorkerPool.start(CLIENT_WORKERS);
  try {
    const { cookie, reportIds } = target.session!;
    const reportId = reportIds[0]!;
    const specs = typingClients(reportId, clients);
    await Promise.all(
      dealOut(specs, CLIENT_WORKERS).map((hand, worker) =>
        pool.call(worker, 'connect', { protocol: 'y-websocket', wsBase: balancer.wsUrl, cookie, maxBackoffTime: 1000, clients: hand, timeoutMs: 60_000 }),
      ),
    );
    await pool.all('startTyping', { intervalMs: KEYSTROKE_INTERVAL_MS, record: false });
    await sleep(2000);
    const [lease] = await queryPostgres<{ url: string }>(target.databaseUrl, 'select url from report_leases where report_id = $1', [reportId]);
    const holder = target.servers.find((server) => server.httpUrl === lease?.url);
    if (!holder) throw new Error(`no process holds report ${reportId} (lease: ${lease?.url})`);
    const killedAt = wallNow();
    await holder.stop('SIGKILL');
    const synced = (await pool.all('awaitSynced', { since: killedAt, timeoutMs: 60_000 })).flatMap((answer) => [...answer.syncedAt]);
    await pool.all('stopTyping');
    const delays = synced.filter((at) => !Number.isNaN(at)).map((at) => at - killedAt);
    const summary = summarise(delays);
    // How the survivor took the report: it found the holder refusing connections (and logged
    // ending its lease), or the lease ran out by itself.
    const survivor = target.servers.find((server) => server !== holder)!;
    const taken = survivor.output().includes(`lease-ended report=${reportId}`) ? 'the holder refused a connection' : 'the lease ran out';
    record(
      `failover: SIGKILL of the holder, ${clients} clients through a balancer, lease ${FAILOVER_LEASE_MS / 1000} s: kill → synced again p50 / p99 / max`,
      verdict(`${ms(summary.p50, 0)} / ${ms(summary.p99, 0)} / ${ms(summary.max, 0)}; ${delays.length} of ${synced.length} clients back; taken over as ${taken}`, delays.length === synced.length),
      'within seconds, every client',
    );
  } finally {
    await pool.close();
    await balancer.close();
    await target.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
