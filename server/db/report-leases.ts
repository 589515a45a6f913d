import { sql } from 'kysely';
import type { Db } from './database.js';

/** Now, in milliseconds, on the database's clock: every process judges a lease by the same clock. */
const databaseNow = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export interface LeaseHolder {
  owner: string;
  url: string;
}

/**
 * Takes the report for `owner` if nobody holds it, its lease ran out, or `owner` already holds it
 * (then it is renewed); either way, answers who holds it now. PostgreSQL only.
 */
export async function claimReportLease(db: Db, reportId: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseHolder> {
  const expiresAt = sql<number>`${databaseNow} + ${ttlMs}`;
  const taken = await db
    .insertInto('report_leases')
    .values({ report_id: reportId, owner: holder.owner, url: holder.url, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('report_id')
        .doUpdateSet({ owner: holder.owner, url: holder.url, expires_at: expiresAt })
        .where((eb) => eb.or([eb('report_leases.owner', '=', holder.owner), eb('report_leases.expires_at', '<', databaseNow)])),
    )
    .returning(['owner', 'url'])
    .executeTakeFirst();
  if (taken) return taken;
  const current = await db.selectFrom('report_leases').select(['owner', 'url']).where('report_id', '=', reportId).executeTakeFirst();
  // Released between the two statements: whoever asks next takes it.
  return current ?? claimReportLease(db, reportId, holder, ttlMs);
}

/** Extends `owner`'s leases on `reportIds`; answers the ones it still holds (the rest were lost). */
export async function renewReportLeases(db: Db, owner: string, reportIds: readonly string[], ttlMs: number): Promise<Set<string>> {
  if (reportIds.length === 0) return new Set();
  const rows = await db
    .updateTable('report_leases')
    .set({ expires_at: sql<number>`${databaseNow} + ${ttlMs}` })
    .where('owner', '=', owner)
    .where('report_id', 'in', reportIds)
    .returning('report_id')
    .execute();
  return new Set(rows.map((row) => row.report_id));
}

export async function releaseReportLease(db: Db, owner: string, reportId: string): Promise<void> {
  await db.deleteFrom('report_leases').where('owner', '=', owner).where('report_id', '=', reportId).execute();
}

/** Ends the lease of the process at `url` on the report now (it was found dead); whether it was still running (false: ended or taken already). */
export async function expireReportLease(db: Db, reportId: string, url: string): Promise<boolean> {
  const ended = await db.updateTable('report_leases').set({ expires_at: 0 }).where('report_id', '=', reportId).where('url', '=', url).where('expires_at', '>', databaseNow).executeTakeFirst();
  return ended.numUpdatedRows > 0n;
}
