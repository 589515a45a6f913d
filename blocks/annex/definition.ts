/**
 * The shape of an annex table, as data. A report format is a list of these; the editor draws
 * them, the rules read them and `GET /api/formats/:format` publishes them, so the national
 * layout is written down exactly once.
 */

/** What a cell holds. `count`: an integer ≥ 0; `amount`: a decimal ≥ 0 (万元); `change`: a signed integer. */
export type CellKind = 'count' | 'amount' | 'change';

export interface ColumnDefinition {
  id: string;
  label: string;
  /** A header spanning several columns (法人或其他组织, 行政复议, …). */
  group?: string;
  /** A second-level group under `group` (未经复议直接起诉 / 复议后起诉). */
  subgroup?: string;
  kind?: CellKind;
}

export interface RowDefinition {
  id: string;
  label: string;
  /** A heading row ((三)本年度办理结果, (三)不予公开 …) carries no numbers of its own. */
  heading?: boolean;
  /** Indentation in the national layout: 0 top-level, 1 (一)…, 2 numbered sub-rows. */
  depth?: 0 | 1 | 2;
  /** The columns this row has cells in, when not all (table A's blocks). */
  columns?: readonly string[];
  /** A caption row drawn above this row, naming the block (第二十条第（一）项). */
  caption?: string;
  /** Legacy tables: a row some years did not report; blank there means "not reported". */
  optional?: boolean;
}

export interface TableDefinition {
  id: string;
  title: string;
  rows: readonly RowDefinition[];
  columns: readonly ColumnDefinition[];
  /** The note printed in the top-left header cell (the 勾稽关系 of table B). */
  note?: string;
  /** A header row spanning every column (申请人情况). */
  columnsCaption?: string;
  /** A contributing unit may keep its own copy of this table in a district roll-up. */
  perUnit?: boolean;
}

export type FormatId = 'gov-disclosure-2021' | 'gov-disclosure-2019' | 'gov-disclosure-legacy';

export interface SectionTemplate {
  sectionId: string;
  title: string;
  /** The annex table placed in this section, if any. */
  tableId?: string;
}

export interface FormatDefinition {
  format: FormatId;
  title: string;
  /** The years whose reports use this format. */
  years: { from: number | null; to: number | null };
  tables: readonly TableDefinition[];
  /** Whether rule S1 holds reports to `sections` (the national formats) or they only seed new reports. */
  strictSections: boolean;
  /** The top-level sections a report of this format has, in order. */
  sections: readonly SectionTemplate[];
}

/** Where a number sits: the address used by findings, linked figures and the API. */
export interface CellRef {
  table: string;
  row: string;
  column: string;
}

/** A cell's key in its table's Y.Map and in the contract: "<rowId>:<columnId>". */
export function cellKey(row: string, column: string): string {
  return `${row}:${column}`;
}

/** The columns a row has cells in; none for a heading row. */
export function columnsOfRow(table: TableDefinition, row: RowDefinition): readonly ColumnDefinition[] {
  if (row.heading) return [];
  if (!row.columns) return table.columns;
  const wanted = new Set(row.columns);
  return table.columns.filter((column) => wanted.has(column.id));
}

/** Every cell of a table in reading order (row by row, left to right). */
export function cellsOfTable(table: TableDefinition): CellRef[] {
  return table.rows.flatMap((row) => columnsOfRow(table, row).map((column) => ({ table: table.id, row: row.id, column: column.id })));
}

/** A cell as people name it: 「一、本年新收政府信息公开申请数量」「自然人」. */
export function cellLabel(table: TableDefinition, ref: CellRef): string {
  const row = table.rows.find((candidate) => candidate.id === ref.row);
  const column = table.columns.find((candidate) => candidate.id === ref.column);
  const columnLabel = column && table.columns.length > 1 ? `「${column.subgroup ?? column.group ?? ''}${column.label}」` : '';
  return `「${row?.label ?? ref.row}」${columnLabel}`;
}

export function cellKindOf(table: TableDefinition, column: string): CellKind {
  return table.columns.find((c) => c.id === column)?.kind ?? 'count';
}

/** "B@finance" is unit finance's copy of table B in a district roll-up. */
export function splitTableId(tableId: string): { base: string; unit: string | null } {
  const at = tableId.indexOf('@');
  return at < 0 ? { base: tableId, unit: null } : { base: tableId.slice(0, at), unit: tableId.slice(at + 1) };
}

export function unitTableId(base: string, unit: string): string {
  return `${base}@${unit}`;
}
