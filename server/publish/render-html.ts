import { OFFICIAL_FONTS, OFFICIAL_PAGE_CSS } from '../../blocks/paper.js';
import { isHeaderCell, linkRuns, type Inline, type PrintBlock, type PrintCell, type PrintedReport, type PrintTable, type TextLook } from './printed-report.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Everything from the document is text: nothing a writer types can become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * The published page: the printed report (printed-report.ts) as one accessible, print-ready HTML
 * page, which the portal serves and Chromium prints to PDF.
 */
export function reportHtml(report: PrintedReport): string {
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${PRINT_STYLE}</style></head>`,
    `<body><main>${report.draftMark ? `<p class="draft-mark">${escapeHtml(report.draftMark)}</p>` : ''}<h1>${escapeHtml(report.title)}</h1>`,
    blocksHtml(report.blocks),
    '</main></body></html>',
  ].join('\n');
}

function blocksHtml(blocks: readonly PrintBlock[]): string {
  return blocks.map(blockHtml).join('');
}

function blockHtml(block: PrintBlock): string {
  switch (block.kind) {
    case 'section':
      return `<section id="section-${escapeHtml(block.id)}">${blocksHtml(block.blocks)}</section>`;
    case 'heading': {
      const tag = `h${Math.min(6, block.level + 1)}`;
      return `<${tag}>${inlinesHtml(block.inlines)}</${tag}>`;
    }
    case 'paragraph':
      return `<p>${inlinesHtml(block.inlines)}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${blocksHtml(item)}</li>`).join('')}</${tag}>`;
    }
    case 'quote':
      return `<blockquote>${blocksHtml(block.blocks)}</blockquote>`;
    case 'code':
      return `<pre><code>${inlinesHtml(block.inlines)}</code></pre>`;
    case 'rule':
      return '<hr>';
    case 'table':
      return tableHtml(block.table);
  }
}

function inlinesHtml(inlines: readonly Inline[]): string {
  return linkRuns(inlines)
    .map((run) => {
      const html = run.inlines.map((inline) => (inline.kind === 'break' ? '<br>' : lookHtml(escapeHtml(inline.text), inline.look))).join('');
      return run.href ? `<a href="${escapeHtml(run.href)}" rel="noopener noreferrer">${html}</a>` : html;
    })
    .join('');
}

const LOOK_TAGS: ReadonlyArray<[keyof TextLook, string]> = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['underline', 'u'],
  ['strike', 's'],
  ['code', 'code'],
];

function lookHtml(html: string, look: TextLook): string {
  let marked = look.figure ? `<span class="figure">${html}</span>` : html;
  for (const [name, tag] of LOOK_TAGS) if (look[name]) marked = `<${tag}>${marked}</${tag}>`;
  if (look.revision) {
    const tag = look.revision.kind === 'insertion' ? 'ins' : 'del';
    marked = `<${tag} title="${escapeHtml(look.revision.author)}">${marked}</${tag}>`;
  }
  return marked;
}

function spanAttributes(cell: PrintCell): string {
  return `${cell.colSpan > 1 ? ` colspan="${cell.colSpan}"` : ''}${cell.rowSpan > 1 ? ` rowspan="${cell.rowSpan}"` : ''}`;
}

const CELL_TAGS: Record<PrintCell['role'], string> = {
  column: '<th scope="col"',
  'column-group': '<th scope="colgroup"',
  row: '<th scope="row"',
  caption: '<th scope="rowgroup" class="caption-row"',
  data: '<td',
  number: '<td class="number"',
};

function cellHtml(cell: PrintCell): string {
  const content = 'text' in cell ? escapeHtml(cell.text) : blocksHtml(cell.blocks);
  return `${CELL_TAGS[cell.role]}${spanAttributes(cell)}>${content}</${isHeaderCell(cell) ? 'th' : 'td'}>`;
}

