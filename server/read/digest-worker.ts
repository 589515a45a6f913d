import { parentPort } from 'node:worker_threads';
import type * as Y from 'yjs';
import { findFormat } from '../../blocks/annex/formats/index.js';
import type { FormatDefinition } from '../../blocks/annex/definition.js';
import type { LoggedUpdate } from '../db/update-log.js';
import { replayReport, ReportUnreadableError } from '../collab/report-store.js';
import { digestReport, sectionThen, type ReportDigest, type SectionThen } from './report-digest.js';
import { validateReport, type ReportValidationInput } from '../../blocks/annex/validate.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';

/** What is asked of a report: its digest, or one section as it stood (with the numbers of then). */
export type ReadQuestion = { kind: 'digest' } | { kind: 'section'; sectionId: string };

/** A report's stored history, sent from the main thread to be replayed here, and the question. */
export interface ReadRequest {
  id: number;
  reportId: string;
  format: string;
  /** The logged update the history ends with. */
  seq: number;
  snapshot: LoggedUpdate | null;
  updates: LoggedUpdate[];
  question: ReadQuestion;
}

/** The rules over a report already digested: its digest's parts and its context, the format by name. */
export interface RulesRequest {
  id: number;
  rules: Omit<ReportValidationInput, 'format'> & { format: string };
}

/** What each kind of question is answered with. */
export interface ReadAnswers {
  digest: ReportDigest;
  section: SectionThen;
  findings: Finding[];
}

export type ReadAnswer =
  | { id: number; value: ReadAnswers[keyof ReadAnswers] }
  | { id: number; unreadable: { kind: 'snapshot' | 'update'; seq: number; cause: string } }
  | { id: number; failed: string };

/**
 * Replays report histories and answers reads of them, and runs the rules over reports, off the
 * event loop that carries everyone's keystrokes: a 1 MB report takes tens of milliseconds to
 * rebuild and as long again to check, which there would stall every open report for a read.
 */
parentPort!.on('message', (request: ReadRequest | RulesRequest) => {
  parentPort!.postMessage('rules' in request ? findings(request) : answer(request));
});

function findings({ id, rules }: RulesRequest): ReadAnswer {
  const format = findFormat(rules.format);
  if (!format) return { id, failed: `unknown report format ${rules.format}` };
  try {
    return { id, value: validateReport({ ...rules, format }) };
  } catch (error) {
    return failure(id, error);
  }
}

function answer({ id, reportId, format, seq, snapshot, updates, question }: ReadRequest): ReadAnswer {
  const definition = findFormat(format);
  if (!definition) return { id, failed: `report ${reportId} has unknown format ${format}` };
  try {
    const doc = replayReport(reportId, snapshot, updates);
    try {
      return { id, value: answerFrom(doc, definition, seq, question) };
    } finally {
      doc.destroy();
    }
  } catch (error) {
    if (error instanceof ReportUnreadableError) return { id, unreadable: { ...error.part, cause: String((error.cause as Error)?.message ?? error.cause) } };
    return failure(id, error);
  }
}

function failure(id: number, error: unknown): ReadAnswer {
  return { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

function answerFrom(doc: Y.Doc, format: FormatDefinition, seq: number, question: ReadQuestion): ReadAnswers[ReadQuestion['kind']] {
  return question.kind === 'digest' ? digestReport(doc, format, seq) : sectionThen(doc, format, question.sectionId);
}

