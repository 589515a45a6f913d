import { describe, expect, it } from 'vitest';
import { blankTable, type AnnexTables, type TableValues } from '../annex-data.js';
import { figureText } from '../annex-figure-node.js';
import type { CellRef, FormatDefinition } from '../definition.js';
import { findFormat } from '../formats/index.js';
import { readReport } from '../report-reading.js';
import { validateAnnex, validateReport } from '../validate.js';
import type { NodeJSON } from '../../report-json.js';
import type { Finding } from './finding.js';
import { narrativeFindings, type NarrativeBlock } from './narrative.js';
import { outdatedCitationFindings, structureFindings, type ReportShape } from './structure.js';

const format2021 = findFormat('gov-disclosure-2021')!;
const format2019 = findFormat('gov-disclosure-2019')!;
const legacy = findFormat('gov-disclosure-legacy')!;

const B = (row: string, column = 'total'): CellRef => ({ table: 'B', row, column });
const C = (column: string): CellRef => ({ table: 'C', row: 'cases', column });
const A = (row: string, column: string): CellRef => ({ table: 'A', row, column });

/** Every cell of the format's table filled with 0, then `values` ("row:col" → number) written over it. */
function filled(format: FormatDefinition, tableId: string, values: Record<string, number | null> = {}): TableValues {
  const table = blankTable(format.tables.find((candidate) => candidate.id === tableId)!);
  for (const row of Object.values(table)) for (const column of Object.keys(row)) row[column] = 0;
  for (const [key, value] of Object.entries(values)) {
    const [row, column] = key.split(':') as [string, string];
    if (!table[row] || !(column in table[row]!)) throw new Error(`no cell ${key} in table ${tableId}`);
    table[row]![column] = value;
  }
  return table;
}

/** One value per column of the same row: natural, business, …, total. */
function rowOf(row: string, values: Partial<Record<'natural' | 'business' | 'research' | 'nonprofit' | 'legal' | 'other' | 'total', number>>) {
  return Object.fromEntries(Object.entries(values).map(([column, value]) => [`${row}:${column}`, value]));
}

/**
 * The prefecture city's 2024 annex (a real report): table B is consistent, 3525 + 121 = 3521 + 125;
 * table C has 复议 170 (36 pending) and 诉讼 25 + 52 = 77 (7 + 13 pending).
 */
function cityTables(): AnnexTables {
  return {
    A: filled(format2021, 'A', {
      'normative:issued': 12,
      'normative:repealed': 3,
      'normative:current': 120,
      'licensing:decisions': 5000,
      'penalty:decisions': 300,
      'enforcement:decisions': 20,
      'charges:fees': 1.2345,
    }),
    B: filled(format2021, 'B', {
      ...rowOf('new', { natural: 3400, business: 125, total: 3525 }),
      ...rowOf('carried', { natural: 121, total: 121 }),
      ...rowOf('granted', { natural: 1880, business: 120, total: 2000 }),
      ...rowOf('partial', { natural: 300, total: 300 }),
      ...rowOf('denied-third-party', { natural: 100, total: 100 }),
      ...rowOf('unavailable-not-held', { natural: 900, total: 900 }),
      ...rowOf('declined-repeat', { natural: 200, total: 200 }),
      ...rowOf('other-no-correction', { natural: 21, total: 21 }),
      ...rowOf('total', { natural: 3401, business: 120, total: 3521 }),
      ...rowOf('forward', { natural: 120, business: 5, total: 125 }),
    }),
    C: filled(format2021, 'C', {
      'cases:review-upheld': 100,
      'cases:review-corrected': 20,
      'cases:review-other': 14,
      'cases:review-pending': 36,
      'cases:review-total': 170,
      'cases:direct-upheld': 10,
      'cases:direct-corrected': 5,
      'cases:direct-other': 3,
      'cases:direct-pending': 7,
      'cases:direct-total': 25,
      'cases:after-review-upheld': 30,
      'cases:after-review-corrected': 5,
      'cases:after-review-other': 4,
      'cases:after-review-pending': 13,
      'cases:after-review-total': 52,
    }),
  };
}

/** The provincial capital's office report (2019 format): consistent, （七）总计 805, 予以公开 272 + 部分公开 3. */
function capitalTables(): AnnexTables {
  return {
    A: filled(format2019, 'A', { 'normative:made': 8, 'normative:published': 8, 'normative:published-total': 96, 'licensing:decisions': 1200 }),
    B: filled(format2019, 'B', {
      ...rowOf('new', { natural: 700, business: 140, total: 840 }),
      ...rowOf('carried', { natural: 20, total: 20 }),
      ...rowOf('granted', { natural: 256, business: 16, total: 272 }),
      ...rowOf('partial', { natural: 2, business: 1, total: 3 }),
      ...rowOf('denied-law', { natural: 30, business: 5, total: 35 }),
      ...rowOf('unavailable-not-held', { natural: 300, business: 100, total: 400 }),
      ...rowOf('declined-repeat', { natural: 80, business: 10, total: 90 }),
      ...rowOf('other-handling', { natural: 2, business: 3, total: 5 }),
      ...rowOf('total', { natural: 670, business: 135, total: 805 }),
      ...rowOf('forward', { natural: 50, business: 5, total: 55 }),
    }),
    C: filled(format2019, 'C'),
  };
}

const set = (tables: AnnexTables, cell: CellRef, value: number | null) => {
  tables[cell.table]![cell.row]![cell.column] = value;
};
const add = (tables: AnnexTables, cell: CellRef, delta: number) => set(tables, cell, tables[cell.table]![cell.row]![cell.column]! + delta);

const rules = (findings: Finding[]) => findings.map((f) => f.rule);
const only = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);
const cellIds = (cells: CellRef[]) => cells.map((cell) => `${cell.table}/${cell.row}:${cell.column}`);
const narrative = (text: string, tables: AnnexTables, sectionId = 'overview', partSix: Set<string> = new Set()) =>
  narrativeFindings([{ sectionId, text }], tables, partSix);

describe('the real tables used as fixtures', () => {
  it('the prefecture city’s consistent table B (3525 + 121 = 3521 + 125) and tables A, C raise nothing', () => {
    expect(validateAnnex({ format: format2021, tables: cityTables() })).toEqual([]);
  });

  it('the provincial capital’s consistent 2019-format tables raise nothing', () => {
    expect(validateAnnex({ format: format2019, tables: capitalTables() })).toEqual([]);
  });
});

describe('B1: 一 + 二 = （七）总计 + 四, column by column', () => {
  it('a carried-forward figure that breaks the balance is reported for its column, with both sides', () => {
    const tables = cityTables();
    add(tables, B('forward', 'natural'), 1);
    const b1 = only(validateAnnex({ format: format2021, tables }), 'B1');
    expect(b1).toHaveLength(1);
    expect(b1[0]).toMatchObject({ severity: 'error', expected: 3521, actual: 3522 });
    expect(cellIds(b1[0]!.cells)).toEqual(['B/new:natural', 'B/carried:natural', 'B/total:natural', 'B/forward:natural']);
    expect(b1[0]!.message).toContain('附表B「自然人」列');
    expect(b1[0]!.message).toContain('左边为 3521，右边为 3522');
  });

  it('offers no single value to fill in, since either side may be the wrong one', () => {
    const tables = cityTables();
    add(tables, B('new', 'total'), -25);
    const b1 = only(validateAnnex({ format: format2021, tables }), 'B1');
    expect(b1).toHaveLength(1);
    expect(b1[0]).toMatchObject({ expected: 3621, actual: 3646 });
    expect(b1[0]!.suggestion).toBeUndefined();
  });

  it('a changed 新收 cell breaks its column’s balance and its row’s total, nothing else', () => {
    const tables = cityTables();
    add(tables, B('new', 'research'), 2);
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings).sort()).toEqual(['B1', 'B3']);
    expect(only(findings, 'B1')[0]).toMatchObject({ expected: 2, actual: 0 });
    // 新收's total agrees with B1 down the 总计 column: 3527 there would break it, so the row's cells are what to check.
    const b3 = only(findings, 'B3')[0]!;
    expect(b3).toMatchObject({ expected: 3527, actual: 3525 });
    expect(b3.suggestion).toBeUndefined();
    expect(cellIds(b3.cells)).toEqual(['B/new:natural', 'B/new:business', 'B/new:research', 'B/new:nonprofit', 'B/new:legal', 'B/new:other']);
    expect(b3.message).toContain('总计与附表B「总计」列的勾稽关系（B1）相符，请核对各项数字，而不是改总计');
  });
});

