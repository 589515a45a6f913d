import { parentPort } from 'node:worker_threads';
import { ReportError, type ErrorCode } from '../../blocks/errors.js';
import { readImportedReport, type ImportedReport } from '../../blocks/import/report-import.js';
import type { ImportSource, WordDraft } from '../../blocks/import/source.js';
import { readUpload } from './read-upload.js';
import { convertWordDraft } from './word-draft.js';

/** One file to read, sent from the main thread: a published report (with the year, when named), or a department's draft. */
export type ImportJob = { job: 'report'; name: string; bytes: Uint8Array; year: number | undefined } | { job: 'draft'; name: string; bytes: Uint8Array };

/** What each job is answered with. */
export interface ImportResults {
  report: { source: ImportSource; traditional: boolean; report: ImportedReport };
  draft: WordDraft;
}

export type ImportAnswer = { done: ImportResults[ImportJob['job']] } | { refused: { code: ErrorCode; params: unknown } } | { failed: string };

async function run(job: ImportJob): Promise<ImportResults[ImportJob['job']]> {
  if (job.job === 'draft') return convertWordDraft(job.name, job.bytes);
  const { kind, blocks, traditional } = await readUpload({ name: job.name, bytes: job.bytes });
  return { source: kind, traditional, report: readImportedReport(blocks, job.year === undefined ? {} : { year: job.year }) };
}

/**
 * Reads one uploaded file off the event loop that carries everyone's keystrokes: a long PDF takes
 * PDF.js seconds to lay out, and a file built to exhaust a reader only exhausts this thread.
 */
parentPort!.once('message', (job: ImportJob) => {
  run(job).then(
    (done) => parentPort!.postMessage({ done } satisfies ImportAnswer),
    (error: unknown) =>
      parentPort!.postMessage(
        (error instanceof ReportError ? { refused: { code: error.code, params: error.params } } : { failed: error instanceof Error ? error.message : String(error) }) satisfies ImportAnswer,
      ),
  );
});
