import path from 'node:path';
import * as Y from 'yjs';
import { createReportDoc } from '../../server/collab/report-store.js';
import { buildDemoReportUpdate } from '../../server/demo/seed-demo.js';
import { importReport, openBenchDatabase } from './bench-database.js';
import { ReportWriter } from './report-writer.js';
import { seededRandom } from '../../tests/support/seeded-random.js';
import { pasteUntil, typeUntil } from './writing-patterns.js';

export interface StoredPattern {
  /** For the figure's name. */
  name: string;
  /** Ids of identical copies, each compacted into one snapshot; the first is for warming up. */
  reportIds: string[];
}

export interface ReportCopies {
  file: string;
  history: StoredPattern;
  typed: StoredPattern;
  pasted: StoredPattern;
}

function demoReport(): Y.Doc {
  const doc = createReportDoc();
  Y.applyUpdate(doc, buildDemoReportUpdate());
  return doc;
}

/**
 * The long-history report and two reports of its size written the two extreme ways — typed one
 * keystroke at a time, and pasted a paragraph at a time — each stored `openRooms + 1` times in
 * one database (the first copy warms a process up). Yjs keeps objects per struct and replays
 * struct by struct, and how the text was entered decides how many structs there are.
 */
export async function storeReportCopies(dir: string, history: Y.Doc, openRooms: number): Promise<ReportCopies> {
  const targetBytes = Y.encodeStateAsUpdate(history).byteLength;
  const typed = new ReportWriter(demoReport(), seededRandom(30_000));
  const keystrokes = typeUntil(typed, targetBytes);
  const pasted = new ReportWriter(demoReport(), seededRandom(40_000));
  const pastes = pasteUntil(pasted, targetBytes);

  const file = path.join(dir, 'copies.sqlite');
  const bench = await openBenchDatabase(file);
  try {
    const store = async (key: string, name: string, doc: Y.Doc): Promise<StoredPattern> => {
      const reportIds = Array.from({ length: openRooms + 1 }, (_, i) => `${key}-${i}`);
      for (const id of reportIds) await importReport(bench, id, doc);
      return { name, reportIds };
    };
    return {
      file,
      history: await store('history', 'the long-history report', history),
      typed: await store('typed', `typed (${keystrokes.toLocaleString('en')} keystrokes)`, typed.doc),
      pasted: await store('pasted', `pasted (${pastes.toLocaleString('en')} paragraphs)`, pasted.doc),
    };
  } finally {
    await bench.opened.close();
  }
}