/** Real header cells with their scope; the column headers a <thead>, repeated on every page the table continues on. */
function tableHtml(table: PrintTable): string {
  // A row with a label is indented by its nesting (depth-1, depth-2).
  const rows = table.rows.map((row) => `<tr${row.cells.some((cell) => cell.role === 'row') ? ` class="depth-${row.depth}"` : ''}>${row.cells.map(cellHtml).join('')}</tr>`);
  const head = table.headerRows > 0 ? `<thead>${rows.slice(0, table.headerRows).join('')}</thead>` : '';
  const body = `<tbody>${rows.slice(table.headerRows).join('')}</tbody>`;
  if (!table.annex) return `<table class="text-table">${head}${body}</table>`;
  const { id, tableId } = table.annex;
  const columns = `<colgroup><col class="label"><col span="${table.width - 1}" class="value"></colgroup>`;
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  return `<table class="annex annex-${escapeHtml(id)}" id="annex-${escapeHtml(tableId)}">${caption}${columns}${head}${body}</table>`;
}

const { SONG, FANGSONG, KAI, TITLE_SONG, HEI } = OFFICIAL_FONTS;

/** 三号 (16 pt) text on the standard's grid of 22 lines in the 225 mm of type area. */
const LINE = '28.95pt';

/**
 * Paper, as GB/T 9704-2012 lays out an official document and the portal's page prints the same:
 * its page (`OFFICIAL_PAGE_CSS`), 仿宋 三号 body text, the title in 小标宋 二号, part headings in
 * 黑体 and sub-part headings in 楷体 of the body's size. Annex tables keep their rows whole, repeat
 * their column headers on every page they continue on, and never leave their caption at the foot
 * of a page.
 */
const PAPER = [
  OFFICIAL_PAGE_CSS,
  '@media print{',
  `body{font-family:${FANGSONG};font-size:16pt;line-height:${LINE}}main{max-width:none;padding:0}`,
  `h1{font-family:${TITLE_SONG};font-size:22pt;font-weight:400;line-height:1.6;margin:0 0 ${LINE}}`,
  `h2,h3,h4{font-size:16pt;font-weight:400;line-height:${LINE};margin:0;break-after:avoid}h2{font-family:${HEI}}h3,h4{font-family:${KAI}}`,
  'p{margin:0}',
  `table{font-size:10pt;line-height:1.35;break-inside:auto}th,td{padding:1pt 2pt}th{font-family:${HEI};font-weight:400}thead th{font-size:9pt}`,
  'table.annex{table-layout:fixed}col.label{width:36%}table.annex-B col.label{width:31%}table.annex-C{font-size:8pt}table.annex-C thead th{font-size:8pt}table.annex-C col.label{width:8%}',
  `caption{font-family:${HEI};font-size:14pt;break-after:avoid}thead{display:table-header-group;break-inside:avoid;break-after:avoid}`,
  'tr{break-inside:avoid}tbody tr:first-child{break-before:avoid}',
  '.version,.downloads{display:none}',
  '}',
];

/** Readable at 200% zoom (relative units, wrapping tables) and clean on paper. */
const PRINT_STYLE = [
  `body{font-family:${SONG};line-height:1.8;margin:0;color:#111;background:#fff}`,
  'main{max-width:48rem;margin:0 auto;padding:1.5rem}',
  `h1,h2,h3,h4,caption,th{font-family:${HEI}}`,
  'h1{font-size:1.6rem;text-align:center}h2{font-size:1.25rem}h3{font-size:1.1rem}',
  'p{text-indent:2em;margin:0.5em 0}',
  'table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:0.85rem;overflow-wrap:anywhere}',
  'th,td{border:1px solid #555;padding:0.2rem 0.35rem}th{font-weight:600;background:#f2f2f2}',
  'th[scope=row]{text-align:left}td.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}',
  '.depth-1 th[scope=row]{padding-left:1.2rem}.depth-2 th[scope=row]{padding-left:2.4rem;font-weight:400}',
  'caption{font-weight:600;text-align:left;padding:0.25rem 0}',
  `.draft-mark{text-align:right;text-indent:0;font-family:${HEI};color:#b42318}`,
  'a{color:#1d4ed8}a:focus{outline:3px solid #f59e0b}',
  '.version{border-left:4px solid #1d4ed8;padding:0.25rem 0.75rem;background:#f5f8ff}',
  '.downloads ul{display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;list-style:none;padding:0;margin:0.5rem 0 1rem}',
  ...PAPER,
].join('');
