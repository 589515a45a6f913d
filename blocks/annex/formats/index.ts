import type { FormatDefinition, FormatId, TableDefinition } from '../definition.js';
import { cellsOfTable, cellKey, splitTableId } from '../definition.js';
import { govDisclosure2019 } from './gov-disclosure-2019.js';
import { govDisclosure2021 } from './gov-disclosure-2021.js';
import { govDisclosureLegacy } from './gov-disclosure-legacy.js';

export const reportFormats: readonly FormatDefinition[] = [govDisclosure2021, govDisclosure2019, govDisclosureLegacy];

/** The format ids, listed for a person who named an unknown one. */
export const formatIds = (): string => reportFormats.map((format) => format.format).join(', ');

export function findFormat(format: string): FormatDefinition | null {
  return reportFormats.find((candidate) => candidate.format === format) ?? null;
}

/**
 * The years a report can be of: the regulation on government information disclosure took effect
 * in 2008, the first year reported on.
 */
export const REPORT_YEARS = { first: 2008, last: 2100 } as const;

export function isReportYear(year: unknown): year is number {
  return typeof year === 'number' && Number.isInteger(year) && year >= REPORT_YEARS.first && year <= REPORT_YEARS.last;
}

/** The format a report of `year` is written in. */
export function formatOfYear(year: number): FormatId {
  if (year >= 2021) return 'gov-disclosure-2021';
  return year >= 2019 ? 'gov-disclosure-2019' : 'gov-disclosure-legacy';
}

/** The definition behind a table id, including a unit's copy ("B@finance" → table B). */
export function findTable(format: FormatDefinition, tableId: string): TableDefinition | null {
  const { base, unit } = splitTableId(tableId);
  const table = format.tables.find((candidate) => candidate.id === base) ?? null;
  if (unit !== null && !table?.perUnit) return null;
  return table;
}

/**
 * Whether a report of this format can hold the cell `key` ("row:column") of table `tableId`: the
 * server refuses writes to cells the national layout does not have.
 */
export function annexCellChecker(format: FormatDefinition): (tableId: string, key: string) => boolean {
  const keysByTable = new Map(format.tables.map((table) => [table.id, new Set(cellsOfTable(table).map((cell) => cellKey(cell.row, cell.column)))]));
  return (tableId, key) => {
    const table = findTable(format, tableId);
    return table !== null && (keysByTable.get(table.id)?.has(key) ?? false);
  };
}
