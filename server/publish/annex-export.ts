import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import { cellsOfTable, type FormatDefinition } from '../../blocks/annex/definition.js';
import { findTable } from '../../blocks/annex/formats/index.js';

const CSV_HEADER = ['附表', '表名', '行', '行标签', '列', '列分组', '列标签', '数值'];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The published annex as CSV, one cell per line with the national labels beside the ids, so it
 * can be reused in Excel or WPS as it is. A UTF-8 byte-order mark and CRLF line ends make Excel
 * read the Chinese text correctly; a blank cell is an empty value, never 0.
 */
export function annexCsv(format: FormatDefinition, tables: AnnexTables): string {
  const lines = [CSV_HEADER];
  for (const tableId of Object.keys(tables)) {
    const table = findTable(format, tableId);
    if (!table) continue;
    for (const cell of cellsOfTable(table)) {
      const row = table.rows.find((candidate) => candidate.id === cell.row)!;
      const column = table.columns.find((candidate) => candidate.id === cell.column)!;
      const value = tables[tableId]?.[cell.row]?.[cell.column] ?? null;
      const group = [column.group, column.subgroup].filter(Boolean).join(' / ');
      lines.push([tableId, table.title, row.id, row.label, column.id, group, column.label, value === null ? '' : String(value)]);
    }
  }
  return `\uFEFF${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
}
