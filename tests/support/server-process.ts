import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { databaseUrlFor } from './test-database.js';

export interface ServerProcess {
  url: string;
  wsUrl: string;
  dataDir: string;
  /** Its SQLite file (a SQLite run), or null. */
  dbFile: string;
  /** Its PostgreSQL database (a PostgreSQL run), or null. */
  databaseUrl: string | null;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'report-editor-test-'));
}

/**
 * Starts the real server (`server/main.ts`, as `npm start` does: the demo, unless `demo` is false)
 * on a free loopback port and resolves once it listens. Restarting on the same data directory
 * reopens the same database. `command` runs something else that prints the same line (the built server).
 */
export async function startServer(options: { dataDir?: string; env?: Record<string, string>; command?: string[] } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? makeDataDir();
  const databaseUrl = options.env?.DATABASE_URL ?? (await databaseUrlFor(dataDir));
  const child: ChildProcess = spawn(process.execPath, options.command ?? ['--import', 'tsx', 'server/main.ts', '--demo'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      // A PostgreSQL run builds no browser app; a missing directory only disables static files.
      CLIENT_DIR: inject('clientDir') ?? path.join(dataDir, 'no-client'),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    wsUrl: url.replace('http://', 'ws://') + '/collab',
    dataDir,
    dbFile: path.join(dataDir, 'reports.sqlite'),
    databaseUrl,
    output: () => output,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
