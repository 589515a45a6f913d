import { parseFigureCell } from '../../blocks/annex/annex-figure-node.js';
import { cellKey, splitTableId, type FormatDefinition } from '../../blocks/annex/definition.js';
import { annexCellChecker, findTable } from '../../blocks/annex/formats/index.js';
import { readBodyJSON, type NodeJSON } from '../../blocks/report-json.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { listSectionRows } from '../db/reports.js';
import type { Report } from '../db/types.js';
import { deadlineAYearLater } from '../workflow/section-workflow.js';
import { placeMissingTables, type NewSection } from './report-template.js';

/**
 * This year's parts as last year's report had them: in order, with their titles, their
 * departments and their deadlines a year on, and last year's text as a starting draft — rule D1
 * marks each part as 雷同 until it is rewritten. Linked figures stay and show this year's
 * numbers; a table or figure this year's format has no place for is left out, and so are units'
 * copies of tables (the roll-up's units are set up for each year).
 */
export async function sectionsFromLastYear(deps: { db: Db; rooms: RoomRegistry }, lastYear: Report, format: FormatDefinition): Promise<NewSection[]> {
  const [body, rows] = await Promise.all([deps.rooms.read(lastYear.id, (room) => readBodyJSON(room.document)), listSectionRows(deps.db, lastYear.id)]);
  const rowOf = new Map(rows.map((row) => [row.section_id, row]));
  const cellAllowed = annexCellChecker(format);
  const figureFits = (value: unknown) => {
    const cell = parseFigureCell(value);
    return cell !== null && cellAllowed(cell.table, cellKey(cell.row, cell.column));
  };
  const carried = (node: NodeJSON): NodeJSON | null => {
    if (node.type === 'annexTable') {
      const tableId = String(node.attrs?.tableId ?? '');
      return splitTableId(tableId).unit === null && findTable(format, tableId) ? node : null;
    }
    if (node.type === 'annexFigure') return figureFits(node.attrs?.cell) && (node.attrs?.of == null || figureFits(node.attrs.of)) ? node : null;
    return node.content ? { ...node, content: node.content.map(carried).filter((child): child is NodeJSON => child !== null) } : node;
  };
  const sections = (body.content ?? [])
    .filter((node) => node.type === 'section')
    .map((node): NewSection => {
      const sectionId = String(node.attrs?.sectionId ?? '');
      const row = rowOf.get(sectionId);
      const content = (node.content ?? []).map(carried).filter((child): child is NodeJSON => child !== null);
      return {
        sectionId,
        title: String(node.attrs?.title ?? ''),
        level: node.attrs?.level === 2 ? 2 : 1,
        department: row?.department_id ?? null,
        deadline: row?.deadline == null ? null : deadlineAYearLater(row.deadline),
        content: content.length > 0 ? content : [{ type: 'paragraph' }],
      };
    });
  placeMissingTables(sections, format, format.tables.map((table) => table.id));
  return sections;
}
