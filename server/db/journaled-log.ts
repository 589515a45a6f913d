import { setTimeout as pause } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { atTurnEnd } from '../turn-end.js';
import type { Db } from './database.js';
import { logEntryQueries, type LogEntry, type ReportLog } from './report-log.js';
import { BusyBackoff, DatabaseBusyError, isBusy, type BusyWaitPolicy, type SqliteAccess } from './sqlite-dialect.js';
import { readJournal, UpdateJournal } from './update-journal.js';

/** The journal of `databaseFile`: the file beside it that updates are written ahead to. */
export function journalFileOf(databaseFile: string): string {
  return `${databaseFile}-log-ahead`;
}

/** What a start found in the journal: updates moved into the tables, updates they already held, and the bytes of a record cut short. */
export interface JournalRecovery {
  moved: number;
  alreadyStored: number;
  droppedBytes: number;
}

/**
 * How long an update may wait in the journal before it moves into the tables. A move is a SQLite
 * transaction, 120–180 µs for one keystroke's update at a human pace, most of it the locking and
 * the commit rather than the row: moved at the end of each turn, as it once was, a report typed
 * into at a human pace paid it for every keystroke, each having a turn to itself. Nothing here
 * depends on the wait being short: the journal keeps the updates through a crash, and every
 * statement of this process moves what waits before it runs. Another process reading the file
 * (a `sqlite3` shell) sees the log up to this much behind.
 */
export const MOVE_AFTER_MS = 1000;
/** What waits past this many bytes moves at the end of the turn: a burst of pastes is not held in memory for a second. */
export const MOVE_AT_ONCE_BYTES = 256 * 1024;

/**
 * The report log on the embedded SQLite file, written ahead to its journal (update-journal.ts):
 * an update is appended to the file, and moves into the tables within MOVE_AFTER_MS, with every
 * other update waiting then, in one transaction — or sooner, when anyone in this process takes
 * the connection, so every statement here reads a log that holds every update appended.
 *
 * While another process holds the database's lock (a backup, `report-admin`), updates keep being
 * appended and sent, and move once it lets go; a failure of any other kind is reported and tried
 * again. Nothing is lost meanwhile: the journal holds them, and the next start moves them.
 */
export class JournaledReportLog implements ReportLog {
  private readonly journal: UpdateJournal;
  private readonly leftOver: { entries: LogEntry[]; droppedBytes: number };
  private retry: NodeJS.Timeout | null = null;
  /** The move due MOVE_AFTER_MS after an update started waiting. */
  private due: NodeJS.Timeout | null = null;
  private dueAtTurnEnd = false;
  /** The pauses between retries while moves fail; a move that succeeds starts them over. */
  private retryBackoff: BusyBackoff | null = null;
  /** The failure the last move met, reported once until a move succeeds. */
  private failure: unknown = null;

  /** One statement putting an update without claims in the tables: alone in its turn, it needs no transaction of its own. */
  private readonly storeOne: (entry: LogEntry) => void;
  /** One transaction (`.immediate`: it takes the write lock first) putting entries in the tables. */
  private readonly storeAll: SQLite.Transaction<(entries: readonly LogEntry[]) => void>;

  constructor(
    private readonly options: {
      db: Db;
      access: SqliteAccess;
      databaseFile: string;
      flushEachWrite: boolean;
      busyWait: BusyWaitPolicy;
      onError(error: unknown, context: string): void;
    },
  ) {
    const file = journalFileOf(options.databaseFile);
    this.leftOver = readJournal(file);
    this.journal = new UpdateJournal(file, { flushEachWrite: options.flushEachWrite, onWaiting: () => (this.due ??= setTimeout(this.moveSoon, MOVE_AFTER_MS).unref()) });
    const { db, access } = options;
    const run = (query: CompiledQuery) => access.statements.prepare(query.sql).run(query.parameters as unknown[]);
    this.storeOne = (entry) => {
      for (const query of logEntryQueries(db, entry)) run(query);
    };
    this.storeAll = access.sqlite.transaction((entries: readonly LogEntry[]) => {
      for (const entry of entries) for (const query of logEntryQueries(db, entry)) run(query);
    });
    // While moves fail, the retry does the trying: a statement's turn is not held up by it.
    options.access.beforeEachTurn = () => {
      if (this.failure === null) this.tryMove();
    };
  }

