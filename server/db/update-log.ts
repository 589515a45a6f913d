import type { Db } from './database.js';

export interface LoggedUpdate {
  seq: number;
  data: Uint8Array;
}

/** The latest snapshot and every update logged after it: enough to rebuild the report. */
export async function readReportHistoryTail(db: Db, reportId: string) {
  const snapshot = await db
    .selectFrom('snapshots')
    .select(['seq', 'data'])
    .where('report_id', '=', reportId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const after = snapshot?.seq ?? 0;
  const updates: LoggedUpdate[] = await db
    .selectFrom('update_log')
    .select(['seq', 'data'])
    .where('report_id', '=', reportId)
    .where('seq', '>', after)
    .orderBy('seq')
    .execute();
  const last = await db
    .selectFrom('update_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return { snapshot: snapshot ?? null, updates, lastSeq: Number(last?.seq ?? 0) };
}

export async function appendUpdate(
  db: Db,
  entry: { reportId: string; seq: number; data: Uint8Array; userId: number | null; now: number },
) {
  await db
    .insertInto('update_log')
    .values({ report_id: entry.reportId, seq: entry.seq, data: entry.data, user_id: entry.userId, created_at: entry.now })
    .execute();
}

export async function writeSnapshot(db: Db, snapshot: { reportId: string; seq: number; data: Uint8Array; now: number }) {
  await db
    .insertInto('snapshots')
    .values({ report_id: snapshot.reportId, seq: snapshot.seq, data: snapshot.data, created_at: snapshot.now })
    .onConflict((oc) => oc.columns(['report_id', 'seq']).doNothing())
    .execute();
}