describe('B2: （七）总计 = every result sub-row', () => {
  it('a total that does not add up is offered the computed value', () => {
    const tables = cityTables();
    set(tables, B('total', 'natural'), 3400);
    const b2 = only(validateAnnex({ format: format2021, tables }), 'B2');
    expect(b2).toHaveLength(1);
    expect(b2[0]).toMatchObject({ severity: 'error', expected: 3401, actual: 3400, suggestion: { cell: B('total', 'natural'), value: 3401 } });
    expect(b2[0]!.message).toContain('合计应为 3401，现填 3400');
    // the 21 result sub-rows of the 2021 format, then the total
    expect(b2[0]!.cells).toHaveLength(22);
    expect(b2[0]!.cells.at(-1)).toEqual(B('total', 'natural'));
    expect(cellIds(b2[0]!.cells)).toContain('B/other-unpaid:natural');
    expect(cellIds(b2[0]!.cells)).not.toContain('B/denied:natural');
  });

  it('a changed (七)总计 cell raises B1 and B2 for its column and B3 for the total row', () => {
    const tables = cityTables();
    add(tables, B('total', 'business'), 3);
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings).sort()).toEqual(['B1', 'B2', 'B3']);
    for (const f of findings) expect(f.cells).toContainEqual(B('total', 'business'));
    expect(only(findings, 'B2')[0]!.suggestion).toEqual({ cell: B('total', 'business'), value: 120 });
    // The row's 总计 agrees with B1 and B2 down the 总计 column: nothing to offer for it.
    expect(only(findings, 'B3')[0]).toMatchObject({ expected: 3524, actual: 3521 });
    expect(only(findings, 'B3')[0]!.suggestion).toBeUndefined();
  });

  it('a changed result sub-row raises B2 for its column and B3 for its row, not B1', () => {
    const tables = cityTables();
    add(tables, B('declined-excessive', 'legal'), 4);
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings).sort()).toEqual(['B2', 'B3']);
    // Neither total is offered a value: B1 confirms the column's total, B2 down the 总计 column the row's.
    const b2 = only(findings, 'B2')[0]!;
    expect(b2).toMatchObject({ expected: 4, actual: 0 });
    expect(b2.suggestion).toBeUndefined();
    expect(cellIds(b2.cells)).toContain('B/declined-excessive:legal');
    expect(cellIds(b2.cells)).not.toContain('B/total:legal');
    expect(only(findings, 'B3')[0]).toMatchObject({ expected: 4, actual: 0 });
    expect(only(findings, 'B3')[0]!.suggestion).toBeUndefined();
  });

  it('in the 2019 format the single （六）其他处理 row counts among the results', () => {
    const tables = capitalTables();
    add(tables, B('other-handling', 'natural'), 1);
    const findings = validateAnnex({ format: format2019, tables });
    expect(rules(findings).sort()).toEqual(['B2', 'B3']);
    const b2 = only(findings, 'B2')[0]!;
    // The 19 result rows: B1 confirms the total, so they are what to check.
    expect(b2.cells).toHaveLength(19);
    expect(b2).toMatchObject({ expected: 671, actual: 670 });
  });
});

describe('B3: 总计 column = every applicant column', () => {
  it('a total-column cell that is off is offered the sum of the applicant columns', () => {
    const tables = cityTables();
    set(tables, B('carried', 'total'), 120);
    const findings = validateAnnex({ format: format2021, tables });
    const b3 = only(findings, 'B3');
    expect(b3).toHaveLength(1);
    expect(b3[0]).toMatchObject({ expected: 121, actual: 120, suggestion: { cell: B('carried'), value: 121 } });
    expect(cellIds(b3[0]!.cells)).toEqual([
      'B/carried:natural',
      'B/carried:business',
      'B/carried:research',
      'B/carried:nonprofit',
      'B/carried:legal',
      'B/carried:other',
      'B/carried:total',
    ]);
    expect(b3[0]!.message).toContain('「二、上年结转政府信息公开申请数量」行');
    // the total column's own balance breaks too
    expect(only(findings, 'B1')).toHaveLength(1);
    expect(only(findings, 'B1')[0]!.message).toContain('「总计」列');
  });
});

describe('B4 and C2: every cell filled with a whole number ≥ 0', () => {
  it('blank cells are one finding for the table, listing each blank cell, and are not taken as zero', () => {
    const tables = cityTables();
    set(tables, B('granted', 'total'), null);
    set(tables, B('new', 'natural'), null);
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings)).toEqual(['B4']);
    expect(findings[0]).toMatchObject({ severity: 'error', expected: null, actual: null });
    expect(cellIds(findings[0]!.cells)).toEqual(['B/new:natural', 'B/granted:total']);
    expect(findings[0]!.message).toBe('附表B还有 2 个单元格未填写。空白表示未填，不等于 0；没有发生的请填 0。');
  });

  it('a table placed in the report but never filled in lists all 175 cells as blank', () => {
    const tables = { B: blankTable(format2021.tables[1]!) };
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings)).toEqual(['B4']);
    expect(findings[0]!.cells).toHaveLength(175);
  });

  it('a negative count is reported for its cell', () => {
    const tables = cityTables();
    set(tables, B('partial', 'research'), -1);
    set(tables, B('partial', 'natural'), 302);
    const b4 = only(validateAnnex({ format: format2021, tables }), 'B4');
    expect(b4).toHaveLength(1);
    expect(b4[0]).toMatchObject({ severity: 'error', cells: [B('partial', 'research')], expected: null, actual: -1 });
    expect(b4[0]!.message).toContain('不能为负数');
  });

  it('a fraction of a request is reported for its cell', () => {
    const tables = cityTables();
    set(tables, B('carried', 'natural'), 120.5);
    const b4 = only(validateAnnex({ format: format2021, tables }), 'B4');
    expect(b4).toEqual([expect.objectContaining({ rule: 'B4', cells: [B('carried', 'natural')], actual: 120.5 })]);
    expect(b4[0]!.message).toContain('件数应为整数');
  });

  it('table C: blank, negative and fractional cells are C2', () => {
    const tables = cityTables();
    set(tables, C('direct-other'), null);
    set(tables, C('review-upheld'), -100);
    set(tables, C('after-review-upheld'), 29.5);
    const c2 = only(validateAnnex({ format: format2021, tables }), 'C2');
    expect(c2.map((f) => [cellIds(f.cells), f.actual])).toEqual([
      [['C/cases:review-upheld'], -100],
      [['C/cases:after-review-upheld'], 29.5],
      [['C/cases:direct-other'], null],
    ]);
  });
});

