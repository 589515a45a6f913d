import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Accounts } from '../../server/admin/accounts.js';
import { openDatabase } from '../../server/db/database.js';
import { rssBytes } from './process-meter.js';
import { REPO_ROOT, startBaselineServer, startReportServer, startServerProcess, type ServerProcess } from './server-process.js';
import { sleep, type RecordFigure } from './stats.js';

const run = promisify(execFile);
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

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/**
 * What each server holds in memory with nobody connected: the district's install (`npm run
 * serve`: the built server, plain node), the demo (`npm start`: tsx, demo data) and the minimal
 * in-memory relay, started from the same demo report.
 */
export async function benchIdleMemory(record: RecordFigure, { seedFile }: { seedFile: string }): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-idle-memory-'));
  fs.mkdirSync(path.join(REPO_ROOT, 'node_modules/.cache'), { recursive: true });
  const buildDir = fs.mkdtempSync(path.join(REPO_ROOT, 'node_modules/.cache/bench-build-'));
  try {
    await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', buildDir], { cwd: REPO_ROOT });
    const serveDir = path.join(dataDir, 'serve');
    const database = await openDatabase(path.join(serveDir, 'reports.sqlite'));
    await new Accounts(database.db).init({ district: '示范区', username: 'admin', password: 'Bench-operator-2026' });
    await database.close();
    const serve = await idleRss(
      await startServerProcess(path.join(buildDir, 'server/main.js'), { PORT: '0', DATA_DIR: serveDir, CLIENT_DIR: path.join(dataDir, 'no-client') }, { tsx: false }),
    );
    const demo = await idleRss(await startReportServer({ dataDir: path.join(dataDir, 'demo') }));
    const relay = await idleRss(await startBaselineServer({ seedFile }));
    record('idle memory: RSS with nobody connected — npm run serve / npm start / minimal relay', `${mib(serve)} / ${mib(demo)} / ${mib(relay)}`, 'serve close to a plain Yjs server');
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
