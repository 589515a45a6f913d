import { columnsOfRow, type RowDefinition, type TableDefinition } from '../annex/definition.js';
import type { TableValues } from '../annex/annex-data.js';
import { isNumberText, isValueCell, labelKey, readCell, splitTrailingNumber } from './cell-text.js';
import type { SourceTable } from './source.js';

/**
 * A run of labels followed by the values after them: one drawn row of a table, or — in text where
 * rows and cells have run together — whatever labels came before a run of numbers.
 */
export interface Segment {
  labels: string[];
  /** The source block each label came from, to know which paragraphs a table occupied. */
  labelBlocks: number[];
  values: string[];
  lastBlock: number;
}

/** Why a cell of the format was not read. Nothing is ever guessed: such a cell stays blank. */
export type UnreadReason = 'table-not-found' | 'row-not-found' | 'cell-count' | 'not-a-number';

export interface UnreadCell {
  table: string;
  /** Null when the whole table was not found. */
  row: string | null;
  column: string | null;
  reason: UnreadReason;
  /** What was there instead: the text of a cell, or how many numbers the row had. */
  found?: string;
}

export interface TableReading {
  values: TableValues;
  unread: UnreadCell[];
  /** Rows of the format found with as many values as they have cells. */
  rowsRead: number;
  /** The blocks the table's rows were read from (text only), to keep them out of the sections' text. */
  blocks: number[];
}

/** The rows of a drawn table, each one segment: its labels, then the value cells at its end. */
export function gridSegments(table: SourceTable, block: number): Segment[] {
  return table.rows.map((cells) => {
    let end = cells.length;
    while (end > 0 && isValueCell(cells[end - 1]!)) end--;
    const labels = cells.slice(0, end).filter((cell, index, all) => cell.trim() !== '' && cell !== all[index - 1]);
    return { labels, labelBlocks: labels.map(() => block), values: cells.slice(end), lastBlock: block };
  });
}

/** Text split into segments at every turn from numbers back to words. */
export function textSegments(lines: ReadonlyArray<{ text: string; block: number }>): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { labels: [], labelBlocks: [], values: [], lastBlock: 0 };
  for (const { text, block } of lines) {
    for (const token of text.split(/\s+/).filter(Boolean).flatMap(splitTrailingNumber)) {
      if (isNumberText(token) || (isValueCell(token) && current.values.length > 0)) {
        current.values.push(token);
      } else {
        if (current.values.length > 0) {
          segments.push(current);
          current = { labels: [], labelBlocks: [], values: [], lastBlock: block };
        }
        current.labels.push(token);
        current.labelBlocks.push(block);
      }
      current.lastBlock = block;
    }
  }
  if (current.labels.length > 0 || current.values.length > 0) segments.push(current);
  return segments;
}

/** Long labels wrap over several lines or cells: try the last one, two, three or four together. */
const MAX_LABEL_PARTS = 4;

/** The keys of a segment's last one, two, … labels joined: every format's every row is tried against them. */
const suffixKeys = new WeakMap<Segment, string[]>();
function keysOf(segment: Segment): string[] {
  let keys = suffixKeys.get(segment);
  if (!keys) {
    const parts = Math.min(MAX_LABEL_PARTS, segment.labels.length);
    keys = Array.from({ length: parts }, (_, index) => labelKey(segment.labels.slice(-(index + 1)).join('')));
    suffixKeys.set(segment, keys);
  }
  return keys;
}

/**
 * How many of the segment's last labels make up the row's label, or 0. A label may be cut short
 * (a wrapped cell whose end came after its numbers, a report that left out a parenthesis) or, when
 * whole, carry a short addition — never so loosely that a paragraph of prose passes for a row.
 */
function labelMatch(segment: Segment, key: string): number {
  const keys = keysOf(segment);
  for (let index = 0; index < keys.length; index++) {
    const joined = keys[index]!;
    if (joined === key) return index + 1;
    if (joined.length >= 4 && key.startsWith(joined)) return index + 1;
    if (index === 0 && key.length >= 4 && joined.startsWith(key) && joined.length <= key.length + 12) return 1;
  }
  return 0;
}

const rowsWithCells = (table: TableDefinition) => table.rows.filter((row) => columnsOfRow(table, row).length > 0);

/**
 * Reads one table of the format from segments, row by row in the format's order: each row is
 * looked for after the previous one, so a label met twice ("总计" as a column and as a row) is
 * read where the table has it. A row with the wrong number of values is left unread, cell by
 * cell: digits that ran together cannot be split without guessing.
 */
export function readTable(table: TableDefinition, tableId: string, segments: readonly Segment[]): TableReading {
  const values: TableValues = {};
  const unread: UnreadCell[] = [];
  const blocks = new Set<number>();
  let rowsRead = 0;
  let cursor = 0;
  const rows = rowsWithCells(table);
  const readRow = (row: RowDefinition, segment: Segment) => {
    const columns = columnsOfRow(table, row);
    const cells: Record<string, number | null> = {};
    values[row.id] = cells;
    const countMatches = segment.values.length === columns.length;
    if (countMatches) rowsRead++;
    for (const [index, column] of columns.entries()) {
      cells[column.id] = null;
      if (!countMatches) {
        unread.push({ table: tableId, row: row.id, column: column.id, reason: 'cell-count', found: String(segment.values.length) });
        continue;
      }
      const reading = readCell(segment.values[index]!);
      if (reading.ok) cells[column.id] = reading.value;
      else unread.push({ table: tableId, row: row.id, column: column.id, reason: 'not-a-number', found: reading.text });
    }
  };
  for (const row of rows) {
    const key = labelKey(row.label);
    let parts = 0;
    let index = cursor;
    for (; index < segments.length; index++) {
      parts = segments[index]!.values.length > 0 ? labelMatch(segments[index]!, key) : 0;
      if (parts > 0) break;
    }
    const segment = segments[index];
    if (!segment) continue;
    cursor = index + 1;
    readRow(row, segment);
    for (const block of segment.labelBlocks.slice(-parts)) blocks.add(block);
    blocks.add(segment.lastBlock);
  }
  // A one-row table (table C) is often drawn with no row label at all: its one row of numbers.
  const only = rows.length === 1 ? rows[0]! : null;
  if (only && !values[only.id]) {
    const width = columnsOfRow(table, only).length;
    const segment = segments.find((candidate) => candidate.values.length === width);
    if (segment) {
      readRow(only, segment);
      blocks.add(segment.lastBlock);
    }
  }
  for (const row of rows) {
    if (values[row.id]) continue;
    const cells: Record<string, number | null> = {};
    for (const column of columnsOfRow(table, row)) {
      cells[column.id] = null;
      unread.push({ table: tableId, row: row.id, column: column.id, reason: 'row-not-found' });
    }
    values[row.id] = cells;
  }
  return { values: orderedLike(table, values), unread, rowsRead, blocks: [...blocks].sort((a, b) => a - b) };
}

/** The table's rows in the format's order, as every other reader of annex data gives them. */
function orderedLike(table: TableDefinition, values: TableValues): TableValues {
  const ordered: TableValues = {};
  for (const row of rowsWithCells(table)) ordered[row.id] = values[row.id]!;
  return ordered;
}

/** Column labels of a format found among the labels of a source: evidence of which layout it was drawn in. */
export function columnLabelHits(tables: readonly TableDefinition[], segments: readonly Segment[]): number {
  const present = new Set(segments.flatMap((segment) => segment.labels.map(labelKey)));
  const wanted = new Set(tables.flatMap((table) => table.columns.map((column) => labelKey(column.label))));
  return [...wanted].filter((key) => present.has(key)).length;
}