describe('C1: 维持 + 纠正 + 其他 + 尚未审结 = 总计, in each group', () => {
  it('each group is checked on its own, and its total is offered the sum', () => {
    const tables = cityTables();
    set(tables, C('direct-total'), 24);
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings)).toEqual(['C1']);
    expect(findings[0]).toMatchObject({ severity: 'error', expected: 25, actual: 24, suggestion: { cell: C('direct-total'), value: 25 } });
    expect(cellIds(findings[0]!.cells)).toEqual(['C/cases:direct-upheld', 'C/cases:direct-corrected', 'C/cases:direct-other', 'C/cases:direct-pending', 'C/cases:direct-total']);
    expect(findings[0]!.message).toContain('行政诉讼（未经复议直接起诉）');
  });

  it('a wrong result in one group does not touch the others', () => {
    const tables = cityTables();
    add(tables, C('after-review-pending'), 1);
    const findings = validateAnnex({ format: format2021, tables });
    expect(findings.map((f) => [f.rule, f.expected, f.actual])).toEqual([['C1', 53, 52]]);
  });
});

describe('A1 and A2: table A', () => {
  it('a fee amount with four decimals is fine', () => {
    const tables = cityTables();
    set(tables, A('charges', 'fees'), 0.0001);
    expect(validateAnnex({ format: format2021, tables })).toEqual([]);
  });

  it('a negative fee, a negative count and a fractional count are each A1 errors', () => {
    const tables = cityTables();
    set(tables, A('charges', 'fees'), -0.5);
    set(tables, A('penalty', 'decisions'), -3);
    set(tables, A('normative', 'current'), 120.5);
    const a1 = only(validateAnnex({ format: format2021, tables }), 'A1');
    expect(a1.map((f) => [f.severity, cellIds(f.cells), f.actual])).toEqual([
      ['error', ['A/normative:current'], 120.5],
      ['error', ['A/penalty:decisions'], -3],
      ['error', ['A/charges:fees'], -0.5],
    ]);
  });

  it('blank cells of table A are one A1 finding (the 2022 district office with a blank 规章 row)', () => {
    const tables = cityTables();
    set(tables, A('regulations', 'issued'), null);
    set(tables, A('regulations', 'repealed'), null);
    set(tables, A('regulations', 'current'), null);
    const findings = validateAnnex({ format: format2021, tables });
    expect(rules(findings)).toEqual(['A1']);
    expect(cellIds(findings[0]!.cells)).toEqual(['A/regulations:issued', 'A/regulations:repealed', 'A/regulations:current']);
  });

  it('a district reporting new 规章 gets a warning, not an error', () => {
    const tables = cityTables();
    set(tables, A('regulations', 'issued'), 2);
    const findings = validateAnnex({ format: format2021, tables });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'A2', severity: 'warning', cells: [A('regulations', 'issued')], expected: 0, actual: 2 });
    expect(findings[0]!.message).toContain('区县人民政府无权制定规章');
  });

  it('a province or a city divided into districts may make 规章: no A2 for them', () => {
    const tables = cityTables();
    set(tables, A('regulations', 'issued'), 2);
    expect(validateAnnex({ format: format2021, tables, level: 'city' })).toEqual([]);
    expect(validateAnnex({ format: format2021, tables, level: 'province' })).toEqual([]);
    expect(rules(validateAnnex({ format: format2021, tables, level: 'county' }))).toEqual(['A2']);
  });

  it('0 new 规章, or 规章 only repealed, raises no A2', () => {
    const tables = cityTables();
    set(tables, A('regulations', 'repealed'), 1);
    set(tables, A('regulations', 'current'), 4);
    expect(validateAnnex({ format: format2021, tables })).toEqual([]);
  });

  it('the 2019 format: 本年新制作 规章 > 0 is A2 too, and 本年增/减 may be negative', () => {
    const tables: AnnexTables = {
      A: filled(format2019, 'A', { 'regulations:made': 1, 'licensing:items-change': -3, 'charges:items-change': -1, 'procurement:procurement-amount': 12.3456 }),
    };
    const findings = validateAnnex({ format: format2019, tables });
    expect(findings.map((f) => [f.rule, f.severity, cellIds(f.cells)])).toEqual([['A2', 'warning', ['A/regulations:made']]]);
  });

  it('the 2019 format: a fractional 本年增/减 is still an A1 error', () => {
    const tables: AnnexTables = { A: filled(format2019, 'A', { 'penalty:items-change': -1.5 }) };
    const findings = validateAnnex({ format: format2019, tables });
    expect(findings.map((f) => [f.rule, cellIds(f.cells), f.actual])).toEqual([['A1', ['A/penalty:items-change'], -1.5]]);
  });
});

describe('Y1–Y3: against last year’s report', () => {
  function lastYear(): AnnexTables {
    return {
      A: filled(format2021, 'A', { 'normative:issued': 10, 'normative:current': 111, 'licensing:decisions': 4000, 'penalty:decisions': 250, 'enforcement:decisions': 15 }),
      B: filled(format2021, 'B', { ...rowOf('forward', { natural: 121, total: 121 }) }),
    };
  }

  it('last year’s 结转 121 = this year’s 上年结转 121 (the prefecture city): nothing to report', () => {
    const previous = lastYear();
    const findings = validateAnnex({ format: format2021, tables: cityTables(), previous });
    expect(findings).toEqual([]);
  });

  it('a 上年结转 that differs from last year’s 结转下年度 is an error offering last year’s value', () => {
    const previous = lastYear();
    previous.B!.forward!.natural = 118;
    previous.B!.forward!.business = 3;
    const y1 = only(validateAnnex({ format: format2021, tables: cityTables(), previous }), 'Y1');
    expect(y1.map((f) => [f.severity, cellIds(f.cells), f.expected, f.actual, f.suggestion])).toEqual([
      ['error', ['B/carried:natural'], 118, 121, { cell: B('carried', 'natural'), value: 118 }],
      ['error', ['B/carried:business'], 3, 0, { cell: B('carried', 'business'), value: 3 }],
    ]);
    expect(y1[0]!.message).toContain('上一年度报告的四、结转下年度 118，现填 121');
  });

  it('documents in force that do not follow from last year’s are a warning (amendments may count as new)', () => {
    const previous = lastYear();
    previous.A!.normative!.current = 100;
    const y2 = only(validateAnnex({ format: format2021, tables: cityTables(), previous }), 'Y2');
    expect(y2).toHaveLength(1);
    expect(y2[0]).toMatchObject({ severity: 'warning', expected: 109, actual: 120 });
    expect(cellIds(y2[0]!.cells)).toEqual(['A/normative:current', 'A/normative:issued', 'A/normative:repealed']);
    expect(y2[0]!.message).toContain('上年现行有效 100 + 本年制发 12 − 本年废止 3 应为 109');
  });

  it('a figure that grew more than fivefold is shown for information', () => {
    const previous = lastYear();
    previous.A!.licensing!.decisions = 900;
    const y3 = only(validateAnnex({ format: format2021, tables: cityTables(), previous }), 'Y3');
    expect(y3.map((f) => [f.severity, cellIds(f.cells), f.expected, f.actual])).toEqual([['info', ['A/licensing:decisions'], 900, 5000]]);
    expect(y3[0]!.message).toContain('由上年 900 增至 5000');
  });

  it('a figure that shrank more than fivefold is shown too, but exactly fivefold is not', () => {
    const previous = lastYear();
    previous.A!.penalty!.decisions = 1801;
    previous.A!.enforcement!.decisions = 100;
    const y3 = only(validateAnnex({ format: format2021, tables: cityTables(), previous }), 'Y3');
    expect(y3.map((f) => [cellIds(f.cells), f.expected, f.actual])).toEqual([[['A/penalty:decisions'], 1801, 300]]);
    expect(y3[0]!.message).toContain('降至');
  });

  it('small numbers and figures from or to zero are not compared', () => {
    const previous = lastYear();
    previous.A!.enforcement!.decisions = 0;
    const tables = cityTables();
    set(tables, A('regulations', 'repealed'), 1);
    set(tables, A('regulations', 'current'), 9);
    previous.A!.regulations!.current = 10;
    previous.A!.regulations!.issued = 1;
    expect(validateAnnex({ format: format2021, tables, previous }).filter((f) => f.rule === 'Y3')).toEqual([]);
  });

  it('blank cells last year leave the comparisons undecided', () => {
    const previous: AnnexTables = { A: blankTable(format2021.tables[0]!), B: blankTable(format2021.tables[1]!) };
    expect(validateAnnex({ format: format2021, tables: cityTables(), previous })).toEqual([]);
  });
});