  async append(entry: LogEntry): Promise<void> {
    this.journal.write(entry);
    if (this.journal.waitingBytes >= MOVE_AT_ONCE_BYTES && !this.dueAtTurnEnd) {
      this.dueAtTurnEnd = true;
      atTurnEnd('store', this.moveSoon);
    }
  }

  async settled(): Promise<void> {
    // Made at the first move that fails: nearly always, nothing waits or the first move succeeds.
    let backoff: BusyBackoff | null = null;
    while (this.journal.hasWaiting) {
      let error: unknown = null;
      await this.exclusively(() => {
        try {
          this.move();
        } catch (caught) {
          error = caught;
        }
      });
      if (!this.journal.hasWaiting) return;
      backoff ??= new BusyBackoff(this.options.busyWait);
      const wait = backoff.nextPause();
      if (!backoff.allows(wait)) throw isBusy(error) ? new DatabaseBusyError(backoff.waitedMs, error) : error;
      await pause(wait);
    }
  }

  /**
   * Moves what a killed process left in the journal into the tables, each update unless the
   * tables already hold it (the file keeps what moved until it grows past its limit).
   * Runs when the server opens the database, before anything is appended.
   */
  async recover(): Promise<JournalRecovery | null> {
    const { entries, droppedBytes } = this.leftOver;
    if (entries.length === 0 && droppedBytes === 0) return null;
    let moved = 0;
    await this.options.db.transaction().execute(async (trx) => {
      for (const entry of entries) {
        const stored = await trx.selectFrom('update_log').select('seq').where('report_id', '=', entry.reportId).where('seq', '=', entry.seq).executeTakeFirst();
        if (stored) continue;
        for (const query of logEntryQueries(trx, entry)) await trx.executeQuery(query);
        moved++;
      }
    });
    this.journal.empty();
    this.leftOver.entries = [];
    return { moved, alreadyStored: entries.length - moved, droppedBytes };
  }

  /** Moves what waits, if it can; closes the journal. What could not move stays in the file for the next start. */
  async close(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    if (this.due) clearTimeout(this.due);
    await this.exclusively(() => this.tryMove());
    // Stopped cleanly, the server leaves nothing for the next start to look through.
    if (!this.journal.hasWaiting) this.journal.empty();
    this.options.access.beforeEachTurn = null;
    this.journal.close();
  }

  private readonly moveSoon = (): void => {
    if (this.due) clearTimeout(this.due);
    this.due = null;
    this.dueAtTurnEnd = false;
    void this.exclusively(() => this.tryMove());
  };

  private async exclusively(work: () => void): Promise<void> {
    const { turn } = this.options.access;
    await turn.take();
    try {
      work();
    } finally {
      turn.give();
    }
  }

  /** Moves what waits; on failure leaves it waiting, says so once, and tries again a little later. */
  private tryMove(): void {
    try {
      this.move();
    } catch (error) {
      if (!isBusy(error) && this.failure === null) this.options.onError(error, 'moving logged updates from the journal into the database (they are kept in the journal)');
      this.failure = error;
      this.retryBackoff ??= new BusyBackoff(this.options.busyWait);
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.moveSoon();
      }, this.retryBackoff.nextPause());
    }
  }

  /** Puts every waiting update in the tables, all or none; the caller has the connection's turn. */
  private move(): void {
    this.journal.moveWaiting((entries) => (entries.length === 1 && entries[0]!.claims.length === 0 ? this.storeOne(entries[0]!) : this.storeAll.immediate(entries)));
    this.failure = null;
    this.retryBackoff = null;
  }
}
