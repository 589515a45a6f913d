import { parentPort } from 'node:worker_threads';
import { pdfText } from '../tests/support/documents.js';

export type PageCountAnswer = { pages: number } | { failed: string };

parentPort!.once('message', (bytes: Uint8Array) => {
  pdfText(bytes).then(
    ({ pages }) => parentPort!.postMessage({ pages: pages.length } satisfies PageCountAnswer),
    (error: unknown) => parentPort!.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies PageCountAnswer),
  );
});