describe('H1: a district table compiled from its units', () => {
  const units = [
    { id: 'office', name: '区政府办公室' },
    { id: 'finance', name: '区财政局' },
  ];

  /** The city's tables split over two units: the office has everything but 3 new requests of the finance bureau. */
  function rolledUp(): AnnexTables {
    const tables = cityTables();
    const finance = {
      B: filled(format2021, 'B', {
        ...rowOf('new', { natural: 3, total: 3 }),
        ...rowOf('granted', { natural: 2, total: 2 }),
        ...rowOf('total', { natural: 2, total: 2 }),
        ...rowOf('forward', { natural: 1, total: 1 }),
      }),
      C: filled(format2021, 'C', { 'cases:review-upheld': 1, 'cases:review-total': 1 }),
    };
    const office = { B: structuredClone(tables.B!), C: structuredClone(tables.C!) };
    for (const [table, unitTable] of [
      ['B', office.B],
      ['C', office.C],
    ] as const) {
      for (const [row, columns] of Object.entries(unitTable)) {
        for (const column of Object.keys(columns)) columns[column] = tables[table]![row]![column]! - finance[table][row]![column]!;
      }
    }
    return { ...tables, 'B@office': office.B, 'C@office': office.C, 'B@finance': finance.B, 'C@finance': finance.C };
  }

  it('a district table that is each unit’s sum raises nothing', () => {
    expect(validateAnnex({ format: format2021, tables: rolledUp(), units })).toEqual([]);
  });

  it('names the units whose figures are still missing instead of comparing sums', () => {
    const tables = rolledUp();
    set(tables, { table: 'B@finance', row: 'partial', column: 'legal' }, null);
    const findings = validateAnnex({ format: format2021, tables, units });
    const h1 = only(findings, 'H1');
    expect(h1).toHaveLength(1);
    expect(h1[0]).toMatchObject({ severity: 'error', cells: [], expected: null, actual: null });
    expect(h1[0]!.message).toBe('附表B汇总：区财政局 尚未填完本单位的附表B，合计暂不能核对。');
    expect(h1[0]!.messageEn).toContain('finance');
    // the unit's own blank is reported on its copy, by the unit's name
    const b4 = only(findings, 'B4');
    expect(b4.map((f) => [cellIds(f.cells), f.message])).toEqual([[['B@finance/partial:legal'], '附表B（区财政局）还有 1 个单元格未填写。空白表示未填，不等于 0；没有发生的请填 0。']]);
  });

  it('a unit that has not started its table is named too', () => {
    const tables = rolledUp();
    delete tables['C@office'];
    const h1 = only(validateAnnex({ format: format2021, tables, units }), 'H1');
    expect(h1.map((f) => f.message)).toEqual(['附表C汇总：区政府办公室 尚未填完本单位的附表C，合计暂不能核对。']);
  });

  it('a district cell that is not the units’ sum is offered the sum', () => {
    const tables = rolledUp();
    add(tables, { table: 'B@finance', row: 'new', column: 'natural' }, 1);
    add(tables, { table: 'B@finance', row: 'new', column: 'total' }, 1);
    add(tables, { table: 'B@finance', row: 'forward', column: 'natural' }, 1);
    add(tables, { table: 'B@finance', row: 'forward', column: 'total' }, 1);
    const h1 = only(validateAnnex({ format: format2021, tables, units }), 'H1');
    expect(h1.map((f) => [cellIds(f.cells), f.expected, f.actual, f.suggestion?.value])).toEqual([
      [['B/new:natural'], 3401, 3400, 3401],
      [['B/new:total'], 3526, 3525, 3526],
      [['B/forward:natural'], 121, 120, 121],
      [['B/forward:total'], 126, 125, 126],
    ]);
    expect(h1[0]!.message).toBe('附表B汇总「一、本年新收政府信息公开申请数量」「自然人」应为各单位合计 3401，现填 3400。');
  });

  it('a district cell left blank while every unit has reported is offered the units’ sum', () => {
    const tables = rolledUp();
    set(tables, C('review-other'), null);
    const findings = validateAnnex({ format: format2021, tables, units });
    expect(findings.map((f) => [f.rule, cellIds(f.cells), f.expected, f.actual, f.suggestion?.value])).toEqual([
      ['C2', ['C/cases:review-other'], null, null, undefined],
      ['H1', ['C/cases:review-other'], 14, null, 14],
    ]);
    expect(findings[1]!.message).toBe('附表C汇总「案件数量」「行政复议其他结果」应为各单位合计 14，现未填。');
  });

  it('no units: not an aggregate, no H1', () => {
    const tables = rolledUp();
    add(tables, { table: 'B@finance', row: 'new', column: 'natural' }, 1);
    expect(validateAnnex({ format: format2021, tables }).filter((f) => f.rule === 'H1')).toEqual([]);
  });
});

