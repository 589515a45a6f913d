/**
 * Load benchmarks against the real server process: idle memory, fan-out and opening a long report
 * beside the real peers (the stock y-websocket server and Hocuspocus), durability under SIGKILL, and a
 * reconnect storm after a restart. Each figure is recorded once, beside its target; nothing is
 * asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoReportUpdate } from '../../server/demo/seed-demo.js';
import { benchDurability } from './durability.js';
import { benchFanout } from './fanout.js';
import { benchIdleMemory } from './idle-memory.js';
import { benchIdleRead } from './idle-read.js';
import { benchJoin, benchJoinsWhileTyping } from './join.js';
import type { RecordFigure } from './stats.js';
import { benchStorm } from './storm.js';
import { benchCluster } from './cluster.js';

export async function benchLoad(record: RecordFigure, options: { quick?: boolean } = {}): Promise<void> {
  const quick = options.quick ?? false;
  const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-seed-'));
  try {
    // The peers start their room from the same demo report our server seeds.
    const seedFile = path.join(seedDir, 'demo-report.update');
    fs.writeFileSync(seedFile, buildDemoReportUpdate());
    await benchIdleMemory(record, { seedFile });
    await benchFanout(record, quick ? { sizes: [10], seconds: 3, runs: 1, seedFile } : { sizes: [10, 50, 100, 200], seconds: 10, runs: 5, seedFile });
    await benchJoin(record, quick ? { updates: 5_000, runs: 1, joins: 3 } : { updates: 200_000, runs: 5, joins: 10 });
    await benchJoinsWhileTyping(record, quick ? { updates: 5_000, seconds: 5 } : { updates: 50_000, seconds: 12 });
    await benchIdleRead(record, quick ? { seconds: 6, updates: 2_000 } : { seconds: 15, updates: 20_000 });
    await benchDurability(record, quick ? { clients: 10, kills: 1 } : { clients: 50, kills: 5 });
    await benchStorm(record, quick ? { clients: 50, idleSeconds: 3 } : { clients: 500, idleSeconds: 15 });
    await benchCluster(record, { quick, seedFile });
  } finally {
    fs.rmSync(seedDir, { recursive: true, force: true });
  }
}
