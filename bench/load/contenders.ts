/**
 * The servers the load benchmarks compare, all started as plain `node` on built JavaScript so
 * none carries tsx: ours as `npm run build` builds it (guard and durable log on, demo data), the
 * stock y-websocket server (in memory) and Hocuspocus 3 with its SQLite extension, each seeded
 * with the same demo report.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildServer } from '../../scripts/build-server.js';
import { leadSession } from './demo-session.js';
import type { ClientProtocol } from './protocol.js';
import { REPO_ROOT, reportServerEnv, startServerProcess, type ServerProcess } from './server-process.js';

export type Contender = 'product' | 'y-websocket' | 'hocuspocus';

/** Ours first; the order runs alternate, so neither peer always follows ours. */
export const CONTENDERS: readonly Contender[] = ['product', 'y-websocket', 'hocuspocus'];
export const PEERS = ['y-websocket', 'hocuspocus'] as const satisfies readonly Contender[];
export type Peer = (typeof PEERS)[number];
export const CONTENDER_NAMES: Record<Contender, string> = { product: 'ours', 'y-websocket': 'stock y-websocket', hocuspocus: 'Hocuspocus' };

/** The room the peers' clients open; ours opens a report by its id. */
export const PEER_ROOM = 'report';

const run = promisify(execFile);
let build: Promise<string> | null = null;

/**
 * Builds our server as `npm run build` does (into `server/`) and compiles the peers' launchers
 * (bench/load/tsconfig.servers.json) into a directory under node_modules/.cache, once per
 * benchmark process; it is removed when the process exits. Resolves with the directory.
 */
export function builtServers(): Promise<string> {
  build ??= (async () => {
    fs.mkdirSync(path.join(REPO_ROOT, 'node_modules/.cache'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'node_modules/.cache/bench-build-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', 'bench/load/tsconfig.servers.json', '--outDir', dir], { cwd: REPO_ROOT });
    await buildServer(path.join(dir, 'server'));
    return dir;
  })();
  return build;
}

export interface StartedContender {
  server: ServerProcess;
  protocol: ClientProtocol;
  /** The lead office's session and the demo's reports on ours; null for the peers, which have no login. */
  session: { cookie: string; reportIds: string[] } | null;
}

export interface ContenderOptions {
  /** A directory of the run's own: ours keeps its data there, Hocuspocus its SQLite file. */
  dataDir: string;
  /** The demo report as one Yjs update, for the peers (ours seeds its own demo data). */
  seedFile: string;
  nodeArgs?: string[];
  /** For ours: whether it seeds the demo district (the fan-out) or starts empty (`npm run serve`). */
  demo?: boolean;
}

export async function startContender(contender: Contender, { dataDir, seedFile, nodeArgs, demo = true }: ContenderOptions): Promise<StartedContender> {
  const dir = await builtServers();
  switch (contender) {
    case 'product': {
      const server = await startServerProcess(path.join(dir, 'server/main.js'), reportServerEnv(dataDir), { tsx: false, nodeArgs, scriptArgs: demo ? ['--demo'] : [] });
      return { server, protocol: 'y-websocket', session: demo ? await leadSession(server.httpUrl) : null };
    }
    case 'y-websocket': {
      const server = await startServerProcess(path.join(dir, 'bench/load/peers/y-websocket-server.js'), { SEED_FILE: seedFile }, { tsx: false, nodeArgs, wsPath: '' });
      return { server, protocol: 'y-websocket', session: null };
    }
    case 'hocuspocus': {
      const env = { SEED_FILE: seedFile, DB_FILE: path.join(dataDir, 'hocuspocus.sqlite'), ROOM: PEER_ROOM };
      const server = await startServerProcess(path.join(dir, 'bench/load/peers/hocuspocus-server.js'), env, { tsx: false, nodeArgs, wsPath: '' });
      return { server, protocol: 'hocuspocus', session: null };
    }
  }
}
