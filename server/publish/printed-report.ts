import { figureText, type FigureAttrs } from '../../blocks/annex/annex-figure-node.js';
import { cellValue, type AnnexTables } from '../../blocks/annex/annex-data.js';
import { splitTableId, type FormatDefinition } from '../../blocks/annex/definition.js';
import { findTable } from '../../blocks/annex/formats/index.js';
import { formatCellValue } from '../../blocks/annex/number-input.js';
import { layoutTable, type LayoutRow } from '../../blocks/annex/table-layout.js';
import type { NodeJSON } from '../../blocks/report-json.js';
import { SUGGESTED_DELETION, SUGGESTED_INSERTION } from '../../blocks/suggestions.js';
import { placeOnGrid } from './html-table-grid.js';

/**
 * The report as it is printed: the one layout the portal page (render-html.ts) and the Word
 * document (docx-writer.ts) are both written from. It reads the document with the report's own
 * schema names and decides everything the two have in common — which heading level a title is,
 * what a linked figure says, which links are links, an annex table's national layout, caption and
 * repeated header rows, what a draft carries — so the writers only spell it in their own format.
 */
export interface PrintedReport {
  title: string;
  /** A draft's mark for the top right of its first page: 征求意见稿（2026年12月1日）. */
  draftMark?: string;
  blocks: PrintBlock[];
}

/** What the printed report is made from: the report's document, its numbers, and who it is. */
export interface PrintInput {
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

export type PrintBlock =
  /** A part of the report (or a draft's appendix); its title is its first block. */
  | { kind: 'section'; id: string; blocks: PrintBlock[] }
  /** `level` 1 is a part's heading (一、), 2 a sub-part's (（一）), down to 5. */
  | { kind: 'heading'; level: number; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: PrintBlock[][] }
  | { kind: 'quote'; blocks: PrintBlock[] }
  /** Lines kept as written: its text holds its line breaks and leading spaces. */
  | { kind: 'code'; inlines: Inline[] }
  | { kind: 'rule' }
  | { kind: 'table'; table: PrintTable };

export type Inline = { kind: 'text'; text: string; look: TextLook } | { kind: 'break' };

export interface TextLook {
  bold?: true;
  italic?: true;
  underline?: true;
  strike?: true;
  code?: true;
  /** A linked figure: the value of its annex cell. */
  figure?: true;
  /** Only web and mail addresses are links; any other leaves its text plain. */
  href?: string;
  /** A pending suggestion shown as a revision (a draft with its 修订): words it would add or remove, who suggested them and when. */
  revision?: { kind: 'insertion' | 'deletion'; author: string; at: number };
}

export interface PrintTable {
  /** An annex table: its table id with the unit ('B', 'B@u1'), and its id in the format ('B'). */
  annex?: { tableId: string; id: string };
  caption?: string;
  /** Columns of the table's grid. */
  width: number;
  /** The leading rows of column headers, repeated at the top of each page the table continues on. */
  headerRows: number;
  rows: PrintRow[];
}

export interface PrintRow {
  /** An annex row's nesting, which indents its label. */
  depth: number;
  cells: PrintCell[];
}

export type CellRole = 'column' | 'column-group' | 'row' | 'caption' | 'data' | 'number';

/** A writer's table cell holds blocks; an annex table's cell one line of text. */
export type PrintCell = {
  role: CellRole;
  /** Where the cell starts on the table's grid. */
  column: number;
  colSpan: number;
  rowSpan: number;
} & ({ text: string } | { blocks: PrintBlock[] });

/** Header cells: of columns, of groups of columns, of rows, and an annex table's part captions. */
export function isHeaderCell(cell: PrintCell): boolean {
  return cell.role !== 'data' && cell.role !== 'number';
}

/** Links may point to the web or to a mailbox, nowhere else (no javascript:, no data:). */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const trimmed = href.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : null;
}

/** Runs of inlines under one link (or none): a link whose text changes look mid-way is still one link. */
export function linkRuns(inlines: readonly Inline[]): Array<{ href?: string; inlines: Inline[] }> {
  const runs: Array<{ href?: string; inlines: Inline[] }> = [];
  for (const inline of inlines) {
    const href = inline.kind === 'text' ? inline.look.href : runs.at(-1)?.href;
    const last = runs.at(-1);
    if (last && last.href === href) last.inlines.push(inline);
    else runs.push(href === undefined ? { inlines: [inline] } : { href, inlines: [inline] });
  }
  return runs;
}

/** The text of blocks, as one line: for measuring a column. */
export function plainText(blocks: readonly PrintBlock[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'heading':
        case 'paragraph':
        case 'code':
          return block.inlines.map((inline) => (inline.kind === 'text' ? inline.text : ' ')).join('');
        case 'section':
        case 'quote':
          return plainText(block.blocks);
        case 'list':
          return block.items.map(plainText).join(' ');
        case 'table':
        case 'rule':
          return '';
      }
    })
    .join(' ');
}

