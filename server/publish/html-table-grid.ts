import { isTag, type Element } from 'domhandler';

/**
 * An HTML table laid on its grid, by the HTML table model: each cell at its column, with its
 * spans. The Word writer draws the published page's tables from it, and the import reads
 * uploaded pages' tables from it.
 */

export interface HtmlRow {
  cells: Element[];
  /** An annex table's row nesting (class depth-N), which indents its label. */
  depth: number;
}

/** A cell at its place in the table's grid, by the HTML table model. */
export interface GridCell {
  element: Element;
  rowIndex: number;
  depth: number;
  column: number;
  colSpan: number;
  rowSpan: number;
}

export interface Grid {
  width: number;
  /** Each row's own cells, without those merged down into it from above. */
  rows: GridCell[][];
}

/** The table's own rows (a table nested in a cell is that cell's content), each with its cells. */
export function tableRows(table: Element): HtmlRow[] {
  const rows: HtmlRow[] = [];
  const addRow = (row: Element) => {
    const cells = row.children.filter((cell): cell is Element => isTag(cell) && (cell.name === 'td' || cell.name === 'th'));
    const depth = /(?:^|\s)depth-(\d+)(?:\s|$)/.exec(row.attribs.class ?? '')?.[1];
    // docx leaves out a row without cells, so rows below must not count it.
    if (cells.length > 0) rows.push({ cells, depth: Number(depth ?? 0) });
  };
  for (const child of table.children) {
    if (!isTag(child)) continue;
    if (child.name === 'tr') addRow(child);
    else if (['thead', 'tbody', 'tfoot'].includes(child.name)) {
      for (const row of child.children) if (isTag(row) && row.name === 'tr') addRow(row);
    }
  }
  return rows;
}

function span(cell: Element, attribute: 'colspan' | 'rowspan'): number {
  const value = Number.parseInt(cell.attribs[attribute] ?? '1', 10);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, 1000) : 1;
}

export function gridOf(rows: readonly HtmlRow[]): Grid {
  const spans = rows.map((row) => row.cells.map((element) => ({ colSpan: span(element, 'colspan'), rowSpan: span(element, 'rowspan') })));
  const { width, columns } = placeOnGrid(spans);
  const gridRows = rows.map((row, rowIndex) =>
    row.cells.map((element, index) => ({ element, rowIndex, depth: row.depth, column: columns[rowIndex]![index]!, ...spans[rowIndex]![index]! })),
  );
  return { width, rows: gridRows };
}

/**
 * Places cells on a table's grid by the HTML table model: each takes the next column not taken by
 * a cell above reaching down into its row. A row span past the last row is cut (in the cell) to
 * end there, as a browser draws it. Answers each cell's column, and the grid's width.
 */
export function placeOnGrid(rows: ReadonlyArray<ReadonlyArray<{ colSpan: number; rowSpan: number }>>): { width: number; columns: number[][] } {
  const taken = rows.map(() => new Set<number>());
  let width = 0;
  const columns = rows.map((row, rowIndex) => {
    let column = 0;
    return row.map((cell) => {
      while (taken[rowIndex]!.has(column)) column++;
      const placed = column;
      cell.rowSpan = Math.min(cell.rowSpan, rows.length - rowIndex);
      for (let r = rowIndex; r < rowIndex + cell.rowSpan; r++) for (let c = column; c < column + cell.colSpan; c++) taken[r]!.add(c);
      column += cell.colSpan;
      width = Math.max(width, column);
      return placed;
    });
  });
  return { width, columns };
}
