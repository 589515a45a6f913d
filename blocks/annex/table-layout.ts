import { columnsOfRow, type ColumnDefinition, type RowDefinition, type TableDefinition } from './definition.js';

/** A header cell of the national layout, with its spans; `columnId` marks a column's own label. */
export interface HeaderCell {
  label: string;
  colSpan: number;
  rowSpan: number;
  columnId?: string;
}

/** A body cell: a number cell of `column`, or an empty cell of a heading row. */
export interface DataCell {
  column: ColumnDefinition | null;
  colSpan: number;
}

export type LayoutRow =
  | { kind: 'header'; cells: HeaderCell[] }
  | { kind: 'caption'; label: string }
  | { kind: 'data'; row: RowDefinition; cells: DataCell[] };

export interface TableLayout {
  /** Columns of the drawn table, the row-label column included. */
  width: number;
  rows: LayoutRow[];
}

/** Header rows from the columns' groups: a group spans its columns, a label reaches down to the last header row. */
function gridHeader(table: TableDefinition): HeaderCell[][] {
  const paths = table.columns.map((column) => [table.columnsCaption, column.group, column.subgroup, column.label].filter((part): part is string => Boolean(part)));
  const depth = Math.max(...paths.map((path) => path.length));
  const rows: HeaderCell[][] = [];
  for (let level = 0; level < depth; level++) {
    const cells: HeaderCell[] = level === 0 ? [{ label: table.note ?? '', colSpan: 1, rowSpan: depth }] : [];
    for (let i = 0; i < paths.length; ) {
      const path = paths[i]!;
      if (level >= path.length) {
        i++;
      } else if (level === path.length - 1) {
        cells.push({ label: path[level]!, colSpan: 1, rowSpan: depth - level, columnId: table.columns[i]!.id });
        i++;
      } else {
        let j = i;
        while (j < paths.length && paths[j]!.length - 1 > level && paths[j]!.slice(0, level + 1).join('\u0000') === path.slice(0, level + 1).join('\u0000')) j++;
        cells.push({ label: path[level]!, colSpan: j - i, rowSpan: 1 });
        i = j;
      }
    }
    rows.push(cells);
  }
  return rows;
}

/**
 * The national layout of a table as rows to draw — the one layout the editor and the published
 * report share. Tables whose rows have their own columns (table A) are drawn in captioned blocks,
 * each with its own header; the others as one grid under a grouped header.
 */
export function layoutTable(table: TableDefinition): TableLayout {
  const blocks = table.rows.some((row) => row.columns);
  if (blocks) {
    const width = 1 + Math.max(...table.rows.map((row) => columnsOfRow(table, row).length));
    const rows: LayoutRow[] = [];
    let header = '';
    for (const row of table.rows) {
      const columns = columnsOfRow(table, row);
      if (row.caption) rows.push({ kind: 'caption', label: row.caption });
      const signature = columns.map((column) => column.id).join(',');
      if (row.caption || signature !== header) {
        header = signature;
        rows.push({
          kind: 'header',
          cells: [{ label: '信息内容', colSpan: 1, rowSpan: 1 }, ...columns.map((column, index) => ({ label: column.label, colSpan: index === columns.length - 1 ? width - columns.length : 1, rowSpan: 1, columnId: column.id }))],
        });
      }
      rows.push({ kind: 'data', row, cells: columns.map((column, index) => ({ column, colSpan: index === columns.length - 1 ? width - columns.length : 1 })) });
    }
    return { width, rows };
  }
  const rows: LayoutRow[] = gridHeader(table).map((cells) => ({ kind: 'header', cells }));
  for (const row of table.rows) {
    if (row.caption) rows.push({ kind: 'caption', label: row.caption });
    rows.push({ kind: 'data', row, cells: table.columns.map((column) => ({ column: row.heading ? null : column, colSpan: 1 })) });
  }
  return { width: 1 + table.columns.length, rows };
}
