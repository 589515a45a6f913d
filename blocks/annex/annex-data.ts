import * as Y from 'yjs';
import { ANNEX_FIELD } from '../contract.js';
import { cellKey, columnsOfRow, type CellRef, type FormatDefinition, type TableDefinition } from './definition.js';
import { findTable } from './formats/index.js';
import { isRecord } from '../describe-value.js';

/** A table's numbers as the contract shapes them: row id → column id → number, or null for "not filled". */
export type TableValues = Record<string, Record<string, number | null>>;

/** Every table of a report by id ("A", "B", "B@finance", …). */
export type AnnexTables = Record<string, TableValues>;

export function cellValue(tables: AnnexTables, ref: CellRef): number | null {
  return tables[ref.table]?.[ref.row]?.[ref.column] ?? null;
}

/** A table with every defined cell present, blank where nothing is stored. */
function tableValues(table: TableDefinition, read: (key: string) => unknown): TableValues {
  const values: TableValues = {};
  for (const row of table.rows) {
    const columns = columnsOfRow(table, row);
    if (columns.length === 0) continue;
    const cells: Record<string, number | null> = {};
    for (const column of columns) {
      const value = read(cellKey(row.id, column.id));
      cells[column.id] = typeof value === 'number' && Number.isFinite(value) ? value : null;
    }
    values[row.id] = cells;
  }
  return values;
}

/**
 * The annex as the rules and the API read it: every table the document holds that the format
 * defines (unit copies included), each with all its cells. Stray keys are ignored here; the
 * server's guard never lets them in.
 */
export function readAnnexTables(doc: Y.Doc, format: FormatDefinition): AnnexTables {
  const tables: AnnexTables = {};
  doc.getMap<unknown>(ANNEX_FIELD).forEach((cells, tableId) => {
    const table = findTable(format, tableId);
    if (!table || !(cells instanceof Y.Map)) return;
    tables[tableId] = tableValues(table, (key) => cells.get(key));
  });
  return tables;
}

/** A table with no number filled in yet. */
export function blankTable(table: TableDefinition): TableValues {
  return tableValues(table, () => null);
}

export type ParsedAnnex = { ok: true; tables: AnnexTables } | { ok: false; error: string };

/**
 * Reads annex data sent to the API (`{ "<tableId>": { "<rowId>": { "<columnId>": number | null } } }`)
 * against a format. Unknown tables, rows or columns and values that are not numbers are refused
 * with the path that is wrong; cells left out are "not filled". Wrong numbers (negative, fractions
 * of a count) are not malformed: the rules report them.
 */
export function parseAnnexTables(input: unknown, format: FormatDefinition, path = 'tables'): ParsedAnnex {
  if (!isRecord(input)) return { ok: false, error: `${path} must be an object of tables` };
  const tables: AnnexTables = {};
  for (const [tableId, rows] of Object.entries(input)) {
    const table = findTable(format, tableId);
    if (!table) return { ok: false, error: `${path}.${tableId}: format ${format.format} has no table "${tableId}" (tables: ${format.tables.map((t) => t.id).join(', ')})` };
    if (!isRecord(rows)) return { ok: false, error: `${path}.${tableId} must be an object of rows` };
    const given = new Map<string, unknown>();
    for (const [rowId, columns] of Object.entries(rows)) {
      const row = table.rows.find((candidate) => candidate.id === rowId);
      const rowColumns = row ? columnsOfRow(table, row) : [];
      if (!row || rowColumns.length === 0) return { ok: false, error: `${path}.${tableId}.${rowId}: table ${table.id} has no row "${rowId}" with cells` };
      if (!isRecord(columns)) return { ok: false, error: `${path}.${tableId}.${rowId} must be an object of columns` };
      for (const [columnId, value] of Object.entries(columns)) {
        if (!rowColumns.some((column) => column.id === columnId)) {
          return { ok: false, error: `${path}.${tableId}.${rowId}.${columnId}: row "${rowId}" has no column "${columnId}" (columns: ${rowColumns.map((c) => c.id).join(', ')})` };
        }
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
          return { ok: false, error: `${path}.${tableId}.${rowId}.${columnId} must be a number or null, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}` };
        }
        given.set(cellKey(rowId, columnId), value);
      }
    }
    tables[tableId] = tableValues(table, (key) => given.get(key));
  }
  return { ok: true, tables };
}
