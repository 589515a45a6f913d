import * as Y from 'yjs';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import type { Db } from '../db/database.js';
import { findReport, listSectionRows } from '../db/reports.js';
import { appendUpdate, readReportHistoryTail, readReportHistoryUpTo, writeSnapshot } from '../db/update-log.js';
import type { SectionRule } from './section-guard.js';

export interface LoadedReport {
  doc: Y.Doc;
  lastSeq: number;
  /** Updates logged since the snapshot the report was loaded from. */
  updatesSinceSnapshot: number;
  /** Owner and lock of each section, as the guard needs them. */
  rules: Map<string, SectionRule>;
  /** The report's format (its annex tables' shape), if the report is registered. */
  format: string | null;
}

/** A fresh report document with its root types declared, so remote items land in the right types. */
export function createReportDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FIELD);
  doc.getMap(ANNEX_FIELD);
  return doc;
}

function replay(snapshot: { data: Uint8Array } | null, updates: Array<{ data: Uint8Array }>): Y.Doc {
  const doc = createReportDoc();
  // One transaction for the whole history: observers and cleanup run once, not per update.
  Y.transact(doc, () => {
    if (snapshot) Y.applyUpdate(doc, snapshot.data);
    for (const update of updates) Y.applyUpdate(doc, update.data);
  });
  return doc;
}

/**
 * Where report documents live: an append-only update log plus snapshots that compact it. The
 * log is never rewritten — it is the audit trail and the version history — so a snapshot only
 * makes loading fast.
 */
export class ReportStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async load(reportId: string): Promise<LoadedReport> {
    const [tail, rows, report] = await Promise.all([readReportHistoryTail(this.db, reportId), listSectionRows(this.db, reportId), findReport(this.db, reportId)]);
    const rules = new Map(rows.map((row) => [row.section_id, { departmentId: row.department_id, locked: row.locked === 1 }]));
    const doc = replay(tail.snapshot, tail.updates);
    return { doc, lastSeq: tail.lastSeq, updatesSinceSnapshot: tail.updates.length, rules, format: report?.format ?? null };
  }

  /** The report as it was right after update `seq`: a detached document for reading history. */
  async loadAt(reportId: string, seq: number): Promise<Y.Doc> {
    const history = await readReportHistoryUpTo(this.db, reportId, seq);
    return replay(history.snapshot, history.updates);
  }

  async append(reportId: string, seq: number, data: Uint8Array, userId: number | null, sectionIds: Iterable<string> = []): Promise<void> {
    await appendUpdate(this.db, { reportId, seq, data, userId, now: this.now(), sectionIds });
  }

  async snapshot(reportId: string, seq: number, doc: Y.Doc): Promise<void> {
    await writeSnapshot(this.db, { reportId, seq, data: Y.encodeStateAsUpdate(doc), now: this.now() });
  }
}
