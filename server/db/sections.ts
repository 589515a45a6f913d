import type { Db } from './database.js';
import type { AuditAction, SectionState } from './types.js';

export interface SectionChange {
  department_id?: string | null;
  state?: SectionState;
  locked?: number;
  deadline?: number | null;
}

/** Writes a section's row (creating it if the section had none) and returns it. */
export async function saveSectionRow(db: Db, reportId: string, sectionId: string, change: SectionChange) {
  const hasChange = Object.keys(change).length > 0;
  await db
    .insertInto('sections')
    .values({ report_id: reportId, section_id: sectionId, department_id: null, ...change })
    .onConflict((oc) => (hasChange ? oc.columns(['report_id', 'section_id']).doUpdateSet(change) : oc.columns(['report_id', 'section_id']).doNothing()))
    .execute();
  return db
    .selectFrom('sections')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('section_id', '=', sectionId)
    .executeTakeFirstOrThrow();
}

export async function findSectionRow(db: Db, reportId: string, sectionId: string) {
  return db.selectFrom('sections').selectAll().where('report_id', '=', reportId).where('section_id', '=', sectionId).executeTakeFirst();
}

export async function deleteSectionRow(db: Db, reportId: string, sectionId: string) {
  await db.deleteFrom('sections').where('report_id', '=', reportId).where('section_id', '=', sectionId).execute();
}

/** The last logged edit of each section: who and when. */
export async function listLastEdits(db: Db, reportId: string) {
  return db
    .selectFrom('update_sections as us')
    .innerJoin('update_log as ul', (join) => join.onRef('ul.report_id', '=', 'us.report_id').onRef('ul.seq', '=', 'us.seq'))
    .leftJoin('users as u', 'u.id', 'ul.user_id')
    .select(['us.section_id as sectionId', 'ul.created_at as at', 'u.name as userName'])
    .where('us.report_id', '=', reportId)
    .where('us.seq', '=', (eb) =>
      eb
        .selectFrom('update_sections as latest')
        .select((inner) => inner.fn.max('latest.seq').as('seq'))
        .whereRef('latest.report_id', '=', 'us.report_id')
        .whereRef('latest.section_id', '=', 'us.section_id'),
    )
    .execute();
}

export async function appendAudit(
  db: Db,
  entry: { reportId: string; sectionId: string | null; userId: number | null; action: AuditAction; detail?: Record<string, unknown>; now: number },
) {
  await db
    .insertInto('audit_log')
    .values({
      report_id: entry.reportId,
      section_id: entry.sectionId,
      user_id: entry.userId,
      action: entry.action,
      detail: JSON.stringify(entry.detail ?? {}),
      created_at: entry.now,
    })
    .execute();
}

export async function listAudit(db: Db, reportId: string, sectionId?: string) {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.section_id as sectionId', 'a.action', 'a.detail', 'a.created_at as at', 'u.name as userName', 'u.department_id as departmentId'])
    .where('a.report_id', '=', reportId);
  if (sectionId !== undefined) query = query.where('a.section_id', '=', sectionId);
  const rows = await query.orderBy('a.id').execute();
  return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}
