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
export function createSqliteDialect(sqlite: SQLite.Database, policy: BusyWaitPolicy = defaultBusyWait): Dialect {
  return {
    createAdapter: () => new TransactionalSqliteAdapter(),
    createDriver: () => new BusyWaitingDriver(sqlite, policy),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

class BusyWaitingDriver implements Driver {
  /** The one connection, used by one query (or one transaction) at a time, in the order they asked. */
  private readonly turn = new Slots(1);
  private readonly connection: BusyWaitingConnection;

  constructor(
    private readonly sqlite: SQLite.Database,
    policy: BusyWaitPolicy,
  ) {
    this.connection = new BusyWaitingConnection(sqlite, policy, this.turn);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.turn.take();
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
    this.turn.give();
  }

  async destroy(): Promise<void> {
    this.sqlite.close();
  }
}

class BusyWaitingConnection implements DatabaseConnection {
  private readonly statements: SqliteDatabase;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly policy: BusyWaitPolicy,
    private readonly turn: Slots,
  ) {
    this.statements = withStatementCache(sqlite);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const started = performance.now();
    for (let wait = this.policy.firstPauseMs; ; wait = Math.min(wait * 2, this.policy.maxPauseMs)) {
      try {
        return this.run<R>(query);
      } catch (error) {
        if (!isBusy(error)) throw error;
        const waited = performance.now() - started;
        // Inside a transaction nothing is repeated: BEGIN IMMEDIATE already holds the write lock,
        // so nothing after it should meet another writer, and SQLite's advice for a statement that
        // did is to roll the transaction back (Kysely does, on this error), not to run it again.
        if (this.sqlite.inTransaction || waited + wait > this.policy.deadlineMs) throw new DatabaseBusyError(waited, error);
        // Outside a transaction the failed statement did nothing, so others may use the connection
        // meanwhile: in WAL mode reads never wait for another process's write lock, and a session
        // check or a report load need not queue behind an edit that does.
        this.turn.give();
        await pause(wait);
        await this.turn.take();
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // Nothing streams here (see statement-cache.ts): the rows come whole, through the same waiting.
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }

  private run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.statements.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}

/** SQLITE_BUSY (another connection holds a lock; its extended codes too) and SQLITE_LOCKED. */
function isBusy(error: unknown): boolean {
  return error instanceof SQLite.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}
