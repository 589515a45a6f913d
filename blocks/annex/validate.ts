import { blankTable, type AnnexTables } from './annex-data.js';
import { DEFAULT_BODY_LEVEL, type BodyLevel } from './body-level.js';
import type { FormatDefinition } from './definition.js';
import { findTable } from './formats/index.js';
import type { ReportReading } from './report-reading.js';
import { crossYearFindings } from './rules/cross-year.js';
import type { Finding, Severity } from './rules/finding.js';
import { narrativeFindings } from './rules/narrative.js';
import { rollUpFindings, type ContributingUnit } from './rules/roll-up.js';
import { sameAsLastYearFindings, type LastYearSection } from './rules/same-as-last-year.js';
import { formatOfYearFindings, outdatedCitationFindings, structureFindings } from './rules/structure.js';
import { tableFindings } from './rules/table-rules.js';

export interface AnnexValidationInput {
  format: FormatDefinition;
  tables: AnnexTables;
  /** Last year's annex of the same body, for Y1–Y3. */
  previous?: AnnexTables | null;
  /** Contributing units of a district roll-up (H1), each keeping its copies "B@<unit>", "C@<unit>". */
  units?: readonly ContributingUnit[];
  /** The year reported on, for the rules that depend on it (the format a year must use). */
  year?: number;
  /** Who writes the report (A2); a county or district unless said. */
  level?: BodyLevel;
}

/**
 * What the rules read besides the report itself: last year's numbers and text, the units of a
 * roll-up, and who writes it. The server fills it in; the API hands it to the browser as is.
 */
export interface RulesContext {
  previous: AnnexTables | null;
  previousText: readonly LastYearSection[] | null;
  units: readonly ContributingUnit[];
  level: BodyLevel;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function bySeverity(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** The rules that read only numbers: each table's own rules, cross-year and roll-up. `POST /api/validate` runs these. */
export function validateAnnex({ format, tables, previous, units = [], year, level = DEFAULT_BODY_LEVEL }: AnnexValidationInput): Finding[] {
  const unitNames = new Map(units.map((unit) => [unit.id, unit.name]));
  const naming = { unitName: (id: string) => unitNames.get(id) ?? id };
  const findings: Finding[] = [];
  for (const tableId of Object.keys(tables)) {
    const table = findTable(format, tableId);
    if (table) findings.push(...tableFindings(format, table, tableId, tables, naming, level));
  }
  if (previous) findings.push(...crossYearFindings(format, tables, previous));
  findings.push(...rollUpFindings(format, tables, units));
  if (year !== undefined) findings.push(...formatOfYearFindings(format, year));
  return bySeverity(findings);
}

export interface ReportValidationInput extends Omit<AnnexValidationInput, 'year'> {
  year: number;
  reading: ReportReading;
  /** Last year's report's sections and their text, for D1 (内容雷同). */
  previousText?: readonly LastYearSection[] | null;
}

/**
 * Every rule over a whole report: the numbers, the report's structure (S1) and its narrative
 * against its tables (T1–T4). The browser runs it as people type; the server before publishing.
 */
export function validateReport(input: ReportValidationInput): Finding[] {
  const { format, reading, year } = input;
  const tables = { ...input.tables };
  for (const tableId of reading.placedTables) {
    const table = findTable(format, tableId);
    if (table && !tables[tableId]) tables[tableId] = blankTable(table);
  }
  return bySeverity([
    // The year's rule comes with S1 below.
    ...validateAnnex({ format, tables, previous: input.previous, units: input.units, level: input.level }),
    ...structureFindings(format, { year, sections: reading.sections, placedTables: reading.placedTables }),
    ...outdatedCitationFindings(year, reading.narrative),
    ...(format.format === 'gov-disclosure-legacy' ? [] : narrativeFindings(reading.narrative, tables, reading.partSix)),
    ...(input.previousText ? sameAsLastYearFindings(reading.narrative, reading.sections, input.previousText) : []),
  ]);
}
