import type { DeadlineStage } from '../../blocks/notifications.js';
import type { Db } from '../db/database.js';
import { sectionsDueBetween, storedDedupeKeys } from '../db/notifications.js';
import { findReport } from '../db/reports.js';
import type { ReportDigests } from '../read/report-digests.js';
import { formatDeadline } from '../workflow/section-workflow.js';
import type { Notifier } from './notifier.js';

const DAY = 24 * 3600_000;

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
/** A deadline passed longer ago than this is old news: the dashboard shows it, no notification. */
const OVERDUE_TOLD_FOR = 7 * DAY;
const SWEEP_EVERY_MS = 10 * 60_000;

export interface DeadlineWatchDeps {
  db: Db;
  notifier: Notifier;
  digests: ReportDigests;
  now: () => number;
  onError(error: unknown, context: string): void;
}

/** Where a deadline stands at `now`, for a section not approved yet: null while more than three days away. */
export function deadlineStage(deadline: number, now: number): Exclude<DeadlineStage, 'set' | 'cleared'> | null {
  if (now > deadline) return 'overdue';
  if (deadline - now <= DAY) return '1d';
  if (deadline - now <= 3 * DAY) return '3d';
  return null;
}

/**
 * Tells a department when a section it writes is due in three days, in one day, and when it is
 * overdue — each once per deadline (moving the deadline starts again). Every server process
 * sweeps; the notification's dedupe key makes the first one to store it the only one.
 */
export class DeadlineWatch {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(private readonly deps: DeadlineWatchDeps) {}

  start(): void {
    if (this.timer) return;
    const run = () => void this.sweep().catch((error: unknown) => this.deps.onError(error, 'deadline notifications'));
    run();
    this.timer = setInterval(run, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => undefined);
  }

  /** One look at every deadline; answers how many notifications were stored. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    const now = this.deps.now();
    const due = (await sectionsDueBetween(this.deps.db, now - OVERDUE_TOLD_FOR, now + 3 * DAY)).flatMap((section) => {
      const stage = deadlineStage(section.deadline, now);
      return stage ? [{ ...section, stage, dedupe: `deadline:${section.reportId}:${section.sectionId}:${section.deadline}:${stage}` }] : [];
    });
    // Most sweeps find every stage told already: nothing more is read for those (a closed report's titles take a worker's replay).
    const told = await storedDedupeKeys(this.deps.db, due.map((section) => section.dedupe));
    let sent = 0;
    for (const [reportId, sections] of groupBy(due.filter((section) => !told.has(section.dedupe)), (section) => section.reportId)) {
      const report = await findReport(this.deps.db, reportId);
      if (!report) continue;
      const titles = new Map((await this.deps.digests.of(report)).outline.map((entry) => [entry.sectionId, entry.title]));
      for (const section of sections) {
        sent += await this.deps.notifier.send({
          kind: 'deadline',
          reportId,
          sectionId: section.sectionId,
          detail: { reportTitle: report.title, sectionTitle: titles.get(section.sectionId) ?? section.sectionId, deadline: formatDeadline(section.deadline)!, stage: section.stage },
          to: { departments: [section.departmentId] },
          dedupe: section.dedupe,
        });
      }
    }
    return sent;
  }
}
