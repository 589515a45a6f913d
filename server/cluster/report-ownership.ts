import type { Db } from '../db/database.js';
import { claimReportLease, expireReportLease, releaseReportLease, renewReportLeases, type LeaseHolder } from '../db/report-leases.js';

/** PostgreSQL's SQLSTATE for a row referring to one that does not exist. */
const FOREIGN_KEY_VIOLATION = '23503';

/** How long a client is asked to wait while a report moves to another process (`Retry-After`). */
export const MOVING_RETRY_SECONDS = 2;

/** Where a report's edits are decided: in this process, or in the one at `url`. */
export type ReportRoute = { here: true } | { here: false; url: string };

/** The report is held by another server process; its sockets and changes go there. */
export class ReportHeldElsewhere extends Error {
  constructor(
    readonly reportId: string,
    readonly url: string,
  ) {
    super(`report ${reportId} is held by the server process at ${url}`);
    this.name = 'ReportHeldElsewhere';
  }
}

export interface OwnershipOptions {
  db: Db;
  /** This process: a random id per start, and the URL other processes reach it at (known once it listens). */
  processId: string;
  url(): string;
  /** A lease not renewed for this long is anyone's to take (a killed process's reports come back after it). */
  leaseMs: number;
  /** Whether this process has the report's room open: only those leases are kept. */
  isOpen(reportId: string): boolean;
  /** A lease was lost (the database gave it to another process): the room must go at once. */
  onLost(reportId: string): void;
  /**
   * This process ended a dead holder's lease before it ran out: the holder refused a connection,
   * or it was this process's earlier life at the same address. For the operator's log.
   */
  onLeaseEnded(event: { reportId: string; holder: string; why: 'refused' | 'own-address' }): void;
  onError(error: unknown, context: string): void;
}

/**
 * One authority per report among several server processes on one PostgreSQL database: a lease
 * per report, held by the process that has its room open and renewed while it does. The lease is
 * what routes sockets and requests; the log's `(report, seq)` key is what fences — a process
 * that lost its lease without knowing (a long pause) cannot append after the new holder, its
 * append fails, and its room breaks off and reloads.
 */
export class ReportOwnership {
  /** Reports this process holds, with when it took each (a lease taken for a room that never opened is let go). */
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;

  constructor(private readonly options: OwnershipOptions) {}

  /**
   * Takes the report if nobody else holds it; says where it is decided. A report this process
   * holds is answered without asking the database: the renewal finds a lost lease within a third
   * of a lease, and until then the log's fence stops any append.
   */
  async route(reportId: string): Promise<ReportRoute> {
    if (this.held.has(reportId)) return { here: true };
    let holder = await this.claimLease(reportId);
    if (!holder) return { here: true };
    if (holder.owner !== this.options.processId && holder.url === this.options.url()) {
      // One process listens at an address: a holder at this one's own is an earlier life of it,
      // killed and started again before its lease ran out. Its lease ends now, as a dead holder's
      // does when it refuses a connection; otherwise the report would wait here for it to run out.
      await this.endLease(reportId, holder.url, 'own-address');
      holder = await this.claimLease(reportId);
      if (!holder) return { here: true };
    }
    if (holder.owner !== this.options.processId) return { here: false, url: holder.url };
    this.held.set(reportId, Date.now());
    return { here: true };
  }

  /** Who holds the report after trying to take it; null: no such report, answered here as by a process on its own. */
  private async claimLease(reportId: string): Promise<LeaseHolder | null> {
    const { db, processId, url, leaseMs } = this.options;
    try {
      return await claimReportLease(db, reportId, { owner: processId, url: url() }, leaseMs);
    } catch (error) {
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return null;
      throw error;
    }
  }

  /** For a room about to load: fails with `ReportHeldElsewhere` unless this process holds the report. */
  async claim(reportId: string): Promise<void> {
    const route = await this.route(reportId);
    if (!route.here) throw new ReportHeldElsewhere(reportId, route.url);
  }

  /**
   * The holder at `url` refuses connections: it is dead (killed, crashed), so its lease ends now
   * instead of when it runs out, and the next connection takes the report. Were it alive after
   * all, the log's fence would stop it at its next append.
   */
  async holderUnreachable(reportId: string, url: string): Promise<void> {
    await this.endLease(reportId, url, 'refused');
  }

  private async endLease(reportId: string, holder: string, why: 'refused' | 'own-address'): Promise<void> {
    if (await expireReportLease(this.options.db, reportId, holder)) this.options.onLeaseEnded({ reportId, holder, why });
  }

  /** The report's room closed here: another process may take it at once. */
  released(reportId: string): void {
    if (!this.held.delete(reportId)) return;
    releaseReportLease(this.options.db, this.options.processId, reportId).catch((error: unknown) => this.options.onError(error, `releasing the lease of report ${reportId}`));
  }

  /** Renews the leases of open rooms every third of a lease, and lets go of the rest. */
  start(): void {
    this.timer = setInterval(() => {
      this.renewing ??= this.renew()
        .catch((error: unknown) => this.options.onError(error, 'renewing report leases'))
        .finally(() => {
          this.renewing = null;
        });
    }, this.options.leaseMs / 3);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const { db, processId, leaseMs, isOpen, onLost } = this.options;
    const now = Date.now();
    for (const [reportId, since] of this.held) {
      // Taken for a room that did not open (its socket went away first): nobody here needs it.
      if (!isOpen(reportId) && now - since > leaseMs) this.released(reportId);
    }
    const kept = await renewReportLeases(db, processId, [...this.held.keys()], leaseMs);
    for (const reportId of [...this.held.keys()]) {
      if (kept.has(reportId)) continue;
      this.held.delete(reportId);
      onLost(reportId);
    }
  }

  /** Stops renewing and lets go of every lease, so the other processes take the reports at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.renewing;
    const { db, processId } = this.options;
    await Promise.allSettled([...this.held.keys()].map((reportId) => releaseReportLease(db, processId, reportId)));
    this.held.clear();
  }
}