export function cellText(cell: PrintCell): string {
  return 'text' in cell ? cell.text : plainText(cell.blocks);
}

/** Lays the report out for print: its title, its parts in order, and a draft's mark and appendix. */
export function printReport(input: PrintInput): PrintedReport {
  const layout = new ReportLayout(input);
  const blocks = layout.children(input.body, 0);
  if (input.draft) blocks.push(draftAppendix(input.draft));
  return { title: input.title, ...(input.draft ? { draftMark: `${input.draft.stage}（${input.draft.date}）` } : {}), blocks };
}

const MARK_LOOKS: Readonly<Record<string, keyof TextLook>> = { bold: 'bold', italic: 'italic', underline: 'underline', strike: 'strike', code: 'code' };

class ReportLayout {
  constructor(private readonly input: PrintInput) {}

  /** `level` is the heading level of the section around: 1 in a part, 2 in a sub-part, 0 outside any. */
  children(node: NodeJSON, level: number): PrintBlock[] {
    return (node.content ?? []).flatMap((child) => this.block(child, level));
  }

  private block(node: NodeJSON, level: number): PrintBlock[] {
    switch (node.type) {
      case 'section': {
        const own = node.attrs?.level === 2 ? 2 : 1;
        const title = heading(own, plain(String(node.attrs?.title ?? '')));
        return [{ kind: 'section', id: String(node.attrs?.sectionId ?? ''), blocks: [...title, ...this.children(node, own)] }];
      }
      case 'paragraph': {
        const inlines = this.inlines(node);
        // An empty paragraph takes no room on the page, and makes no blank line in Word either.
        return inlines.length > 0 ? [{ kind: 'paragraph', inlines }] : [];
      }
      case 'heading':
        // Headings inside a section sit below its title, whatever level the writer chose.
        return heading(Math.min(5, Math.max(level + 1, Number(node.attrs?.level ?? 3) - 1)), this.inlines(node));
      case 'bulletList':
      case 'orderedList':
        return [{ kind: 'list', ordered: node.type === 'orderedList', items: (node.content ?? []).map((item) => (item.type === 'listItem' ? this.children(item, level) : this.block(item, level))) }];
      case 'blockquote':
        return [{ kind: 'quote', blocks: this.children(node, level) }];
      case 'codeBlock':
        return [{ kind: 'code', inlines: this.inlines(node) }];
      case 'horizontalRule':
        return [{ kind: 'rule' }];
      case 'table':
        return [{ kind: 'table', table: this.writtenTable(node, level) }];
      case 'annexTable': {
        const table = this.annexTable(String(node.attrs?.tableId ?? ''));
        return table ? [{ kind: 'table', table }] : [];
      }
      default:
        // Inline content where blocks stand (or a node this layout does not know): its text is kept.
        if (node.type === 'text' || node.type === 'annexFigure' || node.type === 'hardBreak') return [{ kind: 'paragraph', inlines: this.inline(node) }];
        return this.children(node, level);
    }
  }

  private inlines(node: NodeJSON): Inline[] {
    return (node.content ?? []).flatMap((child) => this.inline(child));
  }

  private inline(node: NodeJSON): Inline[] {
    switch (node.type) {
      case 'text': {
        const look: TextLook = {};
        for (const mark of node.marks ?? []) {
          const name = MARK_LOOKS[mark.type];
          if (name) (look as Record<string, true>)[name] = true;
          const href = mark.type === 'link' ? safeHref(mark.attrs?.href) : null;
          if (href) look.href = href;
          if (mark.type === SUGGESTED_INSERTION || mark.type === SUGGESTED_DELETION) {
            look.revision = { kind: mark.type === SUGGESTED_INSERTION ? 'insertion' : 'deletion', author: String(mark.attrs?.author ?? ''), at: Number(mark.attrs?.at ?? 0) };
          }
        }
        return node.text ? [{ kind: 'text', text: node.text, look }] : [];
      }
      case 'hardBreak':
        return [{ kind: 'break' }];
      case 'annexFigure': {
        const text = figureText(node.attrs as Partial<FigureAttrs>, this.input.tables);
        // A figure whose cell is not filled shows a dash, never zero.
        return [{ kind: 'text', text: text === '' ? '—' : text, look: { figure: true } }];
      }
      default:
        return this.inlines(node);
    }
  }

  /** A table the writer made: its header cells as column headers, its leading rows of them repeated; cells placed on the grid by onGrid. */
  private writtenTable(node: NodeJSON, level: number): PrintTable {
    const rows = (node.content ?? []).filter((row) => row.type === 'tableRow');
    const printed: PrintRow[] = rows.map((row) => ({
      depth: 0,
      cells: (row.content ?? []).map((cell) => ({
        role: cell.type === 'tableHeader' ? 'column' : 'data',
        column: 0,
        colSpan: span(cell.attrs?.colspan),
        rowSpan: span(cell.attrs?.rowspan),
        blocks: this.children(cell, level),
      })),
    }));
    // Rows without cells draw nothing, and would throw the rows below them off the grid.
    const drawn = printed.filter((row) => row.cells.length > 0);
    return { ...onGrid(drawn), headerRows: leadingRows(drawn, (cell) => cell.role === 'column'), rows: drawn };
  }

