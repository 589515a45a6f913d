import { figureText, type FigureAttrs } from '../../blocks/annex/annex-figure-node.js';
import { cellValue, type AnnexTables } from '../../blocks/annex/annex-data.js';
import { splitTableId, type FormatDefinition } from '../../blocks/annex/definition.js';
import { findTable } from '../../blocks/annex/formats/index.js';
import { formatCellValue } from '../../blocks/annex/number-input.js';
import { layoutTable, type LayoutRow } from '../../blocks/annex/table-layout.js';
import type { NodeJSON } from '../../blocks/report-json.js';
import { OFFICIAL_FONTS, OFFICIAL_PAGE_CSS } from '../../blocks/paper.js';

/** What the published page is rendered from: the report's document, its numbers, and who it is. */
export interface RenderInput {
  title: string;
  body: NodeJSON;
  format: FormatDefinition;
  tables: AnnexTables;
  /** Names of roll-up units, for the captions of their tables. */
  unitName?: (unitId: string) => string;
  /** A draft for sign-off, never a publication: its mark, and what still stands open. */
  draft?: DraftMarks;
}

/** What a draft carries besides the report: 征求意见稿 or 送审稿 with its date, the parts' states, the open findings. */
export interface DraftMarks {
  stage: '征求意见稿' | '送审稿';
  /** The day it was made, as written on it: 2026年12月1日. */
  date: string;
  sections: ReadonlyArray<{ title: string; department: string; state: string }>;
  findings: ReadonlyArray<{ severity: string; rule: string; message: string }>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Everything from the document is text: nothing a writer types can become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Links may point to the web or to a mailbox, nowhere else (no javascript:, no data:). */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const trimmed = href.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : null;
}

