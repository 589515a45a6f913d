import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Accounts } from '../../server/admin/accounts.js';
import { openDatabase } from '../../server/db/database.js';
import { CONTENDER_NAMES, PEERS, startContender, type Contender } from './contenders.js';
import { compare } from './fanout.js';
import { rssBytes } from './process-meter.js';
import { startReportServer, type ServerProcess } from './server-process.js';
import { mib, sleep, type RecordFigure } from './stats.js';

/** Long enough for start-up work (migrations, the first sweep, JIT) to settle. */
const SETTLE_MS = 3000;

async function idleRss(server: ServerProcess): Promise<number> {
  try {
    await fetch(`${server.httpUrl}/healthz`);
    await sleep(SETTLE_MS);
    const rss = rssBytes(server.pid);
    if (rss === null) throw new Error(`server ${server.pid} is gone:\n${server.output()}`);
    return rss;
  } finally {
    await server.stop('SIGTERM');
  }
}

/**
 * What each server holds in memory with nobody connected: the district's install (`npm run
 * serve`: the built server, plain node, one district set up by `admin init`) beside the peers
 * started from the demo report, and the demo (`npm start`: tsx, demo data) for reference.
 */
export async function benchIdleMemory(record: RecordFigure, { seedFile }: { seedFile: string }): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-idle-memory-'));
  try {
    const serveDir = path.join(dataDir, 'serve');
    const database = await openDatabase(path.join(serveDir, 'reports.sqlite'));
    await new Accounts(database.db).init({ district: '示范区', username: 'admin', password: 'Bench-operator-2026' });
    await database.close();
    const idle = { product: 0, 'y-websocket': 0, hocuspocus: 0 } satisfies Record<Contender, number>;
    idle.product = await idleRss((await startContender('product', { dataDir: serveDir, seedFile, demo: false })).server);
    for (const peer of PEERS) {
      const peerDir = path.join(dataDir, peer);
      fs.mkdirSync(peerDir);
      idle[peer] = await idleRss((await startContender(peer, { dataDir: peerDir, seedFile })).server);
    }
    compare(record, 'idle memory: RSS with nobody connected (ours: npm run serve)', (contender) => idle[contender], mib, 'lighter', 1.5);
    const demo = await idleRss(await startReportServer({ dataDir: path.join(dataDir, 'demo') }));
    record(`idle memory: npm start (the demo: tsx, demo data) for reference`, `${mib(demo)} (${CONTENDER_NAMES.product} serve ${mib(idle.product)})`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
