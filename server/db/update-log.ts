import { sql, type CompiledQuery, type SqlBool } from 'kysely';
import type { Db } from './database.js';
import type { StoredPartKind } from './types.js';

export interface LoggedUpdate {
  seq: number;
  data: Uint8Array;
}

/**
 * Whether the operator left this row out of every replay (npm run report-admin -- skip): a
 * skipped update or snapshot stays in its table, as the audit trail, but no version is built on it.
 */
function isNotSkipped(kind: StoredPartKind, table: 'update_log' | 'snapshots') {
  return sql<SqlBool>`not exists (
    select 1 from skipped_rows
    where skipped_rows.report_id = ${sql.ref(`${table}.report_id`)} and skipped_rows.kind = ${kind} and skipped_rows.seq = ${sql.ref(`${table}.seq`)}
  )`;
}

/** The latest snapshot and every update logged after it: enough to rebuild the report. */
export async function readReportHistoryTail(db: Db, reportId: string) {
  const snapshot = await db
    .selectFrom('snapshots')
    .select(['seq', 'data'])
    .where('report_id', '=', reportId)
    .where(isNotSkipped('snapshot', 'snapshots'))
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const after = snapshot?.seq ?? 0;
  const updates: LoggedUpdate[] = await db
    .selectFrom('update_log')
    .select(['seq', 'data'])
    .where('report_id', '=', reportId)
    .where('seq', '>', after)
    .where(isNotSkipped('update', 'update_log'))
    .orderBy('seq')
    .execute();
  return { snapshot: snapshot ?? null, updates, lastSeq: await readLastSeq(db, reportId) };
}