describe('S1: the report’s parts, in the format’s order and titles', () => {
  const parts2021 = format2021.sections.map((section) => ({ sectionId: section.sectionId, title: section.title, level: 1 }));
  const shape = (sections: ReportShape['sections'], year = 2024, placedTables: string[] = ['A', 'B', 'C']): ReportShape => ({ year, sections, placedTables });

  it('the six parts in order with their tables raise nothing, whatever level-2 parts they hold', () => {
    const sections = [
      parts2021[0]!,
      { sectionId: 'overview-proactive', title: '（一）主动公开', level: 2 },
      { sectionId: 'overview-platform', title: '（四）平台建设', level: 2 },
      ...parts2021.slice(1),
    ];
    expect(structureFindings(format2021, shape(sections))).toEqual([]);
  });

  it('a missing part is named with its number and title (the statistics bureau’s five parts)', () => {
    const sections = parts2021.filter((part) => part.sectionId !== 'reviews');
    const findings = structureFindings(format2021, shape(sections, 2023, ['A', 'B']));
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['S1', 'error', '缺少第4部分「四、政府信息公开行政复议、行政诉讼情况」（或其标题与格式不符）。格式要求六部分齐全，“不能遗漏”。'],
      ['S1', 'error', '「四、政府信息公开行政复议、行政诉讼情况」缺少附表C。'],
    ]);
  });

  it('parts out of order are reported once', () => {
    const sections = [parts2021[0]!, parts2021[2]!, parts2021[1]!, ...parts2021.slice(3)];
    const findings = structureFindings(format2021, shape(sections));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^报告各部分顺序与格式不符，应依次为：一、总体情况；二、主动公开政府信息情况；/);
  });

  it('an extra level-1 part is named', () => {
    const sections = [...parts2021.slice(0, 5), { sectionId: 'highlights', title: '六、工作亮点', level: 1 }, parts2021[5]!];
    const findings = structureFindings(format2021, shape(sections));
    expect(findings.map((f) => f.message)).toEqual(['「六、工作亮点」不是格式规定的部分。请将其作为某一部分下的小节，或改用格式标题。']);
  });

  it('a part under another title is one finding naming the format’s title, not a missing part and an extra one', () => {
    const sections = parts2021.map((part) => ({ ...part }));
    sections[3]!.title = '四、因政府信息公开申请行政复议、行政诉讼情况';
    const findings = structureFindings(format2021, shape(sections));
    expect(findings.map((f) => [f.rule, f.severity, f.sectionId, f.message])).toEqual([
      ['S1', 'error', 'reviews', '「四、因政府信息公开申请行政复议、行政诉讼情况」的标题应为「四、政府信息公开行政复议、行政诉讼情况」（格式规定的第4部分标题）。'],
    ]);
  });

  it('a mistitled part is found by its number when the report’s ids are its own (an imported report), and by its id when it has no number', () => {
    const imported = parts2021.map((part, index) => ({ ...part, sectionId: `part-${index + 1}` }));
    imported[1]!.title = '二、主动公开情况';
    expect(structureFindings(format2021, shape(imported)).map((f) => [f.sectionId, f.message])).toEqual([
      ['part-2', '「二、主动公开情况」的标题应为「二、主动公开政府信息情况」（格式规定的第2部分标题）。'],
    ]);
    const unnumbered = parts2021.map((part) => ({ ...part }));
    unnumbered[4]!.title = '存在问题';
    expect(structureFindings(format2021, shape(unnumbered)).map((f) => f.sectionId)).toEqual([unnumbered[4]!.sectionId]);
  });

  it('a part without its table is reported', () => {
    const findings = structureFindings(format2021, shape(parts2021, 2024, ['A', 'C']));
    expect(findings.map((f) => f.message)).toEqual(['「三、收到和处理政府信息公开申请情况」缺少附表B。']);
  });

  it('titles differing only in full/half-width punctuation and spaces are the format’s titles', () => {
    const sections = parts2021.map((part) => ({ ...part }));
    sections[0]!.title = '一、 总体情况';
    sections[1]!.title = '二、主动公开政府信息情况\u3000';
    sections[3]!.title = '四、政府信息公开行政复议，行政诉讼情况';
    sections[4]!.title = '五､存在的主要问题及改进情况';
    sections[5]!.title = '六、其他需要报告的事项 ';
    sections[2]!.title = '三、收到和处理政府信息公开申请情况';
    expect(structureFindings(format2021, shape(sections))).toEqual([]);
    sections[3]!.title = '四、政府信息公开行政复议,行政诉讼情况';
    expect(structureFindings(format2021, shape(sections))).toEqual([]);
  });

  it('a 2022 report in the 2019 trial format is an error', () => {
    const findings = structureFindings(format2019, shape(parts2021, 2022));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'S1', severity: 'error' });
    expect(findings[0]!.message).toContain('2022年度报告应使用政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）');
    expect(findings[0]!.messageEn).toBe('A 2022 report must use the 2021 format, not gov-disclosure-2019.');
  });

  it('a 2020 report in the 2019 trial format is right', () => {
    expect(structureFindings(format2019, shape(parts2021, 2020))).toEqual([]);
  });

  it('a pre-2019 report keeps its own parts, but the old 附表 for a 2021 report is an error', () => {
    const loose = shape([{ sectionId: 'intro', title: '一、概述', level: 1 }], 2017, []);
    expect(structureFindings(legacy, loose)).toEqual([]);
    expect(rules(structureFindings(legacy, { ...loose, year: 2021 }))).toEqual(['S1']);
  });

  it('citing 〔2019〕60号 in a 2022 report is a warning pointing to the section', () => {
    const texts = [
      { sectionId: 'overview', text: '本报告依据《条例》编制。' },
      { sectionId: 'other', text: '按照国办公开办函〔2019〕60号要求编制。' },
    ];
    const findings = outdatedCitationFindings(2022, texts);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'S1', severity: 'warning', sectionId: 'other', cells: [] });
    expect(outdatedCitationFindings(2022, [{ sectionId: 'x', text: '国办公开办函［2019］ 60号' }])).toHaveLength(1);
    expect(outdatedCitationFindings(2020, texts)).toEqual([]);
    expect(outdatedCitationFindings(2022, [{ sectionId: 'x', text: '按照国办公开办函〔2021〕30号编制' }])).toEqual([]);
  });
});

describe('L1–L5: the pre-2019 附表', () => {
  /** The district's 2017 report (examples/001): 28 = 1 + 16 + 11; 26 on time + 2 extended = 28. */
  function legacyTables(): AnnexTables {
    return {
      A: filled(legacy, 'A', { 'total:count': 135, 'website:count': 130, 'gazette:count': 20, 'weibo:count': null, 'wechat:count': null, 'other-channels:count': null }),
      B: filled(legacy, 'B', {
        'received:count': 28,
        'in-person:count': 1,
        'fax-phone:count': 0,
        'online:count': 11,
        'letter:count': 16,
        'email:count': null,
        'other-channel:count': null,
        'answered:count': 28,
        'already-public:count': 5,
        'granted:count': 18,
        'partial:count': 2,
        'refused:count': 3,
        'other-answer:count': null,
        'on-time:count': 26,
        'extended:count': 2,
      }),
      C: filled(legacy, 'C', { 'consultations:count': null, 'reviews:count': 0, 'lawsuits:count': 0, 'appeals:count': null }),
    };
  }

  it('the consistent 2017 report raises nothing; channels overlap so table A has no sum rule', () => {
    expect(validateAnnex({ format: legacy, tables: legacyTables() })).toEqual([]);
  });

  it('requests that are not the sum of their channels: L2 offers the sum', () => {
    const tables = legacyTables();
    set(tables, { table: 'B', row: 'letter', column: 'count' }, 15);
    const findings = validateAnnex({ format: legacy, tables });
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, f.suggestion?.value])).toEqual([['L2', 'error', 27, 28, 27]]);
  });

  it('an optional channel counts once it is reported', () => {
    const tables = legacyTables();
    set(tables, { table: 'B', row: 'email', column: 'count' }, 2);
    const findings = validateAnnex({ format: legacy, tables });
    expect(findings.map((f) => [f.rule, f.expected, f.actual])).toEqual([['L2', 30, 28]]);
    expect(findings[0]!.cells).toContainEqual({ table: 'B', row: 'email', column: 'count' });
  });

  it('answers that are not the sum of their outcomes: L3', () => {
    const tables = legacyTables();
    set(tables, { table: 'B', row: 'refused', column: 'count' }, 4);
    const findings = validateAnnex({ format: legacy, tables });
    // 答复总数 agrees with 按时 + 延期 (L5): the outcomes are what to check.
    expect(findings.map((f) => [f.rule, f.expected, f.actual, f.suggestion])).toEqual([['L3', 29, 28, undefined]]);
    expect(findings[0]!.message).toContain('（L5）相符');
  });

  it('more answers than requests is a warning', () => {
    const tables = legacyTables();
    set(tables, { table: 'B', row: 'answered', column: 'count' }, 30);
    set(tables, { table: 'B', row: 'granted', column: 'count' }, 20);
    set(tables, { table: 'B', row: 'on-time', column: 'count' }, 28);
    const findings = validateAnnex({ format: legacy, tables });
    expect(findings.map((f) => [f.rule, f.severity, cellIds(f.cells), f.expected, f.actual])).toEqual([['L4', 'warning', ['B/answered:count', 'B/received:count'], 28, 30]]);
  });

  it('on time + extended that is not the answers: L5, without a value to fill in', () => {
    const tables = legacyTables();
    set(tables, { table: 'B', row: 'on-time', column: 'count' }, 25);
    const findings = validateAnnex({ format: legacy, tables });
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, f.suggestion])).toEqual([['L5', 'error', 27, 28, undefined]]);
  });

  it('no L5 when only one of on time / extended is reported', () => {
    const tables = legacyTables();
    set(tables, { table: 'B', row: 'extended', column: 'count' }, null);
    expect(validateAnnex({ format: legacy, tables })).toEqual([]);
  });

  it('blank required cells and negative counts are L1; optional rows may stay blank', () => {
    const tables = legacyTables();
    set(tables, { table: 'C', row: 'reviews', column: 'count' }, null);
    set(tables, { table: 'A', row: 'total', column: 'count' }, -1);
    const findings = validateAnnex({ format: legacy, tables });
    expect(findings.map((f) => [f.rule, cellIds(f.cells), f.actual])).toEqual([
      ['L1', ['A/total:count'], -1],
      ['L1', ['C/reviews:count'], null],
    ]);
  });
});