  /** An annex table in the national layout: captioned, header cells with their scope, its numbers formatted. */
  private annexTable(tableId: string): PrintTable | null {
    const table = findTable(this.input.format, tableId);
    if (!table) return null;
    const { unit } = splitTableId(tableId);
    const unitName = unit === null ? '' : `（${this.input.unitName?.(unit) ?? unit}）`;
    const layout = layoutTable(table);
    // Cells start at column 0 until the rows are placed on the grid (onGrid, below).
    const rowOf = (row: LayoutRow): PrintRow => {
      if (row.kind === 'caption') return { depth: 0, cells: [{ role: 'caption', column: 0, colSpan: layout.width, rowSpan: 1, text: row.label }] };
      if (row.kind === 'header') return { depth: 0, cells: row.cells.map((cell) => ({ role: cell.columnId ? 'column' : 'column-group', column: 0, colSpan: cell.colSpan, rowSpan: cell.rowSpan, text: cell.label })) };
      const numbers: PrintCell[] = row.cells.map((cell) =>
        cell.column
          ? { role: 'number', column: 0, colSpan: cell.colSpan, rowSpan: 1, text: formatCellValue(cellValue(this.input.tables, { table: tableId, row: row.row.id, column: cell.column.id })) }
          : { role: 'data', column: 0, colSpan: cell.colSpan, rowSpan: 1, text: '' },
      );
      return { depth: row.row.depth ?? 0, cells: [{ role: 'row', column: 0, colSpan: 1, rowSpan: 1, text: row.row.label }, ...numbers] };
    };
    const rows = layout.rows.map(rowOf);
    return {
      annex: { tableId, id: table.id },
      caption: `附表${table.id} ${table.title}${unitName}`,
      ...onGrid(rows),
      headerRows: leadingRows(rows, (cell) => cell.role === 'column' || cell.role === 'column-group'),
      rows,
    };
  }
}

/** Like an empty paragraph, a heading without text takes no room on the page. */
function heading(level: number, inlines: Inline[]): PrintBlock[] {
  return inlines.length > 0 ? [{ kind: 'heading', level, inlines }] : [];
}

function plain(text: string): Inline[] {
  return text === '' ? [] : [{ kind: 'text', text, look: {} }];
}

function span(value: unknown): number {
  const number = Number(value ?? 1);
  return Number.isInteger(number) && number > 1 ? Math.min(number, 1000) : 1;
}

/** How many rows at the top have only cells that `heads` accepts. */
function leadingRows(rows: readonly PrintRow[], heads: (cell: PrintCell) => boolean): number {
  const index = rows.findIndex((row) => !row.cells.every(heads));
  return index === -1 ? rows.length : index;
}

/** Each cell at its column of the grid, by the HTML table model; answers the grid's width. */
function onGrid(rows: PrintRow[]): { width: number } {
  const { width, columns } = placeOnGrid(rows.map((row) => row.cells));
  rows.forEach((row, index) => row.cells.forEach((cell, at) => (cell.column = columns[index]![at]!)));
  return { width };
}

const SEVERITY_NAMES: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };

/** The end of a draft: each part's state (those the reader is responsible for), then every finding still open. */
function draftAppendix(draft: DraftMarks): PrintBlock {
  const headers = ['部分', '负责部门', '状态'];
  const line = (text: string): PrintBlock[] => [{ kind: 'paragraph', inlines: plain(text) }];
  const rows: PrintRow[] = [
    { depth: 0, cells: headers.map((header, column) => ({ role: 'column', column, colSpan: 1, rowSpan: 1, blocks: line(header) })) },
    ...draft.sections.map((section) => ({ depth: 0, cells: [section.title, section.department, section.state].map((text, column): PrintCell => ({ role: 'data', column, colSpan: 1, rowSpan: 1, blocks: line(text) })) })),
  ];
  const findings = draft.findings.map((finding) => line(`【${SEVERITY_NAMES[finding.severity] ?? finding.severity}】${finding.rule} ${finding.message}`));
  return {
    kind: 'section',
    id: 'draft-appendix',
    blocks: [
      { kind: 'heading', level: 1, inlines: plain('附：各部分办理状态') },
      { kind: 'table', table: { width: headers.length, headerRows: 1, rows } },
      { kind: 'heading', level: 1, inlines: plain(`附：尚待处理的检查结果（${draft.findings.length}项）`) },
      ...(findings.length > 0 ? [{ kind: 'list' as const, ordered: true, items: findings }] : line('无。')),
    ],
  };
}
