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

function span(cell: Element, attribute: 'colspan' | 'rowspan', max: number): number {
  const value = Number.parseInt(cell.attribs[attribute] ?? '1', 10);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : 1;
}

export function gridOf(rows: readonly HtmlRow[]): Grid {
  const taken = rows.map(() => new Set<number>());
  let width = 0;
  const gridRows = rows.map((row, rowIndex) => {
    let column = 0;
    return row.cells.map((element) => {
      while (taken[rowIndex]!.has(column)) column++;
      // A span past the last row ends at the last row, as in a browser.
      const rowSpan = span(element, 'rowspan', rows.length - rowIndex);
      const colSpan = span(element, 'colspan', 1000);
      for (let r = rowIndex; r < rowIndex + rowSpan; r++) for (let c = column; c < column + colSpan; c++) taken[r]!.add(c);
      const cell = { element, rowIndex, depth: row.depth, column, colSpan, rowSpan };
      column += colSpan;
      width = Math.max(width, column);
      return cell;
    });
  });
  return { width, rows: gridRows };
}
