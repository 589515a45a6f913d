import { describe, expect, it } from 'vitest';
import { blankTable, type AnnexTables, type TableValues } from '../annex-data.js';
import { cellsOfTable, unitTableId, type CellRef, type FormatDefinition, type TableDefinition } from '../definition.js';
import { findFormat } from '../formats/index.js';
import { TABLE_C_GROUPS } from '../formats/national-tables.js';
import { validateAnnex } from '../validate.js';
import type { Finding } from './finding.js';
import { seededRandom } from '../../../tests/support/seeded-random.js';

type Random = () => number;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, 0, items.length - 1)]!;
/** A count as tables have them: mostly zero, often small, sometimes large. */
const count = (random: Random) => {
  const roll = random();
  return roll < 0.45 ? 0 : roll < 0.8 ? int(random, 1, 20) : int(random, 21, 5000);
};

const formats = [findFormat('gov-disclosure-2021')!, findFormat('gov-disclosure-2019')!] as const;
const tableOf = (format: FormatDefinition, id: string): TableDefinition => format.tables.find((table) => table.id === id)!;

/** Table B's rows as the rules group them. */
function tableBLayout(table: TableDefinition) {
  const start = table.rows.findIndex((row) => row.id === 'results');
  const end = table.rows.findIndex((row) => row.id === 'total');
  const results = table.rows.slice(start + 1, end).filter((row) => !row.heading).map((row) => row.id);
  const applicants = table.columns.filter((column) => column.id !== 'total').map((column) => column.id);
  return { results, applicants };
}

/**
 * A table B that obeys B1–B4: per applicant column the results are random and （七）总计 their sum,
 * 上年结转 is given (last year's 结转) or random, 结转下年度 random, 新收 what balances; 总计 the row sums.
 */
function consistentB(format: FormatDefinition, random: Random, carriedOver?: Record<string, number>): TableValues {
  const table = tableOf(format, 'B');
  const { results, applicants } = tableBLayout(table);
  const values = blankTable(table);
  for (const column of applicants) {
    let total = 0;
    for (const row of results) {
      const value = count(random);
      values[row]![column] = value;
      total += value;
    }
    const carried = carriedOver ? carriedOver[column]! : int(random, 0, total + 30);
    const forward = count(random) + Math.max(0, carried - total);
    values.total![column] = total;
    values.carried![column] = carried;
    values.forward![column] = forward;
    values.new![column] = total + forward - carried;
  }
  for (const row of Object.values(values)) row.total = applicants.reduce((sum, column) => sum + row[column]!, 0);
  return values;
}

/** A table C whose three groups each add up (C1, C2). */
function consistentC(format: FormatDefinition, random: Random): TableValues {
  const values = blankTable(tableOf(format, 'C'));
  for (const { prefix } of TABLE_C_GROUPS) {
    let total = 0;
    for (const result of ['upheld', 'corrected', 'other', 'pending']) {
      const value = count(random);
      values.cases![`${prefix}-${result}`] = value;
      total += value;
    }
    values.cases![`${prefix}-total`] = total;
  }
  return values;
}

/**
 * A table A that obeys A1 and A2 (no new 规章), with amounts of 0–4 decimals and signed changes;
 * given last year's table A (2021 format), 现行有效 follows from it (Y2).
 */
function consistentA(format: FormatDefinition, random: Random, previous?: TableValues): TableValues {
  const table = tableOf(format, 'A');
  const values = blankTable(table);
  for (const [rowId, row] of Object.entries(values)) {
    for (const column of Object.keys(row)) {
      const kind = table.columns.find((candidate) => candidate.id === column)?.kind ?? 'count';
      if (kind === 'amount') {
        const decimals = int(random, 0, 4);
        row[column] = Math.round(random() * 5000 * 10 ** decimals) / 10 ** decimals;
      } else if (kind === 'change') {
        row[column] = int(random, -40, 40);
      } else {
        row[column] = count(random);
      }
    }
    if (rowId === 'regulations') {
      if ('issued' in row) row.issued = 0;
      if ('made' in row) row.made = 0;
    }
    const before = previous?.[rowId]?.current;
    if (before !== undefined && before !== null && 'current' in row) {
      row.repealed = int(random, 0, before + row.issued!);
      row.current = before + row.issued! - row.repealed;
    }
  }
  return values;
}

