import * as Y from 'yjs';
import { ReportStore } from '../../server/collab/report-store.js';
import { openDatabase } from '../../server/db/database.js';
import { CLIENT_WORKERS, KEYSTROKE_INTERVAL_MS, typingClients } from './fanout.js';
import { withLoadRig } from './load-rig.js';
import { sleep, verdict, type RecordFigure } from './stats.js';
import { dealOut } from './worker-pool.js';

/**
 * Each typist's clock as the server stored it, read from the SQLite file as the restarted server
 * opens it: what the killed server's journal holds moves in first.
 */
async function persistedClocks(dbFile: string, reportId: string, typists: number[]): Promise<number[]> {
  const database = await openDatabase(dbFile, { journal: { onError: (error) => console.error(error) } });
  try {
    const { doc } = await new ReportStore(database).load(reportId);
    const clocks = typists.map((typist) => Y.getState(doc.store, typist));
    doc.destroy();
    return clocks;
  } finally {
    // The restarted server must be the file's only writer.
    await database.close();
  }
}

/**
 * Under typing load, SIGKILLs the server `kills` times. After each kill, every keystroke any
 * reading client had received must already be in the database: the server logs before it
 * broadcasts. Clients reconnect by themselves to the server restarted on the same port.
 */
export async function benchDurability(record: RecordFigure, { clients, kills }: { clients: number; kills: number }): Promise<void> {
  await withLoadRig('durability', async (rig) => {
    const reportId = rig.reportIds[0]!;
    const wsBase = rig.server.wsBase;
    const connected = await Promise.all(
      dealOut(typingClients(reportId, clients), CLIENT_WORKERS).map((hand, worker) =>
        rig.pool.call(worker, 'connect', { protocol: 'y-websocket', wsBase, cookie: rig.cookie, maxBackoffTime: 1000, clients: hand, timeoutMs: 60_000 }),
      ),
    );
    const typists = connected.flatMap((c) => c.typists);
    await rig.pool.all('startTyping', { intervalMs: KEYSTROKE_INTERVAL_MS, record: false });

    const perKill: string[] = [];
    let totalLost = 0;
    for (let kill = 1; kill <= kills; kill++) {
      await sleep(1000 + Math.random() * 3000);
      const killedAt = await rig.stop('SIGKILL');
      const seen = new Map<number, number>();
      for (const readers of await rig.pool.all('receivedByReaders', { timeoutMs: 10_000 })) {
        readers.clients.forEach((id, i) => seen.set(id, Math.max(readers.clocks[i]!, seen.get(id) ?? 0)));
      }
      const persisted = await persistedClocks(rig.dbFile, reportId, typists);
      const lost = typists.reduce((sum, typist, i) => sum + Math.max(0, (seen.get(typist) ?? 0) - persisted[i]!), 0);
      const received = typists.reduce((sum, typist) => sum + (seen.get(typist) ?? 0), 0);
      totalLost += lost;
      perKill.push(`#${kill}: ${lost} / ${received}`);

      const server = await rig.start();
      const resynced = await rig.pool.all('awaitSynced', { since: killedAt, timeoutMs: 60_000 });
      const stragglers = resynced.reduce((sum, r) => sum + r.syncedAt.filter(Number.isNaN).length, 0);
      if (stragglers > 0) {
        throw new Error(`${stragglers} clients did not resync after kill ${kill}:\n${resynced.flatMap((r) => r.stragglers).join('\n')}\nthe server said:\n${server.output()}`);
      }
    }
    const stopped = await rig.pool.all('stopTyping');
    const typed = stopped.reduce((sum, s) => sum + s.keystrokes, 0);
    // Every keystroke, including those typed while the server was down, must reach everyone in the end.
    const converged = await rig.pool.all('awaitClocks', { typists: stopped.flatMap((s) => s.typists), clocks: stopped.flatMap((s) => s.clocks), timeoutMs: 30_000 });
    const label = `SIGKILL ×${kills} under load (N=${clients}, ${typists.length} typing 5/s)`;
    record(`${label}: keystrokes typed`, `${typed}${converged.every((c) => c.reached) ? ', all clients converged' : ' — clients did NOT converge'}`);
    record(`${label}: keystrokes lost`, verdict(`${totalLost}`, totalLost === 0), 'target 0, always');
    record(`${label}: per kill, lost / received by readers so far`, perKill.join(', '));
  });
}
