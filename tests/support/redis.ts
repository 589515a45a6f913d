import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onFreePort, PortTakenError } from './free-port.js';

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 10_000;
// Enough of the log to explain a failure, without letting a chatty server grow the test process.
const OUTPUT_LIMIT = 64 * 1024;

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** Stops the server (SIGTERM, SIGKILL if it hangs) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 only, on a free port, without persistence:
 * whatever a test writes lives exactly as long as this server.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-editor-redis-'));
  try {
    return await onFreePort((port) => startOn(dir, port));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startOn(dir: string, port: number): Promise<RedisServer> {
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', reject);
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not become ready within ${START_TIMEOUT_MS / 1000} s:\n${output}`));
    }, START_TIMEOUT_MS);
    let ready = false;
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
      // redis prints this only after it has bound its port and loaded its (empty) data set.
      if (!ready && output.includes('Ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    };
    // Both pipes stay read for the server's whole life, so a full pipe can never block it.
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    exited.then(
      ({ code, signal }) => {
        clearTimeout(timer);
        const message = `redis-server exited with ${code ?? signal} before it was ready:\n${output}`;
        reject(/Address already in use/.test(output) ? new PortTakenError(message) : new Error(message));
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(new Error(`could not run ${REDIS_SERVER} (${error.message}); \`bash scripts/ensure-test-machine.sh\` installs it`, { cause: error }));
      },
    );
  });

  // A test process that ends without calling stop() must not leave a server behind; 'exit'
  // handlers can only do synchronous work, and sending a signal is.
  const onExit = () => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await exited.catch(() => undefined);
          clearTimeout(timer);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