/** The last sequence number the report's log holds. Skipped rows count: the next update's seq must follow every row. */
export async function readLastSeq(db: Db, reportId: string): Promise<number> {
  const last = await db
    .selectFrom('update_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return Number(last?.seq ?? 0);
}

/**
 * The append runs once per keystroke. Its SQL is compiled once per database handle and run with
 * each update's values: built afresh through the query builder, it cost as much as the insert
 * itself. The template is compiled from stand-in values of each column's type, so every value is
 * a parameter (a null would be written into the SQL).
 */
const appendTemplates = new WeakMap<Db, CompiledQuery>();

function appendTemplate(db: Db): CompiledQuery {
  let template = appendTemplates.get(db);
  if (!template) {
    template = db
      .insertInto('update_log')
      .values({ report_id: '', seq: 0, data: new Uint8Array(), user_id: 0, created_at: 0, sections: '' })
      .compile();
    appendTemplates.set(db, template);
  }
  return template;
}

/** One update of a report's log, as it is stored. */
export interface LoggedUpdateRow {
  reportId: string;
  seq: number;
  data: Uint8Array;
  userId: number | null;
  at: number;
  sectionIds?: Iterable<string>;
}

/** The statement that logs `entry`, for whichever way the caller runs it. */
export function appendQuery(db: Db, entry: LoggedUpdateRow): CompiledQuery {
  const sectionIds = [...(entry.sectionIds ?? [])];
  const sections = sectionIds.length > 0 ? JSON.stringify(sectionIds) : null;
  // In the order of the template's columns.
  return { ...appendTemplate(db), parameters: [entry.reportId, entry.seq, entry.data, entry.userId, entry.at, sections] };
}

export async function appendUpdate(db: Db, entry: LoggedUpdateRow) {
  await db.executeQuery(appendQuery(db, entry));
}

/** The nearest snapshot at or before `seq` and the updates after it up to `seq`: the report as it was then. */
export async function readReportHistoryUpTo(db: Db, reportId: string, seq: number) {
  const snapshot = await db
    .selectFrom('snapshots')
    .select(['seq', 'data'])
    .where('report_id', '=', reportId)
    .where('seq', '<=', seq)
    .where(isNotSkipped('snapshot', 'snapshots'))
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const updates: LoggedUpdate[] = await db
    .selectFrom('update_log')
    .select(['seq', 'data'])
    .where('report_id', '=', reportId)
    .where('seq', '>', snapshot?.seq ?? 0)
    .where('seq', '<=', seq)
    .where(isNotSkipped('update', 'update_log'))
    .orderBy('seq')
    .execute();
  return { snapshot: snapshot ?? null, updates };
}

/** Every logged change to one section, oldest first, with who made it. */
export async function listSectionChanges(db: Db, reportId: string, sectionId: string) {
  return db
    .selectFrom('update_sections')
    .innerJoin('update_log', (join) =>
      join.onRef('update_log.report_id', '=', 'update_sections.report_id').onRef('update_log.seq', '=', 'update_sections.seq'),
    )
    .leftJoin('users', 'users.id', 'update_log.user_id')
    .select(['update_log.seq', 'update_log.created_at as at', 'update_log.user_id as userId', 'users.name as userName', 'users.department_id as departmentId'])
    .where('update_sections.report_id', '=', reportId)
    .where('update_sections.section_id', '=', sectionId)
    .where(isNotSkipped('update', 'update_log'))
    .orderBy('update_log.seq')
    .execute();
}

/**
 * Snapshots kept besides the latest: the earliest one in each run of this many updates. Every
 * snapshot is the whole document (about 1 MB for a long report, one per 500 updates), so keeping
 * them all would make snapshots nearly the whole file; reading an old version replays at most
 * this many updates from the one kept before it.
 */
export const SNAPSHOT_RETENTION_SPAN = 5000;

/** Writes a snapshot, and drops the one before it unless it is the earliest of its span. */
export async function writeSnapshot(db: Db, snapshot: { reportId: string; seq: number; data: Uint8Array; now: number }) {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('snapshots')
      .values({ report_id: snapshot.reportId, seq: snapshot.seq, data: snapshot.data, created_at: snapshot.now })
      .onConflict((oc) => oc.columns(['report_id', 'seq']).doNothing())
      .execute();
    await sql`
      DELETE FROM snapshots
      WHERE report_id = ${snapshot.reportId}
        AND seq = (SELECT max(seq) FROM snapshots WHERE report_id = ${snapshot.reportId} AND seq < ${snapshot.seq})
        AND EXISTS (
          SELECT 1 FROM snapshots AS earlier
          WHERE earlier.report_id = snapshots.report_id AND earlier.seq < snapshots.seq
            AND earlier.seq / ${sql.lit(SNAPSHOT_RETENTION_SPAN)} = snapshots.seq / ${sql.lit(SNAPSHOT_RETENTION_SPAN)}
        )`.execute(trx);
  });
}

/** Leaves rows out of every replay from now on, each saying why, in one transaction; the rows themselves are kept. */
export async function skipStoredRows(db: Db, reportId: string, skips: ReadonlyArray<{ kind: StoredPartKind; seq: number; reason: string }>, now: number) {
  const rows = skips.map((skip) => ({ report_id: reportId, kind: skip.kind, seq: skip.seq, reason: skip.reason, skipped_at: now }));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200) {
      await trx.insertInto('skipped_rows').values(rows.slice(i, i + 200)).onConflict((oc) => oc.doNothing()).execute();
    }
  });
}

/**
 * A mark that changes whenever the operator skips something of the report: a report that could
 * not be read is read again once its mark moved, without waiting for its quarantine to end.
 */
export async function readSkipMark(db: Db, reportId: string): Promise<string> {
  const row = await db
    .selectFrom('skipped_rows')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('skipped_at').as('latest')])
    .where('report_id', '=', reportId)
    .executeTakeFirstOrThrow();
  return `${row.count}@${row.latest ?? 0}`;
}

/** The report's version at a moment: the last update logged at or before `at` (0 before any). */
export async function lastSeqAt(db: Db, reportId: string, at: number): Promise<number> {
  const row = await db.selectFrom('update_log').select((eb) => eb.fn.max('seq').as('seq')).where('report_id', '=', reportId).where('created_at', '<=', at).executeTakeFirst();
  return Number(row?.seq ?? 0);
}