describe('T1: figures in the text restate the tables', () => {
  it('the prefecture city: 行政复议 134件 and 行政诉讼 57件 left out pending cases, and the finding says so', () => {
    const findings = narrative('本年度发生政府信息公开行政复议134件，行政诉讼57件。', cityTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([
      ['T1', 'warning', 170, 134],
      ['T1', 'warning', 77, 57],
    ]);
    expect(cellIds(findings[0]!.cells)).toEqual(['C/cases:review-upheld', 'C/cases:review-corrected', 'C/cases:review-other']);
    expect(cellIds(findings[1]!.cells)).toEqual([
      'C/cases:direct-upheld',
      'C/cases:direct-corrected',
      'C/cases:direct-other',
      'C/cases:after-review-upheld',
      'C/cases:after-review-corrected',
      'C/cases:after-review-other',
    ]);
    expect(findings[0]!.message).toContain('未计入尚未审结的案件；附表总计为 170');
    expect(findings[1]!.message).toContain('未计入尚未审结的案件；附表总计为 77');
    expect(findings[0]).toMatchObject({ sectionId: 'overview', excerpt: '本年度发生政府信息公开行政复议134件' });
  });

  it('the totals with pending cases included match', () => {
    expect(narrative('行政复议170件，行政诉讼77件，其中尚未审结的20件。', cityTables())).toEqual([]);
  });

  it('reviews and lawsuits counted together are compared with their sum, never with the nearer of the two', () => {
    const tables = cityTables();
    // 170 reviews + 25 direct + 52 after review.
    expect(narrative('本年度发生政府信息公开行政复议、行政诉讼案件共247件。', tables)).toEqual([]);
    expect(narrative('全年复议诉讼案件247件。', tables)).toEqual([]);
    const findings = narrative('全年行政复议和行政诉讼案件共77件。', tables);
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, cellIds(f.cells)])).toEqual([
      ['T1', 'error', 247, 77, ['C/cases:review-total', 'C/cases:direct-total', 'C/cases:after-review-total']],
    ]);
    expect(findings[0]!.message).toContain('行政复议和行政诉讼案件合计数为 77，附表为 247');
    // Without the pending cases, like each count alone.
    expect(narrative('行政复议和行政诉讼案件共191件。', tables).map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([['T1', 'warning', 247, 191]]);
  });

  it('“行政复议、行政诉讼各N件” gives each its own count: checked as the nearer word’s figure, not as a sum', () => {
    const tables = cityTables();
    expect(narrative('行政复议、行政诉讼各77件。', tables)).toEqual([]);
    expect(narrative('行政复议、行政诉讼各2件。', tables).map((f) => [f.rule, f.expected, f.actual])).toEqual([['T1', 77, 2]]);
  });

  it('a review or lawsuit count matching neither reading is an error', () => {
    const findings = narrative('行政复议150件。', cityTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, cellIds(f.cells)])).toEqual([['T1', 'error', 170, 150, ['C/cases:review-total']]]);
  });

  it('requests received may be 新收 or 新收 + 上年结转: both accepted, the second said to be so', () => {
    const tables = cityTables();
    expect(narrative('全年新收政府信息公开申请3525件。', tables)).toEqual([]);
    const findings = narrative('全年共收到政府信息公开申请3,646件。', tables);
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([['T1', 'info', 3525, 3646]]);
    expect(findings[0]!.message).toContain('按“本年新收 + 上年结转”口径，与附表一致（本年新收为 3525）');
  });

  it('requests received matching neither convention are an error naming the 新收 cell', () => {
    const findings = narrative('全年共收到政府信息公开申请3600件。', cityTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, cellIds(f.cells)])).toEqual([['T1', 'error', 3525, 3600, ['B/new:total']]]);
  });

  it('a review application received is read as a review, not as the year’s requests', () => {
    const tables = cityTables();
    expect(narrative('本年度收到政府信息公开行政复议申请170件。', tables)).toEqual([]);
    const findings = narrative('本年度收到政府信息公开行政复议申请3件。', tables);
    expect(findings.map((f) => [f.rule, f.expected, f.actual])).toEqual([['T1', 170, 3]]);
  });

  it('自然人 and 法人或其他组织 are each checked against their columns', () => {
    const tables = cityTables();
    expect(narrative('其中自然人申请3400件，法人或其他组织申请125件。', tables)).toEqual([]);
    const findings = narrative('其中自然人申请3525件，法人或其他组织申请121件。', tables);
    expect(findings.map((f) => [f.expected, f.actual])).toEqual([
      [3400, 3525],
      [125, 121],
    ]);
    expect(cellIds(findings[1]!.cells)).toEqual(['B/new:business', 'B/new:research', 'B/new:nonprofit', 'B/new:legal', 'B/new:other']);
  });

  it('the provincial capital: 予以公开及部分公开 258 where the table gives 272 + 3 = 275', () => {
    const findings = narrative('予以公开及部分公开258件。', capitalTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, cellIds(f.cells)])).toEqual([['T1', 'error', 275, 258, ['B/granted:total', 'B/partial:total']]]);
    expect(findings[0]!.message).toContain('写予以公开和部分公开数为 258，附表为 275');
  });

  it('the words quoted back keep the share’s closing bracket', () => {
    const findings = narrative('予以公开及部分公开258件（32.0%），其余为其他情形。', capitalTables());
    expect(findings.map((f) => [f.rule, f.excerpt])).toEqual([['T1', '予以公开及部分公开258件(32.0%)']]);
    expect(findings[0]!.message).toContain('正文“予以公开及部分公开258件(32.0%)”');
  });

  it('“不同意公开” is a refusal, not a grant', () => {
    const tables = capitalTables();
    expect(narrative('不同意公开35件，同意公开272件。', tables)).toEqual([]);
    const findings = narrative('不同意公开36件。', tables);
    expect(findings.map((f) => [f.rule, f.expected, f.actual, f.cells.length])).toEqual([['T1', 35, 36, 8]]);
  });

  it('each result category, 办结, 上年结转 and 结转下年度 are checked', () => {
    const tables = cityTables();
    expect(
      narrative('予以公开2000件，部分公开300件，不予公开100件，无法提供900件，不予处理200件，其他处理21件。办结3521件，上年结转121件，结转下年度125件。', tables),
    ).toEqual([]);
    const findings = narrative('不予公开101件，无法提供899件，其他处理20件。办结3520件，结转下年度126件。', tables);
    expect(findings.map((f) => [f.expected, f.actual])).toEqual([
      [100, 101],
      [900, 899],
      [21, 20],
      [3521, 3520],
      [125, 126],
    ]);
  });

  it('counts of 规章 and 行政规范性文件 are checked against table A', () => {
    const tables = cityTables();
    expect(narrative('本年制发行政规范性文件12件，未制定规章0件。', tables)).toEqual([]);
    const findings = narrative('本年印发行政规范性文件13件。', tables);
    expect(findings.map((f) => [f.expected, f.actual, cellIds(f.cells)])).toEqual([[12, 13, ['A/normative:issued']]]);
  });

  it('a change from last year is not a restated figure', () => {
    expect(narrative('收到申请3525件，比上年增加100件，同比增长12件。', cityTables())).toEqual([]);
  });

  it('a figure whose cells are blank is not checked yet', () => {
    const tables = cityTables();
    set(tables, C('review-total'), null);
    expect(narrative('行政复议150件。', tables)).toEqual([]);
  });
});

