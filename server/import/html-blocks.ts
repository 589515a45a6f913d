import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { SourceBlock } from '../../blocks/import/source.js';

/** Elements that end a line of text where they open and close. */
const BLOCK_ELEMENTS = new Set([
  'p', 'div', 'section', 'article', 'main', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'hr', 'tr', 'center', 'figure', 'figcaption', 'address',
]);
/** What a page shows besides the report (scripts, menus, the site's header and footer) or never shows. */
const SKIPPED_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'head', 'nav', 'header', 'footer', 'iframe', 'svg', 'button', 'select', 'form']);

/**
 * A web page (a report saved from a portal, or a DOCX turned into HTML) as the import reads it:
 * its lines of text and its tables, each merged cell placed in every row it spans.
 */
export function htmlBlocks(html: string): SourceBlock[] {
  const blocks: SourceBlock[] = [];
  let line = '';
  const endLine = () => {
    const text = line.replace(/[ \t\r\n\f\u00a0]+/g, ' ').trim();
    if (text !== '') blocks.push({ kind: 'text', text });
    line = '';
  };
  const walk = (nodes: readonly ChildNode[]) => {
    for (const node of nodes) {
      if (isText(node)) line += node.data;
      if (!isTag(node) || SKIPPED_ELEMENTS.has(node.name)) continue;
      if (node.name === 'table') {
        endLine();
        blocks.push({ kind: 'table', rows: tableRows(node) });
        continue;
      }
      const isBlock = BLOCK_ELEMENTS.has(node.name);
      if (isBlock) endLine();
      walk(node.children);
      if (isBlock) endLine();
    }
  };
  walk(parseDocument(html, { decodeEntities: true }).children);
  endLine();
  return blocks;
}

/** A cell's text on one line; a nested table's text is part of its cell. */
const cellText = (cell: Element) => DomUtils.textContent(cell).replace(/[\s\u00a0]+/g, ' ').trim();

/** The rows of a table, a cell spanning rows repeated in each (rowspan), one spanning columns given once (colspan). */
function tableRows(table: Element): string[][] {
  // Rows of this table only: a table nested in a cell is read as that cell's text.
  const rows = DomUtils.findAll((element) => element.name === 'tr' && nearestTable(element) === table, table.children);
  const grid: Array<Array<{ text: string; origin: number } | undefined>> = [];
  let origin = 0;
  rows.forEach((row, rowIndex) => {
    grid[rowIndex] ??= [];
    let column = 0;
    for (const cell of row.children.filter((child): child is Element => isTag(child) && (child.name === 'td' || child.name === 'th'))) {
      while (grid[rowIndex]![column]) column++;
      const colSpan = spanOf(cell, 'colspan');
      const rowSpan = spanOf(cell, 'rowspan');
      const placed = { text: cellText(cell), origin: origin++ };
      for (let r = 0; r < rowSpan; r++) {
        grid[rowIndex + r] ??= [];
        for (let c = 0; c < colSpan; c++) grid[rowIndex + r]![column + c] = placed;
      }
      column += colSpan;
    }
  });
  return grid.map((cells) => cells.filter((cell, index) => cell !== undefined && cell !== cells[index - 1]).map((cell) => cell!.text));
}

function nearestTable(element: Element): Element | null {
  let parent = element.parent;
  while (parent && !(isTag(parent) && parent.name === 'table')) parent = parent.parent;
  return parent as Element | null;
}

const MAX_SPAN = 100;
function spanOf(cell: Element, attribute: 'colspan' | 'rowspan'): number {
  const value = Number.parseInt(cell.attribs[attribute] ?? '1', 10);
  return Number.isFinite(value) && value >= 1 ? Math.min(value, MAX_SPAN) : 1;
}