interface Case {
  format: FormatDefinition;
  tables: AnnexTables;
  previous?: AnnexTables;
  units?: { id: string; name: string }[];
}

/** A report whose tables obey every rule; some with last year's report, some compiled from units. */
function consistentCase(seed: number, options: { previous?: boolean; units?: boolean } = {}): Case {
  const random = seededRandom(seed);
  const format = formats[seed % 2]!;
  if (options.units) {
    const units = Array.from({ length: int(random, 1, 4) }, (_, index) => ({ id: `u${index}`, name: `单位${index}` }));
    const tables: AnnexTables = { A: consistentA(format, random) };
    for (const base of ['B', 'C']) {
      const district = blankTable(tableOf(format, base));
      for (const unit of units) {
        const unitTable = base === 'B' ? consistentB(format, random) : consistentC(format, random);
        tables[unitTableId(base, unit.id)] = unitTable;
        for (const [row, columns] of Object.entries(unitTable)) {
          for (const [column, value] of Object.entries(columns)) district[row]![column] = (district[row]![column] ?? 0) + value!;
        }
      }
      tables[base] = district;
    }
    return { format, tables, units };
  }
  if (options.previous) {
    const previous: AnnexTables = { A: consistentA(format, random), B: consistentB(format, random), C: consistentC(format, random) };
    const tables: AnnexTables = { A: consistentA(format, random, previous.A), B: consistentB(format, random, previous.B!.forward as Record<string, number>), C: consistentC(format, random) };
    return { format, tables, previous };
  }
  return { format, tables: { A: consistentA(format, random), B: consistentB(format, random), C: consistentC(format, random) } };
}

