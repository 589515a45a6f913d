import type { BodyLevel } from '../../blocks/annex/body-level.js';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { blankTable, type AnnexTables } from '../../blocks/annex/annex-data.js';
import type { FormatDefinition } from '../../blocks/annex/definition.js';
import type { NodeJSON } from '../../blocks/report-json.js';
import type { SectionLevel } from '../../blocks/section/section.js';
import { recordClientOwners } from '../db/client-ids.js';
import type { Db } from '../db/database.js';
import { appendUpdate } from '../db/update-log.js';
import { buildReportUpdate } from './report-document.js';

export interface NewSection {
  sectionId: string;
  title: string;
  level: SectionLevel;
  department: string | null;
  /** When its department's text is due (ms), if set. */
  deadline?: number | null;
  /** The section's blocks as ProseMirror JSON (an annexTable node places a table). */
  content: NodeJSON[];
}

export interface NewReport {
  districtId: string;
  title: string;
  year: number;
  format: FormatDefinition;
  /** Who writes it; a county or district unless said. */
  level?: BodyLevel;
  sections: NewSection[];
  tables: AnnexTables;
  /** Imported from an earlier year's publication: read-only. */
  archived?: boolean;
  userId: number | null;
  now: number;
}

function newReportId(): string {
  return randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');
}

/** The parts of a new report in the format's order, each empty but for the table it holds. */
export function templateSections(format: FormatDefinition): NewSection[] {
  return format.sections.map((section) => ({
    sectionId: section.sectionId,
    title: section.title,
    level: 1,
    department: null,
    content: [{ type: 'paragraph' }, ...(section.tableId ? [{ type: 'annexTable', attrs: { tableId: section.tableId } }] : [])],
  }));
}

/**
 * Places each of the format's tables that no section holds yet: in the section the format gives
 * it, or else at the end of the last one — a report always shows every table it has.
 */
export function placeMissingTables(sections: NewSection[], format: FormatDefinition, tableIds: readonly string[]): void {
  const placed = new Set<string>();
  const find = (node: NodeJSON) => {
    if (node.type === 'annexTable' && typeof node.attrs?.tableId === 'string') placed.add(node.attrs.tableId);
    for (const child of node.content ?? []) find(child);
  };
  for (const section of sections) section.content.forEach(find);
  for (const tableId of tableIds) {
    if (placed.has(tableId)) continue;
    const home = format.sections.find((section) => section.tableId === tableId)?.sectionId;
    const section = sections.find((candidate) => candidate.sectionId === home) ?? sections[sections.length - 1]!;
    section.content.push({ type: 'annexTable', attrs: { tableId } });
  }
}

/**
 * The format's tables, blank ("not filled", never zero) — except 上年结转, which is last year's
 * 结转下年度 when last year's report is known (rule Y1 holds from the first day).
 */
export function templateTables(format: FormatDefinition, previous: AnnexTables | null): AnnexTables {
  const tables: AnnexTables = {};
  for (const table of format.tables) tables[table.id] = blankTable(table);
  const carried = tables.B?.carried;
  const forward = previous?.B?.forward;
  if (carried && forward) {
    for (const column of Object.keys(carried)) carried[column] = forward[column] ?? null;
  }
  return tables;
}

/** Stores a new report: its row, its sections' rows and its first logged update, in one transaction (the caller's, if it is in one). */
export async function insertReport(db: Db, report: NewReport): Promise<string> {
  const id = newReportId();
  const update = buildReportUpdate(
    report.sections.map((section) => ({ type: 'section', attrs: { sectionId: section.sectionId, title: section.title, level: section.level }, content: section.content })),
    report.tables,
  );
  const write = async (trx: Db) => {
    await trx
      .insertInto('reports')
      .values({ id, district_id: report.districtId, title: report.title, year: report.year, format: report.format.format, level: report.level, archived: report.archived ? 1 : 0, created_at: report.now })
      .execute();
    await trx
      .insertInto('sections')
      .values(report.sections.map((section) => ({ report_id: id, section_id: section.sectionId, department_id: section.department, deadline: section.deadline ?? null })))
      .execute();
    await appendUpdate(trx, { reportId: id, seq: 1, data: update, userId: report.userId, at: report.now, sectionIds: report.sections.map((s) => s.sectionId) });
    // The server wrote it: its client id is no user's to write under.
    await recordClientOwners(trx, id, [...new Set(Y.decodeUpdate(update).structs.map((struct) => struct.id.client))], null);
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return id;
}
