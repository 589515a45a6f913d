import { cellValue, type AnnexTables } from '../annex-data.js';
import { cellLabel, cellsOfTable, unitTableId, type FormatDefinition } from '../definition.js';
import { finding, roundSum, same, type Finding } from './finding.js';

export interface ContributingUnit {
  id: string;
  name: string;
}

/**
 * H1: in a district report compiled from unit contributions, each cell of the district's table
 * is the sum of the same cell over the units, each counted once. While units are still missing
 * figures the sum is not known; the finding names them instead.
 */
export function rollUpFindings(format: FormatDefinition, tables: AnnexTables, units: readonly ContributingUnit[]): Finding[] {
  if (units.length === 0) return [];
  const findings: Finding[] = [];
  for (const table of format.tables.filter((candidate) => candidate.perUnit)) {
    const cells = cellsOfTable(table);
    // Read each unit's table once: this runs on every keystroke of a 30-unit district.
    const unitTables = units.map((unit) => tables[unitTableId(table.id, unit.id)]);
    const missing = units.filter((_, index) => {
      const values = unitTables[index];
      return !values || cells.some((cell) => (values[cell.row]?.[cell.column] ?? null) === null);
    });
    if (missing.length > 0) {
      const names = missing.map((unit) => unit.name);
      findings.push(
        finding('H1', {
          cells: [],
          expected: null,
          actual: null,
          message: `附表${table.id}汇总：${names.join('、')} 尚未填完本单位的附表${table.id}，合计暂不能核对。`,
          messageEn: `Table ${table.id} roll-up: ${missing.map((unit) => unit.id).join(', ')} have not finished their table ${table.id}.`,
        }),
      );
      continue;
    }
    for (const cell of cells) {
      let sum = 0;
      for (const values of unitTables) sum += values![cell.row]![cell.column]!;
      sum = roundSum(sum);
      const actual = cellValue(tables, cell);
      if (actual !== null && same(actual, sum)) continue;
      findings.push(
        finding('H1', {
          cells: [cell],
          expected: sum,
          actual,
          message: `附表${table.id}汇总${cellLabel(table, cell)}应为各单位合计 ${sum}，现${actual === null ? '未填' : `填 ${actual}`}。`,
          messageEn: `Table ${table.id} roll-up, ${cell.row}/${cell.column}: the units add up to ${sum}; it is ${actual ?? 'blank'}.`,
          suggestion: { cell, value: sum },
        }),
      );
    }
  }
  return findings;
}
