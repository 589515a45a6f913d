import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts the worker whose entry module `name` sits beside the calling module (`callerUrl`, its
 * `import.meta.url`): built JavaScript in production — every entry of the bundle is in one
 * folder — and TypeScript through tsx in development and tests (a worker's entry file does not go
 * through tsx's loader, so it is imported through tsx's API).
 */
export function startWorkerBeside(callerUrl: string, name: string, resourceLimits?: ResourceLimits): Worker {
  const here = fileURLToPath(callerUrl);
  const file = path.join(path.dirname(here), `${name}${path.extname(here)}`);
  if (!file.endsWith('.ts')) return new Worker(file, { resourceLimits });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then((tsx) => tsx.tsImport(${JSON.stringify(pathToFileURL(file).href)}, ${JSON.stringify(callerUrl)}))`, { eval: true, resourceLimits });
}