function renderText(node: NodeJSON): string {
  let html = escapeHtml(node.text ?? '');
  for (const mark of node.marks ?? []) {
    switch (mark.type) {
      case 'bold':
        html = `<strong>${html}</strong>`;
        break;
      case 'italic':
        html = `<em>${html}</em>`;
        break;
      case 'underline':
        html = `<u>${html}</u>`;
        break;
      case 'strike':
        html = `<s>${html}</s>`;
        break;
      case 'code':
        html = `<code>${html}</code>`;
        break;
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>`;
        break;
      }
    }
  }
  return html;
}

function spanAttributes(attrs: Record<string, unknown> | undefined): string {
  const colspan = Number(attrs?.colspan ?? 1);
  const rowspan = Number(attrs?.rowspan ?? 1);
  return `${Number.isInteger(colspan) && colspan > 1 ? ` colspan="${colspan}"` : ''}${Number.isInteger(rowspan) && rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
}

/**
 * Renders the report as one accessible, print-ready HTML page — the single rendering every
 * published output is made from. It walks the document with the report's own schema names;
 * linked figures print their live values and annex tables their national layout.
 */
export class ReportRenderer {
  constructor(private readonly input: RenderInput) {}

  document(): string {
    const { title, body } = this.input;
    return [
      '<!doctype html>',
      '<html lang="zh-CN">',
      '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeHtml(title)}</title>`,
      `<style>${PRINT_STYLE}</style></head>`,
      `<body><main>${this.input.draft ? `<p class="draft-mark">${escapeHtml(this.input.draft.stage)}（${escapeHtml(this.input.draft.date)}）</p>` : ''}<h1>${escapeHtml(title)}</h1>`,
      this.children(body, 0),
      this.input.draft ? draftAppendix(this.input.draft) : '',
      '</main></body></html>',
    ].join('\n');
  }

  private children(node: NodeJSON, depth: number): string {
    return (node.content ?? []).map((child) => this.node(child, depth)).join('');
  }

  /** `depth` is the section nesting: a level-1 section's title is an h2, a level-2 one's an h3. */
  private node(node: NodeJSON, depth: number): string {
    switch (node.type) {
      case 'section': {
        const level = node.attrs?.level === 2 ? 3 : 2;
        const id = escapeHtml(String(node.attrs?.sectionId ?? ''));
        return `<section id="section-${id}"><h${level}>${escapeHtml(String(node.attrs?.title ?? ''))}</h${level}>${this.children(node, level)}</section>`;
      }
      case 'paragraph':
        return `<p>${this.children(node, depth)}</p>`;
      case 'heading': {
        // Headings inside a section sit below its title, whatever level the writer chose.
        const level = Math.min(6, Math.max(depth + 1, Number(node.attrs?.level ?? 3)));
        return `<h${level}>${this.children(node, depth)}</h${level}>`;
      }
      case 'text':
        return renderText(node);
      case 'hardBreak':
        return '<br>';
      case 'bulletList':
        return `<ul>${this.children(node, depth)}</ul>`;
      case 'orderedList':
        return `<ol>${this.children(node, depth)}</ol>`;
      case 'listItem':
        return `<li>${this.children(node, depth)}</li>`;
      case 'blockquote':
        return `<blockquote>${this.children(node, depth)}</blockquote>`;
      case 'codeBlock':
        return `<pre><code>${this.children(node, depth)}</code></pre>`;
      case 'horizontalRule':
        return '<hr>';
      case 'table':
        return `<table class="text-table"><tbody>${this.children(node, depth)}</tbody></table>`;
      case 'tableRow':
        return `<tr>${this.children(node, depth)}</tr>`;
      case 'tableHeader':
        return `<th scope="col"${spanAttributes(node.attrs)}>${this.children(node, depth)}</th>`;
      case 'tableCell':
        return `<td${spanAttributes(node.attrs)}>${this.children(node, depth)}</td>`;
      case 'annexTable':
        return this.annexTable(String(node.attrs?.tableId ?? ''));
      case 'annexFigure': {
        const text = figureText(node.attrs as Partial<FigureAttrs>, this.input.tables);
        return `<span class="figure">${escapeHtml(text === '' ? '—' : text)}</span>`;
      }
      default:
        return this.children(node, depth);
    }
  }

  /** An annex table in the national layout, with real header cells and their scope. */
  private annexTable(tableId: string): string {
    const table = findTable(this.input.format, tableId);
    if (!table) return '';
    const { unit } = splitTableId(tableId);
    const unitName = unit === null ? '' : `（${escapeHtml(this.input.unitName?.(unit) ?? unit)}）`;
    const layout = layoutTable(table);
    const rowHtml = (row: LayoutRow) => {
      if (row.kind === 'caption') return `<tr><th scope="rowgroup" colspan="${layout.width}" class="caption-row">${escapeHtml(row.label)}</th></tr>`;
      if (row.kind === 'header') {
        return `<tr>${row.cells
          .map((cell) => `<th scope="${cell.columnId ? 'col' : 'colgroup'}"${spanAttributes({ colspan: cell.colSpan, rowspan: cell.rowSpan })}>${escapeHtml(cell.label)}</th>`)
          .join('')}</tr>`;
      }
      const cells = row.cells.map((cell) => {
        if (!cell.column) return `<td${spanAttributes({ colspan: cell.colSpan })}></td>`;
        const value = cellValue(this.input.tables, { table: tableId, row: row.row.id, column: cell.column.id });
        return `<td class="number"${spanAttributes({ colspan: cell.colSpan })}>${escapeHtml(formatCellValue(value))}</td>`;
      });
      return `<tr class="depth-${row.row.depth ?? 0}"><th scope="row">${escapeHtml(row.row.label)}</th>${cells.join('')}</tr>`;
    };
    // The column headers above the first row of numbers: repeated at the top of every page the table continues on.
    const firstData = layout.rows.findIndex((row) => row.kind !== 'header');
    const headerCount = firstData === -1 ? layout.rows.length : firstData;
    const head = headerCount > 0 ? `<thead>${layout.rows.slice(0, headerCount).map(rowHtml).join('')}</thead>` : '';
    const columns = `<colgroup><col class="label"><col span="${layout.width - 1}" class="value"></colgroup>`;
    const caption = `<caption>附表${escapeHtml(table.id)} ${escapeHtml(table.title)}${unitName}</caption>`;
    return `<table class="annex annex-${escapeHtml(table.id)}" id="annex-${escapeHtml(tableId)}">${caption}${columns}${head}<tbody>${layout.rows.slice(headerCount).map(rowHtml).join('')}</tbody></table>`;
  }
}

const SEVERITY_NAMES: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };

/** The end of a draft: each part's state (those the reader is responsible for), then every finding still open. */
function draftAppendix(draft: DraftMarks): string {
  const rows = draft.sections.map((section) => `<tr><td>${escapeHtml(section.title)}</td><td>${escapeHtml(section.department)}</td><td>${escapeHtml(section.state)}</td></tr>`);
  const findings = draft.findings.map((finding) => `<li>【${escapeHtml(SEVERITY_NAMES[finding.severity] ?? finding.severity)}】${escapeHtml(finding.rule)} ${escapeHtml(finding.message)}</li>`);
  return [
    '<section class="draft-appendix"><h2>附：各部分办理状态</h2>',
    `<table class="text-table"><thead><tr><th scope="col">部分</th><th scope="col">负责部门</th><th scope="col">状态</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    `<h2>附：尚待处理的检查结果（${draft.findings.length}项）</h2>`,
    findings.length > 0 ? `<ol>${findings.join('')}</ol>` : '<p>无。</p>',
    '</section>',
  ].join('');
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
  'table.annex{table-layout:fixed}col.label{width:36%}table.annex-C{font-size:8pt}table.annex-C thead th{font-size:8pt}table.annex-C col.label{width:8%}',
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
