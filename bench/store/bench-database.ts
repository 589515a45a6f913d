import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import * as Y from 'yjs';
import { ReportStore } from '../../server/collab/report-store.js';
import { openDatabase, type Db, type OpenedDatabase } from '../../server/db/database.js';
import { seedDemoIfEmpty } from '../../server/demo/seed-demo.js';

export type Synchronous = 'normal' | 'full';

/** Runs `use` with a fresh directory under the system's temp dir, removed afterwards whatever happens. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-bench-'));
  try {
    return await use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface BenchDatabase {
  opened: OpenedDatabase;
  store: ReportStore;
  /** The demo report being written (its seeded template is update 1): the report the benchmarks grow. */
  reportId: string;
  /** A department user, whose id is logged with each edit as a room logs its editor's. */
  writerId: number;
}

/** The server's database as `main.ts` opens it, with the demo district seeded on first open. */
export async function openBenchDatabase(file: string, synchronous: Synchronous = 'normal'): Promise<BenchDatabase> {
  const opened = await openDatabase(file, { synchronous });
  await seedDemoIfEmpty(opened.db);
  const newest = await opened.db.selectFrom('reports').select('id').orderBy('year', 'desc').limit(1).executeTakeFirstOrThrow();
  const writer = await opened.db.selectFrom('users').select('id').where('username', '=', 'finance').executeTakeFirstOrThrow();
  return { opened, store: new ReportStore(opened), reportId: newest.id, writerId: writer.id };
}

/**
 * A second report with the same row and sections as `fromId`, so the store loads it the same way;
 * with `withLog`, also its whole update log (but none of its snapshots).
 */
export async function copyReport(db: Db, fromId: string, toId: string, { withLog }: { withLog: boolean }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('reports')
      .columns(['id', 'district_id', 'title', 'year', 'format', 'created_at'])
      .expression(trx.selectFrom('reports').select([sql.lit(toId).as('id'), 'district_id', 'title', 'year', 'format', 'created_at']).where('id', '=', fromId))
      .execute();
    await trx
      .insertInto('sections')
      .columns(['report_id', 'section_id', 'department_id', 'state', 'locked', 'deadline'])
      .expression(trx.selectFrom('sections').select([sql.lit(toId).as('report_id'), 'section_id', 'department_id', 'state', 'locked', 'deadline']).where('report_id', '=', fromId))
      .execute();
    if (!withLog) return;
    // Without the `sections` column the per-section index trigger stays idle: loading never reads it.
    await trx
      .insertInto('update_log')
      .columns(['report_id', 'seq', 'data', 'user_id', 'created_at'])
      .expression(trx.selectFrom('update_log').select([sql.lit(toId).as('report_id'), 'seq', 'data', 'user_id', 'created_at']).where('report_id', '=', fromId))
      .execute();
  });
}

/**
 * A new report (the demo report's row and sections) whose log is `doc` in one update, already
 * compacted: the state a report is in after its room compacted and closed.
 */
export async function importReport(bench: BenchDatabase, reportId: string, doc: Y.Doc): Promise<void> {
  await copyReport(bench.opened.db, bench.reportId, reportId, { withLog: false });
  await bench.store.append(reportId, 1, Y.encodeStateAsUpdate(doc), bench.writerId);
  await bench.store.snapshot(reportId, 1, doc);
}
