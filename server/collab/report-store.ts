import * as Y from 'yjs';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import { readClientOwners } from '../db/client-ids.js';
import type { Db, OpenedDatabase } from '../db/database.js';
import { findReport, listSectionRows } from '../db/reports.js';
import type { ClientIdClaim, ReportLog } from '../db/report-log.js';
import type { StoredPartKind } from '../db/types.js';
import { readLastSeq, readReportHistoryTail, readReportHistoryUpTo, readSkipMark, writeSnapshot, type LoggedUpdate } from '../db/update-log.js';
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
  /** An imported archive: read-only for everyone. */
  archived: boolean;
  /** Who writes under each Yjs client id (null: the server). */
  clientOwners: Map<number, number | null>;
}

/** A fresh report document with its root types declared, so remote items land in the right types. */
export function createReportDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FIELD);
  doc.getMap(ANNEX_FIELD);
  return doc;
}

/** One stored part of a report: its snapshot at `seq`, or the update logged as `seq`. */
export interface StoredPart {
  kind: StoredPartKind;
  seq: number;
}

/**
 * A stored part of the report cannot be read, so neither can the report: it is quarantined (not
 * opened, not edited) until the operator leaves the part out (`npm run report-admin`). The
 * message is for the report's users; `part` and `cause` are for the operator.
 */
export class ReportUnreadableError extends Error {
  readonly code = 'report-unreadable';

  constructor(
    readonly reportId: string,
    readonly part: StoredPart,
    cause: unknown,
  ) {
    super(`报告数据损坏，已暂停编辑，请联系管理员（report data unreadable: ${part.kind} ${part.seq}）`, { cause });
    this.name = 'ReportUnreadableError';
  }
}

/**
 * Rebuilds a report from a snapshot and the updates logged after it. A part that does not decode,
 * or that Yjs can only keep as pending (it builds on changes the log does not hold), makes the
 * report unreadable: a document missing part of its history would otherwise be shown, edited and
 * snapshotted as if it were whole.
 */
export function replayReport(reportId: string, snapshot: LoggedUpdate | null, updates: readonly LoggedUpdate[]): Y.Doc {
  const parts: Array<StoredPart & { data: Uint8Array }> = [
    ...(snapshot ? [{ kind: 'snapshot' as const, ...snapshot }] : []),
    ...updates.map((update) => ({ kind: 'update' as const, ...update })),
  ];
  const doc = createReportDoc();
  let index = 0;
  try {
    // Each update in a transaction of its own, as the room applied it: what Yjs garbage-collects at
    // the end of one transaction decides how the next integrates (an item next to collected content
    // is dropped), so one transaction for the whole history could rebuild what no one ever saw.
    for (; index < parts.length; index++) {
      Y.applyUpdate(doc, parts[index]!.data);
      if (doc.store.pendingStructs || doc.store.pendingDs) throw new Error('it builds on changes the log does not hold (Yjs keeps them pending)');
    }
  } catch (cause) {
    doc.destroy();
    const part = parts[Math.min(index, parts.length - 1)];
    if (!part) throw cause;
    throw new ReportUnreadableError(reportId, { kind: part.kind, seq: part.seq }, cause);
  }
  return doc;
}

/**
 * How long a report that could not be read is refused from memory. Its users' browsers reconnect
 * every few seconds, and each connection would otherwise replay the history again; the operator's
 * recovery (a recorded skip) ends the quarantine at once.
 */
export const UNREADABLE_QUARANTINE_MS = 30_000;

/**
 * Where report documents live: an append-only update log plus snapshots that compact it. The
 * log is never rewritten — it is the audit trail and the version history — so a snapshot only
 * makes loading fast.
 */
export class ReportStore {
  /** Reports that could not be read: the error, until when it stands, and the skips it was met with. */
  private readonly unreadable = new Map<string, { error: ReportUnreadableError; until: number; skipMark: string }>();

  private readonly db: Db;
  private readonly log: ReportLog;

  constructor(
    database: Pick<OpenedDatabase, 'db' | 'log'>,
    private readonly now: () => number = Date.now,
  ) {
    this.db = database.db;
    this.log = database.log;
  }

  /** Loads the report to edit it; fails with `ReportUnreadableError` while it is quarantined. */
  async load(reportId: string): Promise<LoadedReport> {
    await this.log.settled();
    const [{ tail, replayed }, rows, report, clientOwners] = await Promise.all([
      this.readHistory(reportId),
      listSectionRows(this.db, reportId),
      findReport(this.db, reportId),
      readClientOwners(this.db, reportId),
    ]);
    const rules = new Map(rows.map((row) => [row.section_id, { departmentId: row.department_id, locked: row.locked === 1, approved: row.state === 'approved' }]));
    const doc = replayed(() => replayReport(reportId, tail.snapshot, tail.updates));
    return { doc, lastSeq: tail.lastSeq, updatesSinceSnapshot: tail.updates.length, rules, format: report?.format ?? null, archived: report?.archived === 1, clientOwners };
  }

  /**
   * The stored history a report is rebuilt from (its last snapshot and the updates after it);
   * fails with `ReportUnreadableError` while the report is quarantined. `replayed` runs the replay
   * — here or on another thread — and quarantines the report if the replay finds it unreadable.
   */
  async readHistory(reportId: string) {
    await this.log.settled();
    // Read before the history: a skip recorded while the history is read moves the mark past this.
    const skipMark = await readSkipMark(this.db, reportId);
    const quarantined = this.unreadable.get(reportId);
    if (quarantined && quarantined.until > this.now() && quarantined.skipMark === skipMark) throw quarantined.error;
    this.unreadable.delete(reportId);
    const tail = await readReportHistoryTail(this.db, reportId);
    const replayed = <T>(replay: () => T): T => {
      try {
        return replay();
      } catch (error) {
        if (error instanceof ReportUnreadableError) this.unreadable.set(reportId, { error, until: this.now() + UNREADABLE_QUARANTINE_MS, skipMark });
        throw error;
      }
    };
    return { tail, replayed };
  }

  /** The sequence number of the report's last logged update (0: none). */
  async lastSeq(reportId: string): Promise<number> {
    await this.log.settled();
    return readLastSeq(this.db, reportId);
  }

  /** The report as it was right after update `seq`: a detached document for reading history. */
  async loadAt(reportId: string, seq: number): Promise<Y.Doc> {
    const history = await this.readHistoryUpTo(reportId, seq);
    return replayReport(reportId, history.snapshot, history.updates);
  }

  /** What the report as it was right after update `seq` is rebuilt from. */
  async readHistoryUpTo(reportId: string, seq: number) {
    await this.log.settled();
    return readReportHistoryUpTo(this.db, reportId, seq);
  }

  /** Logs an update, and the client ids it writes under for the first time as `claims` says. */
  append(reportId: string, seq: number, data: Uint8Array, userId: number | null, sectionIds: Iterable<string> = [], claims: readonly ClientIdClaim[] = []): Promise<void> {
    return this.log.append({ reportId, seq, data, userId, at: this.now(), sectionIds: [...sectionIds], claims });
  }

  async snapshot(reportId: string, seq: number, doc: Y.Doc): Promise<void> {
    await writeSnapshot(this.db, { reportId, seq, data: Y.encodeStateAsUpdate(doc), now: this.now() });
  }
}