describe('T2: percentages in the text', () => {
  it('35 written as 4.34% of 805 (the provincial capital) is offered 4.35%', () => {
    const findings = narrative('不予公开35件，占4.34%。', capitalTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, cellIds(f.cells)])).toEqual([['T2', 'error', 4.35, 4.34, ['B/total:total']]]);
    expect(findings[0]!.message).toContain('35 ÷ 办理总数 805 = 4.35%，不是 4.34%');
  });

  it('a share rounded to the decimals shown is right', () => {
    const tables = capitalTables();
    expect(narrative('不予公开35件，占4.35%。', tables)).toEqual([]);
    expect(narrative('不予公开35件（4.3%）。', tables)).toEqual([]);
    expect(narrative('不予公开35件，占比4%。', tables)).toEqual([]);
  });

  it('shares of all six results that add to 100% raise nothing', () => {
    const text = '予以公开272件，占33.79%；部分公开3件，占0.37%；不予公开35件，占4.35%；无法提供400件，占49.69%；不予处理90件，占11.18%；其他处理5件，占0.62%。';
    expect(narrative(text, capitalTables())).toEqual([]);
  });

  it('categories that add to 716 of 805 (the provincial capital): the shares do not add up to 100%', () => {
    const text = '予以公开及部分公开258件，占32.05%；不予公开35件，占4.35%；无法提供330件，占40.99%；不予处理88件，占10.93%；其他处理5件，占0.62%。';
    const findings = narrative(text, capitalTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([
      ['T1', 'error', 275, 258],
      ['T1', 'error', 400, 330],
      ['T1', 'error', 90, 88],
      ['T2', 'error', 100, 88.94],
    ]);
    expect(findings[3]!.message).toBe('正文中各办理结果所占比例合计为 88.94%，应为 100%（允许四舍五入误差）。请核对各项比例。');
  });

  it('a share of 予以公开和部分公开 restated by its two parts is counted once in the total', () => {
    const text =
      '予以公开及部分公开275件，占34.16%，其中予以公开272件，占33.79%，部分公开3件，占0.37%；不予公开35件，占4.35%；无法提供400件，占49.69%；不予处理90件，占11.18%；其他处理5件，占0.62%。';
    expect(narrative(text, capitalTables())).toEqual([]);
    const wrong = text.replace('占11.18%', '占21.18%');
    expect(narrative(wrong, capitalTables()).map((f) => [f.rule, f.expected, f.actual])).toEqual([
      ['T2', 11.18, 21.18],
      ['T2', 100, 110],
    ]);
  });

  it('a mistyped share is reported itself and in the total of the shares', () => {
    const text = '予以公开272件，占33.79%；部分公开3件，占0.37%；不予公开35件，占4.35%；无法提供400件，占49.69%；不予处理90件，占1.18%；其他处理5件，占0.62%。';
    const findings = narrative(text, capitalTables());
    expect(findings.map((f) => [f.rule, f.expected, f.actual])).toEqual([
      ['T2', 11.18, 1.18],
      ['T2', 100, 90],
    ]);
  });

  it('no share check while （七）总计 is blank or zero', () => {
    const tables = capitalTables();
    set(tables, B('total'), null);
    expect(narrative('不予公开35件，占4.34%。', tables).filter((f) => f.rule === 'T2')).toEqual([]);
  });
});

describe('T3: 均获维持', () => {
  it('“均获维持” with corrections, other results and pending cases is an error listing them', () => {
    const findings = narrative('行政复议和行政诉讼案件均获维持。', cityTables());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'T3', severity: 'error', expected: 0, actual: 107 });
    expect(cellIds(findings[0]!.cells)).toEqual([
      'C/cases:review-corrected',
      'C/cases:review-other',
      'C/cases:review-pending',
      'C/cases:direct-corrected',
      'C/cases:direct-other',
      'C/cases:direct-pending',
      'C/cases:after-review-corrected',
      'C/cases:after-review-other',
      'C/cases:after-review-pending',
    ]);
  });

  it('“均获维持” about reviews only looks at reviews', () => {
    const tables = cityTables();
    for (const column of ['review-corrected', 'review-other', 'review-pending']) set(tables, C(column), 0);
    set(tables, C('review-upheld'), 170);
    expect(narrative('行政复议案件均获维持。', tables)).toEqual([]);
    const lawsuits = narrative('行政诉讼均被维持。', tables);
    expect(lawsuits.map((f) => [f.rule, f.actual, f.cells.length])).toEqual([['T3', 37, 6]]);
  });

  it('“均获维持” is true when nothing was corrected, otherwise decided or pending', () => {
    const tables = cityTables();
    tables.C = filled(format2021, 'C', { 'cases:review-upheld': 3, 'cases:review-total': 3, 'cases:direct-upheld': 1, 'cases:direct-total': 1 });
    expect(narrative('复议诉讼案件均获维持。', tables)).toEqual([]);
  });
});

describe('T4: fees in part six', () => {
  function unpaidTables(): AnnexTables {
    const tables = cityTables();
    set(tables, B('other-no-correction', 'natural'), 19);
    set(tables, B('other-no-correction'), 19);
    set(tables, B('other-unpaid', 'natural'), 2);
    set(tables, B('other-unpaid'), 2);
    return tables;
  }

  it('requests closed over unpaid fees with no word on fees in part six: a warning', () => {
    const tables = unpaidTables();
    expect(validateAnnex({ format: format2021, tables })).toEqual([]);
    const blocks: NarrativeBlock[] = [
      { sectionId: 'overview', text: '依申请公开工作中，本机关依法收取信息处理费。' },
      { sectionId: 'other', text: '本年度无其他需要报告的事项。' },
    ];
    const findings = narrativeFindings(blocks, tables, new Set(['other']));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'T4', severity: 'warning', cells: [B('other-unpaid')], actual: 2 });
  });

  it('a sentence on information-processing fees in part six, or in one of its sub-parts, satisfies it', () => {
    const tables = unpaidTables();
    const blocks: NarrativeBlock[] = [{ sectionId: 'other-fees', text: '本年度共发出收费通知2件，收取信息处理费0万元。' }];
    expect(narrativeFindings(blocks, tables, new Set(['other', 'other-fees']))).toEqual([]);
  });

  it('no unpaid-fee closures: nothing to report', () => {
    expect(narrativeFindings([{ sectionId: 'other', text: '无。' }], cityTables(), new Set(['other']))).toEqual([]);
  });
});

/** A report as the editor stores it: six sections with their tables, narrative paragraphs inside. */
function reportDoc(paragraphs: Partial<Record<string, NodeJSON[][]>>, format: FormatDefinition = format2021): NodeJSON {
  return {
    type: 'doc',
    content: format.sections.map((section) => ({
      type: 'section',
      attrs: { sectionId: section.sectionId, title: section.title, level: 1 },
      content: [
        ...(paragraphs[section.sectionId] ?? [[{ type: 'text', text: '（略）' }]]).map((content) => ({ type: 'paragraph', content })),
        ...(section.tableId ? [{ type: 'annexTable', attrs: { tableId: section.tableId } }] : []),
      ],
    })),
  };
}

const text = (value: string): NodeJSON => ({ type: 'text', text: value });
const figure = (cell: string, of: string | null = null, decimals = 1): NodeJSON => ({ type: 'annexFigure', attrs: { cell, of, decimals } });

