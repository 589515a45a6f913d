import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leadSession } from './demo-session.js';
import { CLIENT_WORKERS } from './fanout.js';
import { startReportServer, type ServerProcess } from './server-process.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Our server on a data directory of its own, with the lead office's session and the client
 * worker processes: what the durability and storm parts share. The server can be stopped and
 * started again on the same port, so the clients reconnect to it by themselves.
 */
export interface LoadRig {
  readonly dataDir: string;
  readonly dbFile: string;
  readonly cookie: string;
  readonly reportIds: string[];
  readonly pool: WorkerPool;
  /** The server process running now. */
  readonly server: ServerProcess;
  /** Stops the server; resolves with when it stopped (the clients' clock). */
  stop(signal: NodeJS.Signals): Promise<number>;
  /** Starts the server again on the same port and data directory. */
  start(): Promise<ServerProcess>;
}

/** Runs `use` with a rig, and removes every process and file of it afterwards, whatever happened. */
export async function withLoadRig<T>(name: string, use: (rig: LoadRig) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `report-load-${name}-`));
  let server: ServerProcess | null = null;
  let pool: WorkerPool | null = null;
  try {
    server = await startReportServer({ dataDir });
    const port = server.port;
    const { cookie, reportIds } = await leadSession(server.httpUrl);
    pool = WorkerPool.start(CLIENT_WORKERS);
    const running = () => {
      if (!server) throw new Error('the server is stopped');
      return server;
    };
    const rig: LoadRig = {
      dataDir,
      dbFile: path.join(dataDir, 'reports.sqlite'),
      cookie,
      reportIds,
      pool,
      get server() {
        return running();
      },
      async stop(signal) {
        const stoppedAt = await running().stop(signal);
        server = null;
        return stoppedAt;
      },
      async start() {
        server = await startReportServer({ dataDir, port });
        return server;
      },
    };
    return await use(rig);
  } finally {
    await pool?.close();
    await server?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
