import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { SourceBlock } from '../../blocks/import/source.js';
import { gridOf, tableRows as htmlTableRows } from '../publish/html-table-grid.js';

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
  const grid = gridOf(htmlTableRows(table));
  const cells = grid.rows.flat();
  return grid.rows.map((_, rowIndex) =>
    cells
      .filter((cell) => cell.rowIndex <= rowIndex && rowIndex < cell.rowIndex + cell.rowSpan)
      .sort((a, b) => a.column - b.column)
      .map((cell) => cellText(cell.element)),
  );
}
