import type { CompiledQuery } from 'kysely';
import type { Db } from './database.js';

/** Who writes under each Yjs client id of a report (null: the server itself). */
export async function readClientOwners(db: Db, reportId: string): Promise<Map<number, number | null>> {
  const rows = await db.selectFrom('client_ids').select(['client_id', 'user_id']).where('report_id', '=', reportId).execute();
  return new Map(rows.map((row) => [row.client_id, row.user_id]));
}

/** The statement that records `owner` as the writer of ids first used by an update (null: no ids); an id already recorded keeps its owner. */
export function claimQuery(db: Db, reportId: string, clientIDs: readonly number[], owner: number | null): CompiledQuery | null {
  if (clientIDs.length === 0) return null;
  return db
    .insertInto('client_ids')
    .values(clientIDs.map((clientID) => ({ report_id: reportId, client_id: clientID, user_id: owner })))
    .onConflict((oc) => oc.columns(['report_id', 'client_id']).doNothing())
    .compile();
}

/** Records `owner` as the writer of ids first used by an update; an id already recorded keeps its owner. */
export async function recordClientOwners(db: Db, reportId: string, clientIDs: readonly number[], owner: number | null): Promise<void> {
  const query = claimQuery(db, reportId, clientIDs, owner);
  if (query) await db.executeQuery(query);
}
