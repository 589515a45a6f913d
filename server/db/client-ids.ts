import type { Db } from './database.js';

/** Who writes under each Yjs client id of a report (null: the server itself). */
export async function readClientOwners(db: Db, reportId: string): Promise<Map<number, number | null>> {
  const rows = await db.selectFrom('client_ids').select(['client_id', 'user_id']).where('report_id', '=', reportId).execute();
  return new Map(rows.map((row) => [row.client_id, row.user_id]));
}

/** Records `owner` as the writer of ids first used by an update; an id already recorded keeps its owner. */
export async function recordClientOwners(db: Db, reportId: string, clientIDs: readonly number[], owner: number | null): Promise<void> {
  if (clientIDs.length === 0) return;
  await db
    .insertInto('client_ids')
    .values(clientIDs.map((clientID) => ({ report_id: reportId, client_id: clientID, user_id: owner })))
    .onConflict((oc) => oc.columns(['report_id', 'client_id']).doNothing())
    .execute();
}
