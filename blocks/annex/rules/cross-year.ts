import { cellValue, type AnnexTables } from '../annex-data.js';
import { cellLabel, columnsOfRow, type CellRef, type FormatDefinition } from '../definition.js';
import { finding, roundSum, same, type Finding } from './finding.js';

const ref = (table: string, row: string, column: string): CellRef => ({ table, row, column });

/** Y1: what last year carried forward is what this year carried over, column by column. */
function carriedOver(format: FormatDefinition, tables: AnnexTables, previous: AnnexTables): Finding[] {
  const table = format.tables.find((candidate) => candidate.id === 'B');
  if (!table || !tables.B?.carried || !previous.B?.forward) return [];
  const findings: Finding[] = [];
  for (const column of table.columns) {
    const cell = ref('B', 'carried', column.id);
    const now = cellValue(tables, cell);
    const before = cellValue(previous, ref('B', 'forward', column.id));
    if (now === null || before === null || same(now, before)) continue;
    findings.push(
      finding('Y1', {
        cells: [cell],
        expected: before,
        actual: now,
        message: `附表B「${column.label}」列：二、上年结转应等于上一年度报告的四、结转下年度 ${before}，现填 ${now}。`,
        messageEn: `Table B, column ${column.id}: carried over should be last year's carried forward, ${before}; it is ${now}.`,
        suggestion: { cell, value: before },
      }),
    );
  }
  return findings;
}

/** Y2: documents in force follow from last year's, this year's new ones and those repealed. */
function documentsInForce(tables: AnnexTables, previous: AnnexTables): Finding[] {
  const findings: Finding[] = [];
  for (const [row, label] of [['regulations', '规章'], ['normative', '行政规范性文件']] as const) {
    const current = cellValue(tables, ref('A', row, 'current'));
    const issued = cellValue(tables, ref('A', row, 'issued'));
    const repealed = cellValue(tables, ref('A', row, 'repealed'));
    const before = cellValue(previous, ref('A', row, 'current'));
    if (current === null || issued === null || repealed === null || before === null) continue;
    const expected = roundSum(before + issued - repealed);
    if (same(expected, current)) continue;
    findings.push(
      finding('Y2', {
        cells: [ref('A', row, 'current'), ref('A', row, 'issued'), ref('A', row, 'repealed')],
        expected,
        actual: current,
        message: `附表A「${label}」现行有效件数 ${current}，按上年现行有效 ${before} + 本年制发 ${issued} − 本年废止 ${repealed} 应为 ${expected}。如有修订计入制发等情况，请确认后说明。`,
        messageEn: `Table A, ${row}: ${current} in force, but last year's ${before} + ${issued} issued − ${repealed} repealed = ${expected}.`,
      }),
    );
  }
  return findings;
}

/** Y3: a figure that moved more than fivefold is worth a second look (small numbers excepted). */
function largeChanges(format: FormatDefinition, tables: AnnexTables, previous: AnnexTables): Finding[] {
  const findings: Finding[] = [];
  for (const table of format.tables) {
    for (const row of table.rows) {
      for (const column of columnsOfRow(table, row)) {
        if (column.kind === 'change') continue;
        const cell = ref(table.id, row.id, column.id);
        const now = cellValue(tables, cell);
        const before = cellValue(previous, cell);
        if (now === null || before === null || now <= 0 || before <= 0 || Math.max(now, before) < 10) continue;
        const ratio = now / before;
        if (ratio <= 5 && ratio >= 1 / 5) continue;
        findings.push(
          finding('Y3', {
            cells: [cell],
            expected: before,
            actual: now,
            message: `附表${table.id}${cellLabel(table, cell)}由上年 ${before} ${ratio > 1 ? '增至' : '降至'} ${now}，变化超过5倍，请核实并视情况在正文说明原因。`,
            messageEn: `Table ${table.id}, ${row.id}/${column.id} went from ${before} to ${now}, more than a fivefold change.`,
          }),
        );
      }
    }
  }
  return findings;
}

/** The rules that compare this year's report with last year's (its annex, or figures entered for it). */
export function crossYearFindings(format: FormatDefinition, tables: AnnexTables, previous: AnnexTables): Finding[] {
  return [...carriedOver(format, tables, previous), ...documentsInForce(tables, previous), ...largeChanges(format, tables, previous)];
}
