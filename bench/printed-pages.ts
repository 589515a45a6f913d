import { once } from 'node:events';
import { startWorkerBeside } from '../server/worker-threads.js';
import type { PageCountAnswer } from './printed-pages-worker.js';

/**
 * How many pages a PDF has, read by PDF.js in a worker thread of its own. PDF.js's legacy build
 * brings core-js, which replaces JSON.parse and JSON.stringify with script versions (Node 20
 * lacks JSON.rawJSON) in the realm that loads it: loaded in the bench's own thread, every
 * in-process figure after it (the log's appends write JSON) was measured with them, as no server
 * runs. The server reads PDFs in a worker too (server/import/import-worker.ts).
 */
export async function printedPageCount(bytes: Uint8Array): Promise<number> {
  const worker = startWorkerBeside(import.meta.url, 'printed-pages-worker');
  try {
    const answered = once(worker, 'message');
    worker.postMessage(bytes);
    const [answer] = (await answered) as [PageCountAnswer];
    if ('failed' in answer) throw new Error(`PDF.js could not read the printed PDF: ${answer.failed}`);
    return answer.pages;
  } finally {
    await worker.terminate();
  }
}
