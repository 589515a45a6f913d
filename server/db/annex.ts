import type { BodyLevel } from '../../blocks/annex/body-level.js';
import type { Db } from './database.js';
import type { Report, UnitKind } from './types.js';

export interface UnitRow {
  id: string;
  name: string;
  kind: UnitKind;
  sectionId: string;
}

export async function listUnits(db: Db, reportId: string): Promise<UnitRow[]> {
  return db
    .selectFrom('report_units')
    .select(['unit_id as id', 'name', 'kind', 'section_id as sectionId'])
    .where('report_id', '=', reportId)
    .orderBy('position')
    .execute();
}

/** The units of a roll-up, replaced as a whole: the lead office declares the list. */
export async function replaceUnits(db: Db, reportId: string, units: readonly UnitRow[]): Promise<void> {
  await db.deleteFrom('report_units').where('report_id', '=', reportId).execute();
  if (units.length === 0) return;
  await db
    .insertInto('report_units')
    .values(units.map((unit, position) => ({ report_id: reportId, unit_id: unit.id, name: unit.name, kind: unit.kind, section_id: unit.sectionId, position })))
    .execute();
}

export async function savePreviousAnnex(db: Db, reportId: string, json: string | null): Promise<void> {
  await db.updateTable('reports').set({ previous_annex: json }).where('id', '=', reportId).execute();
}

export async function saveReportLevel(db: Db, reportId: string, level: BodyLevel): Promise<void> {
  await db.updateTable('reports').set({ level }).where('id', '=', reportId).execute();
}

/** The report of a body (district) for a year, if the system has it; a body writes one report a year. */
export async function findReportOfYear(db: Db, districtId: string, year: number): Promise<Report | undefined> {
  return db.selectFrom('reports').selectAll().where('district_id', '=', districtId).where('year', '=', year).orderBy('created_at').executeTakeFirst();
}

/** Last year's report of the same body. */
export function findPreviousReport(db: Db, report: Pick<Report, 'district_id' | 'year'>): Promise<Report | undefined> {
  return findReportOfYear(db, report.district_id, report.year - 1);
}
