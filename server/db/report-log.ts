import type { CompiledQuery } from 'kysely';
import { claimQuery } from './client-ids.js';
import type { Db } from './database.js';
import { appendQuery } from './update-log.js';

/** Yjs client ids an update writes under for the first time, and whose they become. */
export interface ClientIdClaim {
  clientIDs: readonly number[];
  owner: number | null;
}

/** An accepted update as the log keeps it: who wrote it, when, where, and the client ids it claims. */
export interface LogEntry {
  reportId: string;
  seq: number;
  data: Uint8Array;
  userId: number | null;
  at: number;
  sectionIds: readonly string[];
  claims: readonly ClientIdClaim[];
}

/**
 * Where a room logs each update it accepts, before anyone is sent it. `append` resolves once the
 * update survives the process being killed; readers of the log's tables (`update_log`,
 * `update_sections`, `client_ids`) see it once `settled` resolves, and at once through this
 * process's own database handle, which moves whatever waits before any statement runs.
 */
export interface ReportLog {
  append(entry: LogEntry): Promise<void>;
  /** Resolves once every update appended so far is in the tables; fails if they stay unreachable past the database's wait deadline. */
  settled(): Promise<void>;
}

/**
 * The statements that put `entry` in the tables: its client ids' claims first (should the append
 * then fail, a claim only says who would have written under them, which stays true), then the update.
 */
export function logEntryQueries(db: Db, entry: LogEntry): CompiledQuery[] {
  const claims = entry.claims.map((claim) => claimQuery(db, entry.reportId, claim.clientIDs, claim.owner)).filter((query) => query !== null);
  return [...claims, appendQuery(db, entry)];
}

/** The log written straight into the database's tables, each update when it is appended (PostgreSQL, and the operator's tools). */
export function directReportLog(db: Db): ReportLog {
  return {
    async append(entry) {
      for (const query of logEntryQueries(db, entry)) await db.executeQuery(query);
    },
    settled: () => Promise.resolve(),
  };
}
