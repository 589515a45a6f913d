import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onFreePort, PortTakenError } from './free-port.js';
import pg from 'pg';
import { int8AsNumber } from '../../server/db/postgres-dialect.js';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly adminUrl: string;
  /** Creates a fresh, empty database with a unique name and resolves with its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

const BIN = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
// Enough of the log to explain a failure, without letting a chatty server grow the test process.
const OUTPUT_LIMIT = 64 * 1024;

/**
 * Starts a throwaway PostgreSQL 15 server from Debian's binaries, listening on 127.0.0.1 only,
 * on a free port, with its data and socket in a fresh temporary directory. Authentication is
 * `trust`: nothing but this machine can reach it, and it lives only as long as the test run.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-editor-pg-'));
  const dataDir = path.join(dir, 'data');
  const owner = serverOwner();
  // initdb and postgres refuse to run as root, so as root the directory must belong to the
  // `postgres` user who will run them.
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);

  try {
    await initdb(dataDir, owner);
    return await onFreePort(async (port) => cluster(dir, port, await startServer(dir, dataDir, port, owner)));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** Who must run initdb and postgres: the `postgres` user when we are root, else ourselves (undefined). */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs a PostgreSQL binary as `owner`. Node switches the user itself rather than going through
 * `runuser`, because `runuser` would stand between us and postgres: it ignores SIGINT (postgres's
 * fast shutdown), and answers SIGTERM by passing on SIGTERM (a "smart" shutdown that waits for
 * every client) and SIGKILLing the server two seconds later, which leaves its backends running.
 */
function spawnAs(owner: Owner | undefined, command: string, args: string[], cwd: string): ChildProcess {
  // PG* variables of the developer's own setup (PGDATA, PGPORT, ...) must not steer these binaries.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
  return spawn(path.join(BIN, command), args, {
    // The postgres user may not be allowed into our working directory, and postgres wants to know where it is.
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
}

/** Collects what a child prints, keeping only the tail; reading continuously also keeps a full pipe from blocking it. */
function captureOutput(child: ChildProcess): () => string {
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return () => output;
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', reject);
  });
}

async function initdb(dataDir: string, owner: Owner | undefined): Promise<void> {
  const failures: string[] = [];
  // C.UTF-8 sorts bytewise like C but still classifies non-ASCII (Chinese) text; plain C is the
  // fallback for machines whose libc lacks that locale.
  for (const locale of ['C.UTF-8', 'C']) {
    const child = spawnAs(
      owner,
      'initdb',
      ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', `--locale=${locale}`, '--no-sync'],
      path.dirname(dataDir),
    );
    const output = captureOutput(child);
    const { code, signal } = await waitForExit(child).catch((error: Error) => {
      throw new Error(`could not run initdb (${error.message}); \`bash scripts/ensure-test-machine.sh\` installs PostgreSQL 15`, { cause: error });
    });
    if (code === 0) return;
    failures.push(`initdb --locale=${locale} exited with ${code ?? signal}:\n${output()}`);
    // initdb cleans up after itself on failure, but not when it is killed.
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  throw new Error(failures.join('\n'));
}

interface RunningServer {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startServer(dir: string, dataDir: string, port: number, owner: Owner | undefined): Promise<RunningServer> {
  const child = spawnAs(
    owner,
    'postgres',
    [
      '-D', dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${dir}`,
      // Durability against a machine crash is worthless for a throwaway cluster; a client process
      // that dies still leaves its committed data behind.
      '-c', 'fsync=off',
      '-c', 'full_page_writes=off',
      // Tests open many pools side by side.
      '-c', 'max_connections=300',
    ],
    dir,
  );
  const output = captureOutput(child);
  const exited = waitForExit(child);
  const running: RunningServer = { child, output, exited };

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true), () => (exitedEarly = true));
  let lastError: unknown;
  // A log line such as "ready to accept connections" only says the postmaster listens; a real
  // connection proves that the startup process has also finished and queries can run.
  while (!exitedEarly && Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return running;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  if (exitedEarly) {
    const { code, signal } = await exited.catch((error: Error) => ({ code: null, signal: error.message }));
    const message = `postgres exited with ${code ?? signal} before accepting connections:\n${output()}`;
    if (/could not bind IPv4 address .*Address already in use/.test(output())) throw new PortTakenError(message);
    throw new Error(message);
  }
  await shutdown(running);
  throw new Error(`postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s (${String(lastError)}):\n${output()}`);
}

/** Fast shutdown (SIGINT: roll back, disconnect clients, checkpoint); escalates if postgres hangs. */
async function shutdown({ child, exited }: RunningServer): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const escalate = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      // SIGQUIT is postgres's immediate shutdown, which also takes its backends down; a SIGKILLed
      // postmaster would leave them to notice its death on their own.
      child.kill('SIGQUIT');
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 5_000);
    }, STOP_GRACE_MS);
  });
  await Promise.race([exited.then(() => undefined, () => undefined), escalate]);
  clearTimeout(timer);
  await exited.catch(() => undefined);
}

function cluster(dir: string, port: number, server: RunningServer): PostgresCluster {
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;

  // A test process that ends without calling stop() (a crash, an interrupted run) must not leave
  // a server behind; 'exit' handlers can only do synchronous work, and sending a signal is.
  const onExit = () => {
    server.child.kill('SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    adminUrl,
    createDatabase(prefix = 'test') {
      return createPostgresDatabase(adminUrl, prefix).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${server.output()}`, { cause: error });
      });
    },
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await shutdown(server);
        fs.rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Runs `query` on the database at `url` over a connection of its own; 64-bit integers read as the server reads them. */
export async function queryPostgres<T>(url: string, query: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, types: int8AsNumber });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the server at `adminUrl`, named after `prefix`; its URL. */
export async function createPostgresDatabase(adminUrl: string, prefix: string): Promise<string> {
  // Unquoted-identifier style keeps the name easy to type in psql when debugging a test.
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40)}_${randomBytes(6).toString('hex')}`;
  try {
    await queryPostgres(adminUrl, `CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new Error(`CREATE DATABASE ${name} failed: ${(error as Error).message}`, { cause: error });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
