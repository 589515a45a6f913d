import { spawn } from 'node:child_process';
import path from 'node:path';
import { wallNow } from './stats.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly httpUrl: string;
  /** Base URL the y-websocket provider appends the room name to. */
  readonly wsBase: string;
  /** When the process printed its "listening" line (wallNow()). */
  readonly listeningAt: number;
  /** Report ids of the `room-loaded report=…` lines printed so far, in order. */
  roomLoads(): string[];
  /** The tail of what the process printed, for failure messages. */
  output(): string;
  readonly alive: boolean;
  /** Sends `signal` and resolves with the time (wallNow()) the process was seen to exit. */
  stop(signal: NodeJS.Signals): Promise<number>;
}

const OUTPUT_KEPT = 64 * 1024;

/**
 * Starts `script` as its own process — under tsx, or as built JavaScript by plain node (`tsx:
 * false`) — and resolves once it prints `listening on http://127.0.0.1:<port>`. The pid is the
 * server itself (tsx runs in-process as an import hook), so /proc figures read from it are the server's.
 */
export async function startServerProcess(
  script: string,
  env: Record<string, string>,
  {
    nodeArgs = [],
    scriptArgs = [],
    tsx = true,
    wsPath = '/collab',
  }: { nodeArgs?: string[]; scriptArgs?: string[]; tsx?: boolean; /** Where its WebSocket clients connect. */ wsPath?: string } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, ...(tsx ? ['--import', 'tsx'] : []), script, ...scriptArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partialLine = '';
  const loads: string[] = [];
  const keep = (text: string) => {
    output = (output + text).slice(-OUTPUT_KEPT);
  };
  let exitedAt = 0;
  const exited = new Promise<number>((resolve) =>
    child.once('exit', () => {
      exitedAt = wallNow();
      resolve(exitedAt);
    }),
  );
  child.stderr.on('data', (chunk: Buffer) => keep(chunk.toString()));

  const listening = new Promise<{ port: number; at: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const at = wallNow();
      const text = chunk.toString();
      keep(text);
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop()!;
      for (const line of lines) {
        const listen = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (listen) {
          clearTimeout(timer);
          resolve({ port: Number(listen[1]), at });
        }
        const load = /room-loaded report=(\S+)/.exec(line);
        if (load) loads.push(load[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before listening:\n${output}`));
    });
  });

  let started: { port: number; at: number };
  try {
    started = await listening;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const httpUrl = `http://127.0.0.1:${started.port}`;
  return {
    pid: child.pid!,
    port: started.port,
    httpUrl,
    wsBase: `ws://127.0.0.1:${started.port}${wsPath}`,
    listeningAt: started.at,
    roomLoads: () => [...loads],
    output: () => output,
    get alive() {
      return exitedAt === 0;
    },
    async stop(signal) {
      if (exitedAt !== 0) return exitedAt;
      child.kill(signal);
      // A server that hangs while shutting down must not hang the benchmark too.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const at = await exited;
      clearTimeout(timer);
      return at;
    },
  };
}

/** Our server's environment for the benchmarks, on `dataDir`; port 0 picks a free one. */
export function reportServerEnv(dataDir: string, port = 0): Record<string, string> {
  return {
    PORT: String(port),
    DATA_DIR: dataDir,
    // The benchmarks never load the browser app; a missing directory only disables static files.
    CLIENT_DIR: path.join(dataDir, 'no-client'),
    // Every simulated client shares the lead office's one login; each socket keeps its own quotas.
    COLLAB_SOCKETS_PER_SESSION: '10000',
    COLLAB_SOCKETS_PER_USER: '10000',
  };
}

/** The real server, as `npm start` runs it (tsx, demo data), on `dataDir`; `port` 0 picks a free one. */
export function startReportServer(options: { dataDir: string; port?: number; nodeArgs?: string[] }): Promise<ServerProcess> {
  return startServerProcess('server/main.ts', reportServerEnv(options.dataDir, options.port), { nodeArgs: options.nodeArgs, scriptArgs: ['--demo'] });
}
