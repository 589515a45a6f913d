import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs one of the bench's scripts in a fresh Node process (TypeScript through tsx, as the server
 * runs) and returns the JSON object it prints as its last line of output. A fresh process is the
 * point: nothing loaded, compiled or cached by this one carries over, as after a restart.
 */
export function runJsonChild<T>(script: string, args: readonly string[], nodeFlags: readonly string[] = []): Promise<T> {
  const scriptPath = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', scriptPath, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${stderr.trim() || stdout.trim()}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${stdout.trim()} ${stderr.trim()}`));
      }
    });
  });
}
