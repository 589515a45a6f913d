import { setTimeout as pause } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
} from 'kysely';
import { withStatementCache } from './statement-cache.js';
import { Slots } from '../slots.js';

/** How a statement waits while another process holds the database lock. */
export interface BusyWaitPolicy {
  /** After waiting this long in all, the statement fails with `DatabaseBusyError`. */
  deadlineMs: number;
  /** The first pause between attempts; each later pause is twice as long, up to `maxPauseMs`. */
  firstPauseMs: number;
  maxPauseMs: number;
}

export const defaultBusyWait: BusyWaitPolicy = { deadlineMs: 10_000, firstPauseMs: 5, maxPauseMs: 100 };

/** One run of waiting out another process's lock under a policy: the pauses, and how long it has waited. */
export class BusyBackoff {
  private readonly startedAt = performance.now();
  private pauseMs: number;

  constructor(private readonly policy: BusyWaitPolicy) {
    this.pauseMs = policy.firstPauseMs;
  }

  get waitedMs(): number {
    return performance.now() - this.startedAt;
  }

  /** The pause before the next attempt: the first, then each twice the last, up to `maxPauseMs`. */
  nextPause(): number {
    const pause = this.pauseMs;
    this.pauseMs = Math.min(pause * 2, this.policy.maxPauseMs);
    return pause;
  }

  /** Whether pausing `pauseMs` more keeps the whole wait within the deadline. */
  allows(pauseMs: number): boolean {
    return this.waitedMs + pauseMs <= this.policy.deadlineMs;
  }
}

/** The database stayed locked by another process past the deadline; nothing of the statement was done. */
export class DatabaseBusyError extends Error {
  readonly code = 'database-busy';

  constructor(
    readonly waitedMs: number,
    cause: unknown,
  ) {
    super(`数据库正被其他程序占用，请稍后重试（database busy: locked by another process, waited ${(waitedMs / 1000).toFixed(1)} s）`, { cause });
    this.name = 'DatabaseBusyError';
  }
}

/**
 * SQLite changes its schema inside transactions, though Kysely's adapter does not claim it: said
 * here, the migrator runs a start's migrations in one transaction, and a failed one leaves the
 * database exactly as it was.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Kysely's SQLite dialect with two changes: schema changes are transactional (above), and waiting for a lock held by another process (a backup,
 * the operator's `report-admin`, a stray `sqlite3` shell) happens here, asynchronously, instead of
 * in SQLite's busy handler. better-sqlite3 is synchronous, so a busy handler's sleep stops the one
 * event loop that carries every report's keystrokes; here a statement that meets SQLITE_BUSY
 * gives the connection to the next query, pauses, and tries again until `deadlineMs`.
 */
export function createSqliteDialect(connection: SQLite.Database | SqliteAccess, policy: BusyWaitPolicy = defaultBusyWait): Dialect {
  const access = connection instanceof SqliteAccess ? connection : new SqliteAccess(connection);
  return {
    createAdapter: () => new TransactionalSqliteAdapter(),
    createDriver: () => new BusyWaitingDriver(access, policy),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

/**
 * The one SQLite connection as the driver and the report log's journal share it: whose turn it is
 * (one query or transaction at a time, in the order they asked), its prepared statements, and
 * what must be done before anyone's turn (moving the journal's updates into the tables).
 */
export class SqliteAccess {
  readonly turn = new Slots(1);
  readonly statements: SqliteDatabase;
  beforeEachTurn: (() => void) | null = null;

  constructor(readonly sqlite: SQLite.Database) {
    this.statements = withStatementCache(sqlite);
  }
}

class BusyWaitingDriver implements Driver {
  private readonly connection: BusyWaitingConnection;

  constructor(
    private readonly access: SqliteAccess,
    policy: BusyWaitPolicy,
  ) {
    this.connection = new BusyWaitingConnection(access, policy);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.access.turn.take();
    this.access.beforeEachTurn?.();
    return this.connection;
  }

  /**
   * IMMEDIATE takes the write lock at BEGIN, the one statement that may wait for it. A deferred
   * BEGIN would take it at the first write, and if another process wrote since this transaction's
   * first read, that write fails with SQLITE_BUSY_SNAPSHOT however long it waits: the whole
   * transaction would have to start again, which Kysely cannot do for its callback.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.access.turn.give();
  }

  async destroy(): Promise<void> {
    this.access.sqlite.close();
  }
}

class BusyWaitingConnection implements DatabaseConnection {
  constructor(
    private readonly access: SqliteAccess,
    private readonly policy: BusyWaitPolicy,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Made at the first SQLITE_BUSY: nearly every statement runs at its first attempt.
    let backoff: BusyBackoff | null = null;
    for (;;) {
      try {
        return this.run<R>(query);
      } catch (error) {
        if (!isBusy(error)) throw error;
        backoff ??= new BusyBackoff(this.policy);
        const wait = backoff.nextPause();
        // Inside a transaction nothing is repeated: BEGIN IMMEDIATE already holds the write lock,
        // so nothing after it should meet another writer, and SQLite's advice for a statement that
        // did is to roll the transaction back (Kysely does, on this error), not to run it again.
        if (this.access.sqlite.inTransaction || !backoff.allows(wait)) throw new DatabaseBusyError(backoff.waitedMs, error);
        // Outside a transaction the failed statement did nothing, so others may use the connection
        // meanwhile: in WAL mode reads never wait for another process's write lock, and a session
        // check or a report load need not queue behind an edit that does.
        this.access.turn.give();
        await pause(wait);
        await this.access.turn.take();
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // Nothing streams here (see statement-cache.ts): the rows come whole, through the same waiting.
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }

  private run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.access.statements.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}

/** SQLITE_BUSY (another connection holds a lock; its extended codes too) and SQLITE_LOCKED. */
export function isBusy(error: unknown): boolean {
  return error instanceof SQLite.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}
