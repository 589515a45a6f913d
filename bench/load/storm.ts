import { CLIENT_WORKERS } from './fanout.js';
import { cpuWindow, rssBytes } from './process-meter.js';
import type { ClientSpec } from './protocol.js';
import { withLoadRig } from './load-rig.js';
import type { ServerProcess } from './server-process.js';
import { ms, sleep, summarise, verdict, type RecordFigure } from './stats.js';
import { dealOut } from './worker-pool.js';

/** y-websocket's default cap is 2500 ms; the backoff, not the server, would then dominate the figure. */
const MAX_BACKOFF_MS = 1000;

function currentRss(server: ServerProcess): number {
  const rss = rssBytes(server.pid);
  if (rss === null) throw new Error(`server ${server.pid} is gone:\n${server.output()}`);
  return rss;
}

/**
 * `clients` idle clients over the demo's two reports: the server's memory per connection and its
 * CPU while they sit there (over `idleSeconds`), then a restart (SIGTERM, start again on the
 * same port) and how long each client takes to be synced with the new process. Every report
 * must be loaded once, not once per reconnecting client.
 */
export async function benchStorm(record: RecordFigure, { clients, idleSeconds }: { clients: number; idleSeconds: number }): Promise<void> {
  await withLoadRig('storm', async (rig) => {
    const { pool, cookie, reportIds } = rig;
    const connect = (worker: number, rooms: string[]) =>
      pool.call(worker, 'connect', {
        protocol: 'y-websocket',
        wsBase: rig.server.wsBase,
        cookie,
        maxBackoffTime: MAX_BACKOFF_MS,
        clients: rooms.map((room): ClientSpec => ({ room, typeInto: null })),
        timeoutMs: 120_000,
      });

    // One client per report first, so the figure per connection leaves out the loaded documents.
    await connect(0, reportIds);
    await sleep(1000);
    const before = currentRss(rig.server);
    const rest = Array.from({ length: clients - reportIds.length }, (_, i) => reportIds[i % reportIds.length]!);
    await Promise.all(dealOut(rest, CLIENT_WORKERS).map((rooms, worker) => connect(worker, rooms)));
    await sleep(2000);
    const after = currentRss(rig.server);
    record(
      `idle connections: server RSS per connection (${rest.length} over ${reportIds.length} loaded reports)`,
      `${((after - before) / rest.length / 1024).toFixed(1)} KiB (RSS ${(before / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB)`,
    );
    // Idle is not silent: every client renews its presence every 15 s, the server relays it to
    // the whole room and each y-websocket client sends what it receives back, so this grows with
    // the square of a room's size.
    const cpu = cpuWindow(rig.server.pid);
    await sleep(idleSeconds * 1000);
    record(`idle connections: server CPU with ${clients} connected, nobody typing (${idleSeconds} s)`, `${cpu.stop().toFixed(0)}% of one core`);

    const stoppedAt = await rig.stop('SIGTERM');
    const server = await rig.start();
    const listeningAt = server.listeningAt;
    const resynced = (await pool.all('awaitSynced', { since: stoppedAt, timeoutMs: 60_000 })).flatMap((r) => [...r.syncedAt]);
    // Late loads would show up after the last client synced; give them a moment to be printed.
    await sleep(1000);
    const delays = resynced.filter((at) => !Number.isNaN(at)).map((at) => at - listeningAt);
    const resync = summarise(delays);
    const label = `restart storm (${clients} clients, ${CLIENT_WORKERS} worker procs, maxBackoffTime ${MAX_BACKOFF_MS} ms)`;
    record(`${label}: listening → synced p50 / p99 / max`, `${resync.p50.toFixed(0)} / ${resync.p99.toFixed(0)} / ${ms(resync.max, 0)}`);
    record(`${label}: clients resynced`, verdict(`${delays.length} of ${resynced.length}`, delays.length === resynced.length), 'target: all');
    const loads = server.roomLoads();
    const perReport = reportIds.map((id) => loads.filter((loaded) => loaded === id).length);
    record(
      `${label}: report loads by the new server`,
      verdict(perReport.map((count, i) => `${i === 0 ? 'current' : 'last year'} ×${count}`).join(', '), perReport.every((count) => count === 1) && loads.length === reportIds.length),
      'target: each report loaded exactly once',
    );
  });
}