const validate = ({ format, tables, previous, units }: Case) => validateAnnex({ format, tables, previous: previous ?? null, ...(units ? { units } : {}) });
const key = (cell: CellRef) => `${cell.table}/${cell.row}:${cell.column}`;
const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.severity} [${f.cells.map(key).join(' ')}] ${f.expected}/${f.actual}`);

/** The cells of tables B and C that sum rules cover. */
function sumCells(format: FormatDefinition): CellRef[] {
  return [...cellsOfTable(tableOf(format, 'B')), ...cellsOfTable(tableOf(format, 'C'))];
}

/**
 * Which checks must fail when this one cell alone changes, worked out from the rules' definitions,
 * each with whether the cell sits among the check's parts (left side) or its totals (right side).
 */
function checksCovering(format: FormatDefinition, cell: CellRef): Map<string, 'part' | 'total'> {
  const checks = new Map<string, 'part' | 'total'>();
  if (cell.table === 'C') {
    const group = TABLE_C_GROUPS.find((candidate) => cell.column.startsWith(`${candidate.prefix}-`) && !cell.column.slice(candidate.prefix.length + 1).includes('-'))!;
    checks.set(`C1:${group.prefix}`, cell.column.endsWith('-total') ? 'total' : 'part');
    return checks;
  }
  const { results } = tableBLayout(tableOf(format, 'B'));
  if (cell.row === 'new' || cell.row === 'carried') checks.set(`B1:${cell.column}`, 'part');
  if (cell.row === 'total' || cell.row === 'forward') checks.set(`B1:${cell.column}`, 'total');
  if (results.includes(cell.row)) checks.set(`B2:${cell.column}`, 'part');
  if (cell.row === 'total') checks.set(`B2:${cell.column}`, 'total');
  checks.set(`B3:${cell.row}`, cell.column === 'total' ? 'total' : 'part');
  return checks;
}

/** The total a B2, B3 or C1 check defines. */
function totalOfCheck(check: string): CellRef {
  const [rule, at] = check.split(':') as [string, string];
  if (rule === 'B2') return { table: 'B', row: 'total', column: at };
  if (rule === 'B3') return { table: 'B', row: at, column: 'total' };
  return { table: 'C', row: 'cases', column: `${at}-total` };
}

/**
 * The value a finding should offer for its total after one changed cell: none for B1; none when a
 * part changed and another check covering the total is untouched by the change (it holds, and
 * would break were the total changed).
 */
function suggestionWanted(format: FormatDefinition, check: string, side: 'part' | 'total', broken: ReadonlyMap<string, unknown>, value: number) {
  if (check.startsWith('B1:')) return undefined;
  const total = totalOfCheck(check);
  const confirmed = side === 'part' && [...checksCovering(format, total).keys()].some((other) => other !== check && !broken.has(other));
  return confirmed ? undefined : { cell: total, value };
}

/** Which check a finding is: B1/B2 by column, B3 by row, C1 by group. */
function checkOf(finding: Finding): string {
  const first = finding.cells[0]!;
  if (finding.rule === 'B3') return `B3:${first.row}`;
  if (finding.rule === 'C1') return `C1:${TABLE_C_GROUPS.find((group) => first.column.startsWith(`${group.prefix}-`) && !first.column.slice(group.prefix.length + 1).includes('-'))!.prefix}`;
  return `${finding.rule}:${first.column}`;
}

const CASES = 300;
/** Roll-up cases validate every unit's tables too: fewer of them keep the file fast. */
const UNIT_CASES = 200;
/** Enough cases for every cell of tables A, B and C of both formats to take its turn. */
const EVERY_CELL_CASES = 440;

describe('property: tables that obey the rules', () => {
  it('random tables A, B, C of the 2021 and 2019 formats built to obey every rule raise no error or warning', () => {
    for (let seed = 1; seed <= CASES; seed += 1) {
      const findings = validate(consistentCase(seed));
      expect(describeFindings(findings), `seed ${seed}`).toEqual([]);
    }
  });

  it('with last year’s report whose 结转 and 现行有效 carry over, nothing but information is raised', () => {
    let infos = 0;
    for (let seed = 1; seed <= CASES; seed += 1) {
      const findings = validate(consistentCase(seed, { previous: true }));
      expect(describeFindings(findings.filter((f) => f.rule !== 'Y3' || f.severity !== 'info')), `seed ${seed}`).toEqual([]);
      infos += findings.length;
    }
    // random figures move more than fivefold now and then: Y3 is exercised, as information only
    expect(infos).toBeGreaterThan(0);
  });

  it('a district table that is the sum of its units’ tables raises nothing', () => {
    for (let seed = 1; seed <= UNIT_CASES; seed += 1) {
      const findings = validate(consistentCase(seed, { units: true }));
      expect(describeFindings(findings), `seed ${seed}`).toEqual([]);
    }
  });
});

describe('property: one changed cell', () => {
  it('changing any single cell of table B or C raises exactly the rules covering it, each naming the cell', () => {
    const seen = new Set<string>();
    const changed = new Set<string>();
    // cases alternate between the formats; walking the cells in turn changes every one of them
    for (let seed = 1; seed <= EVERY_CELL_CASES; seed += 1) {
      const random = seededRandom(seed * 7919);
      const testCase = consistentCase(seed);
      const cells = sumCells(testCase.format);
      const cell = cells[Math.floor(seed / 2) % cells.length]!;
      changed.add(`${testCase.format.format} ${key(cell)}`);
      const before = testCase.tables[cell.table]![cell.row]![cell.column]!;
      let after = random() < 0.5 ? before + int(random, 1, 9) : int(random, 0, before + 50);
      if (after === before) after = before + 1;
      const delta = after - before;
      testCase.tables[cell.table]![cell.row]![cell.column] = after;

      const findings = validate(testCase);
      const expected = checksCovering(testCase.format, cell);
      const context = `seed ${seed}: ${key(cell)} ${before} → ${after}\n${describeFindings(findings).join('\n')}`;
      expect(findings.map(checkOf).sort(), context).toEqual([...expected.keys()].sort());
      // each finding: an error naming the cell; the side of its equation holding the cell moved by
      // the change, the other did not; B2, B3 and C1 define their total and offer the parts' sum
      // (for a changed total, the value it had) unless another rule, untouched by the change and
      // so still holding, confirms the total as it is; B1 offers nothing, either side may be wrong
      const seenFindings = findings.map((finding) => {
        seen.add(finding.rule);
        const side = expected.get(checkOf(finding))!;
        return {
          check: checkOf(finding),
          severity: finding.severity,
          namesCell: finding.cells.some((candidate) => key(candidate) === key(cell)),
          moved: side === 'part' ? finding.expected! - finding.actual! : finding.actual! - finding.expected!,
          suggestion: finding.suggestion,
        };
      });
      const wanted = findings.map((finding) => {
        const side = expected.get(checkOf(finding))!;
        return {
          check: checkOf(finding),
          severity: 'error',
          namesCell: true,
          moved: delta,
          suggestion: suggestionWanted(testCase.format, checkOf(finding), side, expected, side === 'total' ? before : finding.expected!),
        };
      });
      expect(seenFindings, context).toEqual(wanted);
    }
    expect([...seen].sort()).toEqual(['B1', 'B2', 'B3', 'C1']);
    expect(changed.size).toBe(formats.reduce((sum, format) => sum + sumCells(format).length, 0));
  });

  it('every B cell maps to the rules the domain states (new: B1+B3; result: B2+B3; （七）总计: B1+B2+B3; 总计 column: B3 + its column’s rules)', () => {
    for (const format of formats) {
      const { results } = tableBLayout(tableOf(format, 'B'));
      const rulesOf = (row: string, column: string) => [...checksCovering(format, { table: 'B', row, column }).keys()].map((check) => check.split(':')[0]).sort();
      expect(rulesOf('new', 'natural')).toEqual(['B1', 'B3']);
      expect(rulesOf('forward', 'legal')).toEqual(['B1', 'B3']);
      for (const row of results) expect(rulesOf(row, 'business')).toEqual(['B2', 'B3']);
      expect(rulesOf('total', 'research')).toEqual(['B1', 'B2', 'B3']);
      expect(rulesOf('total', 'total')).toEqual(['B1', 'B2', 'B3']);
      expect(rulesOf('carried', 'total')).toEqual(['B1', 'B3']);
      expect(results).toHaveLength(format.format === 'gov-disclosure-2021' ? 21 : 19);
    }
  });

  it('a unit’s changed cell makes the district cell disagree with the units’ sum, offered as the value', () => {
    for (let seed = 1; seed <= UNIT_CASES; seed += 1) {
      const random = seededRandom(seed * 104729);
      const testCase = consistentCase(seed, { units: true });
      const unit = pick(random, testCase.units!);
      const base = pick(random, ['B', 'C']);
      const districtCell = pick(random, cellsOfTable(tableOf(testCase.format, base)));
      const unitCell = { ...districtCell, table: unitTableId(base, unit.id) };
      const delta = int(random, 1, 9);
      const districtValue = testCase.tables[base]![districtCell.row]![districtCell.column]!;
      testCase.tables[unitCell.table]![unitCell.row]![unitCell.column]! += delta;

      const findings = validate(testCase);
      const h1 = findings.filter((f) => f.rule === 'H1');
      const context = `seed ${seed}: ${key(unitCell)} +${delta}\n${describeFindings(findings).join('\n')}`;
      expect(h1.map((f) => [f.severity, f.cells, f.expected, f.actual, f.suggestion]), context).toEqual([
        ['error', [districtCell], districtValue + delta, districtValue, { cell: districtCell, value: districtValue + delta }],
      ]);
      // the unit's own table no longer adds up either; the district's own table still does
      const others = findings.filter((f) => f.rule !== 'H1');
      expect(others.length > 0 && others.every((f) => f.cells.every((cell) => cell.table === unitCell.table)), context).toBe(true);
    }
  });

  it('a 上年结转 that no longer matches last year’s 结转下年度 is Y1 for that column alone, offered last year’s value', () => {
    for (let seed = 1; seed <= CASES; seed += 1) {
      const random = seededRandom(seed * 15485863);
      const testCase = consistentCase(seed, { previous: true });
      const column = pick(random, tableOf(testCase.format, 'B').columns).id;
      const delta = int(random, 1, 9);
      const carried = testCase.tables.B!.carried![column]!;
      testCase.previous!.B!.forward![column]! += delta;
      const y1 = validate(testCase).filter((f) => f.rule === 'Y1');
      const cell = { table: 'B', row: 'carried', column };
      expect(
        y1.map((f) => [f.severity, f.cells, f.expected, f.actual, f.suggestion]),
        `seed ${seed}`,
      ).toEqual([['error', [cell], carried + delta, carried, { cell, value: carried + delta }]]);
    }
  });
});

describe('property: one blank cell', () => {
  it('a single blank cell raises only the fill rule (A1/B4/C2) listing that cell, and no sum rule on it', () => {
    const fillRule: Record<string, string> = { A: 'A1', B: 'B4', C: 'C2' };
    const blanked = new Set<string>();
    for (let seed = 1; seed <= EVERY_CELL_CASES; seed += 1) {
      const testCase = consistentCase(seed);
      const cells = ['A', 'B', 'C'].flatMap((table) => cellsOfTable(tableOf(testCase.format, table)));
      const cell = cells[Math.floor(seed / 2) % cells.length]!;
      const table = cell.table;
      blanked.add(`${testCase.format.format} ${key(cell)}`);
      testCase.tables[table]![cell.row]![cell.column] = null;
      const findings = validate(testCase);
      expect(
        findings.map((f) => [f.rule, f.severity, f.cells, f.expected, f.actual]),
        `seed ${seed}: ${key(cell)}\n${describeFindings(findings).join('\n')}`,
      ).toEqual([[fillRule[table], 'error', [cell], null, null]]);
    }
    expect(blanked.size).toBe(formats.reduce((sum, format) => sum + ['A', 'B', 'C'].reduce((n, table) => n + cellsOfTable(tableOf(format, table)).length, 0), 0));
  });

  it('several blank cells are still one finding per table, listing them in reading order', () => {
    for (let seed = 1; seed <= CASES; seed += 1) {
      const random = seededRandom(seed * 6151);
      const testCase = consistentCase(seed);
      const all = cellsOfTable(tableOf(testCase.format, 'B'));
      const blanks = all.filter(() => random() < 0.1);
      if (blanks.length === 0) continue;
      for (const cell of blanks) testCase.tables.B![cell.row]![cell.column] = null;
      const findings = validate(testCase);
      const b4 = findings.filter((f) => f.rule === 'B4');
      expect(b4.map((f) => f.cells), `seed ${seed}`).toEqual([blanks]);
      // a sum rule only fires if none of its cells is blank
      const blankKeys = new Set(blanks.map(key));
      for (const f of findings.filter((candidate) => candidate.rule !== 'B4')) {
        expect(f.cells.some((cell) => blankKeys.has(key(cell))), `seed ${seed}`).toBe(false);
      }
      // and since the table was consistent, no sum rule fires at all
      expect(findings.filter((f) => f.rule !== 'B4'), `seed ${seed}`).toEqual([]);
    }
  });
});
