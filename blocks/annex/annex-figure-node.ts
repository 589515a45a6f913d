import { Node, mergeAttributes } from '@tiptap/core';
import { describeValue } from '../describe-value.js';
import { cellValue, type AnnexTables } from './annex-data.js';
import type { CellRef } from './definition.js';

export const ANNEX_FIGURE_NODE = 'annexFigure';

/** A cell address in one attribute: "B/new:total" (table, row, column). */
const FIGURE_CELL_PATTERN = /^([A-Za-z0-9][A-Za-z0-9@._-]{0,63})\/([A-Za-z0-9._-]{1,64}):([A-Za-z0-9._-]{1,64})$/;

export function formatFigureCell(ref: CellRef): string {
  return `${ref.table}/${ref.row}:${ref.column}`;
}

export function parseFigureCell(value: unknown): CellRef | null {
  const match = typeof value === 'string' ? FIGURE_CELL_PATTERN.exec(value) : null;
  return match ? { table: match[1]!, row: match[2]!, column: match[3]! } : null;
}

/** A linked figure: a table value, or a share of two (count ÷ denominator) with chosen decimals. */
export interface FigureAttrs {
  cell: string;
  /** The denominator's cell for a percentage figure; null for a plain value. */
  of: string | null;
  decimals: number;
}

function validateCell(value: unknown): void {
  if (parseFigureCell(value) === null) throw new RangeError(`annexFigure: cell must look like "B/new:total", got ${describeValue(value)}`);
}

/**
 * What a linked figure reads in the text right now: the live table value, or the percentage;
 * empty while a cell it needs is blank (the editor then shows it as not filled).
 */
export function figureText(attrs: Partial<FigureAttrs>, tables: AnnexTables): string {
  const cell = parseFigureCell(attrs.cell);
  const value = cell ? cellValue(tables, cell) : null;
  if (value === null) return '';
  if (attrs.of == null) return String(value);
  const denominatorCell = parseFigureCell(attrs.of);
  const denominator = denominatorCell ? cellValue(tables, denominatorCell) : null;
  if (denominator === null || denominator === 0) return '';
  return `${((value / denominator) * 100).toFixed(attrs.decimals ?? 1)}%`;
}

/**
 * A figure in the narrative that always shows the table's value, so the text and the tables
 * cannot disagree (rules T1 and T2 hold by construction). The node stores only the address.
 */
export const AnnexFigure = Node.create({
  name: ANNEX_FIGURE_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    return {
      cell: {
        default: null,
        validate: validateCell,
        parseHTML: (element) => element.getAttribute('data-cell'),
        renderHTML: (attributes) => ({ 'data-cell': attributes.cell }),
      },
      of: {
        default: null,
        validate: (value: unknown) => {
          if (value !== null) validateCell(value);
        },
        parseHTML: (element) => element.getAttribute('data-of'),
        renderHTML: (attributes) => (attributes.of ? { 'data-of': attributes.of } : {}),
      },
      decimals: {
        default: 1,
        validate: (value: unknown) => {
          if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 4) throw new RangeError(`annexFigure: decimals must be 0–4, got ${describeValue(value)}`);
        },
        parseHTML: (element) => Number(element.getAttribute('data-decimals') ?? 1),
        renderHTML: (attributes) => ({ 'data-decimals': String(attributes.decimals) }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span[data-annex-figure]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { 'data-annex-figure': '', class: 'annex-figure' })];
  },
});