describe('the whole report: readReport + validateReport', () => {
  function check(doc: NodeJSON, tables: AnnexTables, year = 2024, format = format2021) {
    const reading = readReport(doc, format, tables);
    return { reading, findings: validateReport({ format, year, tables, reading }) };
  }

  it('a linked figure reads as its live value, so it never raises T1 or T2', () => {
    const doc = reportDoc({
      requests: [[text('全年共收到政府信息公开申请'), figure('B/new:total'), text('件，予以公开'), figure('B/granted:total'), text('件，占'), figure('B/granted:total', 'B/total:total', 2), text('。')]],
    });
    const tables = cityTables();
    const { reading, findings } = check(doc, tables);
    expect(reading.narrative).toContainEqual({ sectionId: 'requests', text: '全年共收到政府信息公开申请3525件，予以公开2000件，占56.80%。' });
    expect(findings).toEqual([]);

    // the table changes (consistently): the linked figures follow, and still raise nothing
    add(tables, B('new', 'natural'), 10);
    add(tables, B('new'), 10);
    add(tables, B('granted', 'natural'), 10);
    add(tables, B('granted'), 10);
    add(tables, B('total', 'natural'), 10);
    add(tables, B('total'), 10);
    const after = check(doc, tables);
    expect(after.reading.narrative).toContainEqual({ sectionId: 'requests', text: '全年共收到政府信息公开申请3535件，予以公开2010件，占56.92%。' });
    expect(after.findings).toEqual([]);
  });

  it('the same figures typed as numbers go stale when the table changes, and T1/T2 catch them', () => {
    const doc = reportDoc({ requests: [[text('全年共收到政府信息公开申请3525件，予以公开2000件，占56.80%。')]] });
    const tables = cityTables();
    expect(check(doc, tables).findings).toEqual([]);
    add(tables, B('new', 'natural'), 10);
    add(tables, B('new'), 10);
    add(tables, B('granted', 'natural'), 10);
    add(tables, B('granted'), 10);
    add(tables, B('total', 'natural'), 10);
    add(tables, B('total'), 10);
    const { findings } = check(doc, tables);
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual, f.sectionId])).toEqual([
      ['T1', 'error', 3535, 3525, 'requests'],
      ['T1', 'error', 2010, 2000, 'requests'],
      ['T2', 'error', 56.64, 56.8, 'requests'],
    ]);
  });

  it('a linked figure whose cell is blank reads as nothing, and the blank is B4', () => {
    const tables = cityTables();
    set(tables, B('new'), null);
    const doc = reportDoc({ requests: [[text('收到申请'), figure('B/new:total'), text('件。')]] });
    const { reading, findings } = check(doc, tables);
    expect(reading.narrative).toContainEqual({ sectionId: 'requests', text: '收到申请件。' });
    expect(findings.map((f) => [f.rule, cellIds(f.cells)])).toEqual([['B4', ['B/new:total']]]);
  });

  it('a malformed figure node without attributes reads as nothing instead of failing the check', () => {
    const doc = reportDoc({ requests: [[text('收到申请'), { type: 'annexFigure' }, text('件。')]] });
    expect(() => check(doc, cityTables())).not.toThrow();
    expect(check(doc, cityTables()).findings).toEqual([]);
  });

  it('finds the sections, where the tables sit and which sections make up part six', () => {
    const doc = reportDoc({});
    const content = doc.content!;
    content.push({ type: 'section', attrs: { sectionId: 'other-fees', title: '（一）收费情况', level: 2 }, content: [{ type: 'paragraph', content: [text('收取信息处理费0元。')] }] });
    const reading = readReport(doc, format2021, cityTables());
    expect(reading.sections.map((s) => [s.sectionId, s.level])).toEqual([
      ['overview', 1],
      ['proactive', 1],
      ['requests', 1],
      ['reviews', 1],
      ['problems', 1],
      ['other', 1],
      ['other-fees', 2],
    ]);
    expect(reading.placedTables).toEqual(['A', 'B', 'C']);
    expect([...reading.partSix]).toEqual(['other', 'other-fees']);
  });

  it('the prefecture city’s report: consistent tables, a text leaving out pending cases and claiming all upheld', () => {
    const doc = reportDoc({
      overview: [[text('全年共收到政府信息公开申请3646件。')]],
      reviews: [[text('本年度发生政府信息公开行政复议134件，行政诉讼57件，均获维持。')]],
    });
    const { findings } = check(doc, cityTables());
    expect(findings.map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([
      ['T3', 'error', 0, 107],
      ['T1', 'warning', 170, 134],
      ['T1', 'warning', 77, 57],
      ['T1', 'info', 3525, 3646],
    ]);
  });

  it('a placed table with no figures yet blocks publishing as blank, not as zero', () => {
    const tables = cityTables();
    delete tables.C;
    const { findings } = check(reportDoc({}), tables);
    expect(findings.map((f) => [f.rule, f.cells.length])).toEqual([['C2', 15]]);
  });

  it('a 2022 report in the 2019 layout that cites 〔2019〕60号: an S1 error and an S1 warning', () => {
    const doc = reportDoc({ overview: [[text('本报告按照国办公开办函〔2019〕60号格式编制。')]] }, format2019);
    const { findings } = check(doc, capitalTables(), 2022, format2019);
    expect(findings.map((f) => [f.rule, f.severity, f.sectionId])).toEqual([
      ['S1', 'error', undefined],
      ['S1', 'warning', 'overview'],
    ]);
  });

  it('unpaid fees and no fee text in part six: T4 through the report reading', () => {
    const tables = cityTables();
    set(tables, B('other-no-correction', 'natural'), 20);
    set(tables, B('other-no-correction'), 20);
    set(tables, B('other-unpaid', 'natural'), 1);
    set(tables, B('other-unpaid'), 1);
    expect(rules(check(reportDoc({}), tables).findings)).toEqual(['T4']);
    const withFees = reportDoc({ other: [[text('本年度发出收费通知1件，申请人逾期未缴纳信息处理费。')]] });
    expect(check(withFees, tables).findings).toEqual([]);
  });

  it('a pre-2019 report is held to L1–L5 only, not to the national text rules', () => {
    const tables: AnnexTables = {
      A: filled(legacy, 'A', { 'total:count': 10 }),
      B: filled(legacy, 'B', { 'received:count': 1, 'letter:count': 1, 'answered:count': 1, 'granted:count': 1, 'on-time:count': 1 }),
      C: filled(legacy, 'C'),
    };
    const doc = reportDoc({ overview: [[text('全年收到申请5件。')]] }, legacy);
    expect(check(doc, tables, 2017, legacy).findings).toEqual([]);
  });

  it('findings come errors first, then warnings, then information', () => {
    const tables = cityTables();
    set(tables, A('regulations', 'issued'), 1);
    set(tables, A('regulations', 'current'), 1);
    set(tables, C('review-total'), 171);
    const doc = reportDoc({ overview: [[text('收到申请3646件。')]] });
    const severities = check(doc, tables).findings.map((f) => f.severity);
    expect(severities).toEqual(['error', 'warning', 'info']);
  });
});

describe('figureText: what a linked figure shows', () => {
  const tables = cityTables();
  it('a value, a percentage with its decimals, or nothing while a cell is blank or the denominator zero', () => {
    expect(figureText({ cell: 'B/new:total', of: null, decimals: 1 }, tables)).toBe('3525');
    expect(figureText({ cell: 'C/cases:review-pending', of: 'C/cases:review-total', decimals: 1 }, tables)).toBe('21.2%');
    expect(figureText({ cell: 'A/charges:fees' }, tables)).toBe('1.2345');
    expect(figureText({ cell: 'B/new:research', of: 'B/carried:research', decimals: 1 }, tables)).toBe('');
    expect(figureText({ cell: 'B/nowhere:total' }, tables)).toBe('');
    expect(figureText({ cell: 'not a cell' }, tables)).toBe('');
    expect(figureText({}, tables)).toBe('');
  });
});
