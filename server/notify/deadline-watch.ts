import type { DeadlineStage } from '../../blocks/notifications.js';
import type { Db } from '../db/database.js';
import { sectionsDueBetween } from '../db/notifications.js';
import { findReport } from '../db/reports.js';
import type { ReportDigests } from '../read/report-digests.js';
import { formatDeadline } from '../workflow/section-workflow.js';
import type { Notifier } from './notifier.js';

const DAY = 24 * 3600_000;
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
    const due = await sectionsDueBetween(this.deps.db, now - OVERDUE_TOLD_FOR, now + 3 * DAY);
    let told = 0;
    const titles = new Map<string, Map<string, string>>();
    for (const section of due) {
      const stage = deadlineStage(section.deadline, now);
      if (!stage) continue;
      const report = await findReport(this.deps.db, section.reportId);
      if (!report) continue;
      let ofReport = titles.get(report.id);
      if (!ofReport) {
        ofReport = new Map((await this.deps.digests.of(report)).outline.map((entry) => [entry.sectionId, entry.title]));
        titles.set(report.id, ofReport);
      }
      const delivered = await this.deps.notifier.send({
        kind: 'deadline',
        reportId: report.id,
        sectionId: section.sectionId,
        detail: { reportTitle: report.title, sectionTitle: ofReport.get(section.sectionId) ?? section.sectionId, deadline: formatDeadline(section.deadline)!, stage },
        to: { departments: [section.departmentId] },
        dedupe: `deadline:${report.id}:${section.sectionId}:${section.deadline}:${stage}`,
      });
      told += delivered;
    }
    return told;
  }
}
