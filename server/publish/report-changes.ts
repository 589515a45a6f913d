import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import { cellLabel, cellsOfTable, type FormatDefinition } from '../../blocks/annex/definition.js';
import { findTable } from '../../blocks/annex/formats/index.js';
import { compareBlocks, type DiffPart } from '../workflow/section-text.js';

/** A section as it reads for comparison: its title and its text, one string per block. */
export interface SectionText {
  id: string;
  title: string;
  blocks: string[];
}

/** The report as compared: its sections' text and its annex numbers. */
export interface ReportSnapshot {
  format: FormatDefinition;
  sections: SectionText[];
  tables: AnnexTables;
}

export type ChangeBase = { kind: 'version'; version: number; publishedAt: number } | { kind: 'year'; year: number; title: string };

export interface SectionChange {
  id: string;
  title: string;
  status: 'added' | 'removed' | 'changed';
  /** Characters added and removed. */
  added: number;
  removed: number;
  parts: DiffPart[];
}

export interface CellChange {
  table: string;
  label: string;
  before: number | null;
  after: number | null;
}

export interface ReportChanges {
  against: ChangeBase;
  sections: SectionChange[];
  unchangedSections: number;
  cells: CellChange[];
}

function countChars(parts: DiffPart[], kind: DiffPart['kind']): number {
  return parts.reduce((sum, part) => sum + (part.kind === kind ? [...part.text].length : 0), 0);
}

/**
 * Sections are matched by id, and by title when the ids differ (last year's report was made
 * from the same template, but a section added by hand gets a fresh id each year).
 */
function matchSection(section: SectionText, candidates: SectionText[]): SectionText | undefined {
  return candidates.find((c) => c.id === section.id) ?? candidates.find((c) => c.title === section.title);
}

function compareSections(before: SectionText[], after: SectionText[]): { changes: SectionChange[]; unchanged: number } {
  const changes: SectionChange[] = [];
  const matched = new Set<SectionText>();
  let unchanged = 0;
  for (const section of after) {
    const previous = matchSection(section, before.filter((candidate) => !matched.has(candidate)));
    if (previous) matched.add(previous);
    const parts = compareBlocks(previous?.blocks ?? [], section.blocks);
    const added = countChars(parts, 'added');
    const removed = countChars(parts, 'removed');
    if (previous && added === 0 && removed === 0 && previous.title === section.title) {
      unchanged += 1;
      continue;
    }
    changes.push({ id: section.id, title: section.title, status: previous ? 'changed' : 'added', added, removed, parts });
  }
  for (const section of before) {
    if (matched.has(section)) continue;
    const parts = compareBlocks(section.blocks, []);
    changes.push({ id: section.id, title: section.title, status: 'removed', added: 0, removed: countChars(parts, 'removed'), parts });
  }
  return { changes, unchanged };
}

/**
 * Cells whose number differs. Against last year only the top-level rows are listed: nearly every
 * cell differs from year to year, and the totals are what a reviewer compares.
 */
/** The report's numbers at one moment, in its format. */
type AnnexMoment = Pick<ReportSnapshot, 'format' | 'tables'>;

/**
 * The cells that differ from `before` to `after`, labelled as the national tables label them; of
 * `only` these tables, and of top-level rows only when `topLevelOnly`.
 */
export function compareCells(before: AnnexMoment, after: AnnexMoment, options: { topLevelOnly?: boolean; only?: readonly string[] } = {}): CellChange[] {
  const { topLevelOnly = false, only } = options;
  const changes: CellChange[] = [];
  const tableIds = only ?? new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  for (const tableId of tableIds) {
    const table = findTable(after.format, tableId) ?? findTable(before.format, tableId);
    if (!table) continue;
    for (const cell of cellsOfTable({ ...table, id: tableId })) {
      const row = table.rows.find((candidate) => candidate.id === cell.row);
      if (topLevelOnly && (row?.depth ?? 0) > 0) continue;
      const was = before.tables[tableId]?.[cell.row]?.[cell.column] ?? null;
      const now = after.tables[tableId]?.[cell.row]?.[cell.column] ?? null;
      if (was !== now) changes.push({ table: tableId, label: `附表${tableId} ${cellLabel(table, cell)}`, before: was, after: now });
    }
  }
  return changes;
}

/** What changed from `before` to `after`, section by section and cell by cell. */
export function compareReports(before: ReportSnapshot, after: ReportSnapshot, against: ChangeBase): ReportChanges {
  const { changes, unchanged } = compareSections(before.sections, after.sections);
  return { against, sections: changes, unchangedSections: unchanged, cells: compareCells(before, after, { topLevelOnly: against.kind === 'year' }) };
}
