import * as Y from 'yjs';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import type { Db } from '../db/database.js';
import { appendUpdate, readReportHistoryTail, writeSnapshot } from '../db/update-log.js';

export interface LoadedReport {
  doc: Y.Doc;
  lastSeq: number;
  /** Updates logged since the snapshot the report was loaded from. */
  updatesSinceSnapshot: number;
}

/** A fresh report document with its root types declared, so remote items land in the right types. */
export function createReportDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FIELD);
  doc.getMap(ANNEX_FIELD);
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
    const tail = await readReportHistoryTail(this.db, reportId);
    const doc = createReportDoc();
    // One transaction for the whole history: observers and cleanup run once, not per update.
    Y.transact(doc, () => {
      if (tail.snapshot) Y.applyUpdate(doc, tail.snapshot.data);
      for (const update of tail.updates) Y.applyUpdate(doc, update.data);
    });
    return { doc, lastSeq: tail.lastSeq, updatesSinceSnapshot: tail.updates.length };
  }

  async append(reportId: string, seq: number, data: Uint8Array, userId: number | null): Promise<void> {
    await appendUpdate(this.db, { reportId, seq, data, userId, now: this.now() });
  }

  async snapshot(reportId: string, seq: number, doc: Y.Doc): Promise<void> {
    await writeSnapshot(this.db, { reportId, seq, data: Y.encodeStateAsUpdate(doc), now: this.now() });
  }
}
