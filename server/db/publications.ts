import type { Insertable } from 'kysely';
import type { Db } from './database.js';
import type { PublicationFileTable, PublicationTable } from './types.js';

export async function insertPublication(db: Db, publication: Insertable<PublicationTable>): Promise<void> {
  await db.insertInto('publications').values(publication).execute();
}

export async function insertPublicationFile(db: Db, file: PublicationFileTable): Promise<void> {
  await db.insertInto('publication_files').values(file).execute();
}

export async function findPublicationFile(db: Db, publicationId: string, kind: PublicationFileTable['kind']) {
  return db.selectFrom('publication_files').selectAll().where('publication_id', '=', publicationId).where('kind', '=', kind).executeTakeFirst();
}

/** The report's current version, for comparing the report as it is now with what was published. */
export async function findLatestPublication(db: Db, reportId: string) {
  return db.selectFrom('publications').selectAll().where('report_id', '=', reportId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** A report's publications, newest first, with who published each. */
export async function listPublications(db: Db, reportId: string) {
  return db
    .selectFrom('publications')
    .innerJoin('users', 'users.id', 'publications.published_by')
    .select(['publications.id', 'version', 'seq', 'note', 'content_hash as contentHash', 'published_at as publishedAt', 'users.name as publishedBy'])
    .where('report_id', '=', reportId)
    .orderBy('version', 'desc')
    .execute();
}

/**
 * Holds the report's row until the transaction ends, so concurrent publishes of one report (on
 * PostgreSQL, from several server processes) number their versions one after the other instead
 * of both taking the same number. A write, not `FOR UPDATE`, because SQLite has no row locks —
 * there every transaction is serial already.
 */
export async function lockReportRow(db: Db, reportId: string): Promise<void> {
  await db.updateTable('reports').set((eb) => ({ year: eb.ref('year') })).where('id', '=', reportId).execute();
}

export async function latestVersion(db: Db, reportId: string): Promise<number> {
  const row = await db.selectFrom('publications').select((eb) => eb.fn.max('version').as('version')).where('report_id', '=', reportId).executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function findPublication(db: Db, id: string) {
  return db.selectFrom('publications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The current (latest) version of every published report, for the portal's index. */
export async function listCurrentPublications(db: Db) {
  return db
    .selectFrom('publications as p')
    .innerJoin('reports as r', 'r.id', 'p.report_id')
    .innerJoin('districts as d', 'd.id', 'r.district_id')
    .select(['p.id', 'p.version', 'p.published_at as publishedAt', 'r.title', 'r.year', 'd.name as body'])
    .where(({ eb, selectFrom }) => eb('p.version', '=', selectFrom('publications as q').select((q) => q.fn.max('q.version').as('v')).whereRef('q.report_id', '=', 'p.report_id')))
    .orderBy('r.year', 'desc')
    .orderBy('d.name')
    .execute();
}

/** Publications still waiting to reach the external portal. */
export async function countPendingDeliveries(db: Db): Promise<number> {
  const row = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}
