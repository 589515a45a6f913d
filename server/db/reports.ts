import type { Db } from './database.js';
import type { SectionRow } from './types.js';

export async function listReportsOfDistrict(db: Db, districtId: string) {
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'title', 'year', 'format', 'level', 'archived', 'district_id as districtId'])
    .where('district_id', '=', districtId)
    .orderBy('year', 'desc')
    .orderBy('title')
    .execute();
  return rows.map((row) => ({ ...row, archived: row.archived === 1 }));
}

export async function findReport(db: Db, reportId: string) {
  return db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
}

export async function listSectionRows(db: Db, reportId: string): Promise<SectionRow[]> {
  return db.selectFrom('sections').selectAll().where('report_id', '=', reportId).execute();
}
