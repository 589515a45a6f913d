import * as Y from 'yjs';
import { createReportDoc, replayReport, ReportUnreadableError, type StoredPart } from '../collab/report-store.js';
import { inspectUpdate } from '../collab/update-inspection.js';
import type { Db } from '../db/database.js';
import { findReport } from '../db/reports.js';
import { readReportHistoryTail, skipStoredRows } from '../db/update-log.js';

type ReportHistory = Awaited<ReturnType<typeof readReportHistoryTail>>;

/** What the server would make of a report if it opened it now, and how to mend it if it cannot. */
export interface ReportCheck {
  reportId: string;
  title: string;
  /** The snapshot the report is rebuilt from (null: the start of the log) and the updates replayed after it. */
  snapshotSeq: number | null;
  updates: number;
  lastSeq: number;
  /** Rows the operator has left out so far. */
  skippedRows: number;
  /** The first part that cannot be read, and the two ways back; null when the report reads. */
  problem: { part: StoredPart; cause: string; skip: SkipPlan; restore: RestorePlan | null } | null;
}

/** Leave out the unreadable part, and the later updates that cannot be applied without it. */
export interface SkipPlan {
  part: StoredPart;
  dependents: number[];
}

/** Go back to the snapshot the report is rebuilt from, leaving out every update after it. */
export interface RestorePlan {
  snapshotSeq: number;
  updates: number[];
}

/** A recovery the report's state does not call for; the message says what to do instead. */
export class RecoveryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryRefusedError';
  }
}

/** Replays the report exactly as the server opens it and names the first part it cannot read. */
export async function checkReport(db: Db, reportId: string): Promise<ReportCheck> {
  const report = await findReport(db, reportId);
  if (!report) throw new RecoveryRefusedError(`no report ${reportId}`);
  const [history, skipped] = await Promise.all([
    readReportHistoryTail(db, reportId),
    db.selectFrom('skipped_rows').select((eb) => eb.fn.countAll<number>().as('count')).where('report_id', '=', reportId).executeTakeFirstOrThrow(),
  ]);
  const check: ReportCheck = {
    reportId,
    title: report.title,
    snapshotSeq: history.snapshot?.seq ?? null,
    updates: history.updates.length,
    lastSeq: history.lastSeq,
    skippedRows: Number(skipped.count),
    problem: null,
  };
  try {
    replayReport(reportId, history.snapshot, history.updates).destroy();
  } catch (error) {
    if (!(error instanceof ReportUnreadableError)) throw error;
    const { part } = error;
    check.problem = {
      part,
      cause: error.cause instanceof Error ? error.cause.message : String(error.cause),
      skip: { part, dependents: part.kind === 'update' ? updatesBuildingOn(history, part.seq) : [] },
      restore: part.kind === 'update' && history.snapshot ? { snapshotSeq: history.snapshot.seq, updates: history.updates.map((update) => update.seq) } : null,
    };
  }
  return check;
}

/**
 * Leaves out the part `check` names as unreadable: an update together with the later updates that
 * build on it, or a snapshot (the log still holds every update, so nothing is lost). Anything else
 * is refused, so a slip of the finger cannot cut a readable report's history.
 */
export async function skipUnreadable(db: Db, reportId: string, seq: number, now: number): Promise<{ skipped: SkipPlan; after: ReportCheck }> {
  const { problem } = await checkReport(db, reportId);
  if (!problem) throw new RecoveryRefusedError(`report ${reportId} reads: nothing to skip`);
  const { part, dependents } = problem.skip;
  if (part.seq !== seq) throw new RecoveryRefusedError(`the first part of report ${reportId} that cannot be read is ${part.kind} ${part.seq}, not ${seq}: skip that one first`);
  await skipStoredRows(
    db,
    reportId,
    [
      { kind: part.kind, seq: part.seq, reason: `unreadable: ${problem.cause}` },
      ...dependents.map((dependent) => ({ kind: 'update' as const, seq: dependent, reason: `builds on skipped update ${part.seq}` })),
    ],
    now,
  );
  return { skipped: problem.skip, after: await checkReport(db, reportId) };
}

/**
 * Takes the report back to the snapshot it is rebuilt from — the last one that reads — leaving
 * out every update logged after it, the unreadable one and whatever came after. The blunt way
 * back, for when `skip` would leave out most of those updates anyway.
 */
export async function restoreSnapshot(db: Db, reportId: string, now: number): Promise<{ restored: RestorePlan; after: ReportCheck }> {
  const { problem } = await checkReport(db, reportId);
  if (!problem) throw new RecoveryRefusedError(`report ${reportId} reads: nothing to restore`);
  if (problem.part.kind === 'snapshot') {
    throw new RecoveryRefusedError(`snapshot ${problem.part.seq} itself cannot be read: skip it instead (the log holds every update, nothing is lost)`);
  }
  if (!problem.restore) throw new RecoveryRefusedError(`report ${reportId} has no snapshot before update ${problem.part.seq}: skip the update instead`);
  const reason = `restore-snapshot: back to snapshot ${problem.restore.snapshotSeq} (update ${problem.part.seq} unreadable)`;
  await skipStoredRows(db, reportId, problem.restore.updates.map((seq) => ({ kind: 'update' as const, seq, reason })), now);
  return { restored: problem.restore, after: await checkReport(db, reportId) };
}

/**
 * The updates after `seq` that cannot be applied without it: replayed without it, the server's
 * own acceptance check finds them missing what they build on (their author's later keystrokes,
 * an edit made next to its text). The replay stops at an update that is unreadable on its own
 * account; that one is for the next check to name, not to be skipped unasked.
 */
function updatesBuildingOn(history: ReportHistory, seq: number): number[] {
  const doc = createReportDoc();
  const dependents: number[] = [];
  try {
    if (history.snapshot) Y.applyUpdate(doc, history.snapshot.data);
    for (const update of history.updates) {
      if (update.seq === seq) continue;
      if (update.seq > seq) {
        const inspection = inspectUpdate(doc, update.data);
        if (!inspection.ok && inspection.refusal.code === 'missing-dependency') {
          dependents.push(update.seq);
          continue;
        }
        if (!inspection.ok) break;
      }
      Y.applyUpdate(doc, update.data);
    }
  } catch {
    // An update that throws while applied is unreadable on its own account: as above.
  } finally {
    doc.destroy();
  }
  return dependents;
}
