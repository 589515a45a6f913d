import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TableValues } from '../annex/annex-data.js';
import { cellsOfTable, columnsOfRow, type FormatDefinition, type TableDefinition } from '../annex/definition.js';
import { findFormat } from '../annex/formats/index.js';
import { TABLE_C_GROUPS } from '../annex/formats/national-tables.js';
import { importFindings, readImportedReport, type ImportedReport } from './report-import.js';
import type { SourceBlock } from './source.js';

// Importing a published report: whatever the file was (a portal page, a DOCX, a PDF's text layer,
// pasted text), the import finds its title, year, parts and annex tables, reads every figure exactly
// as printed, and never guesses one it cannot read — it says which cell and why.

const format2021 = findFormat('gov-disclosure-2021')!;
const format2019 = findFormat('gov-disclosure-2019')!;
const formatLegacy = findFormat('gov-disclosure-legacy')!;
const tableOf = (format: FormatDefinition, id: string): TableDefinition => format.tables.find((table) => table.id === id)!;
const [A, B, C] = [tableOf(format2021, 'A'), tableOf(format2021, 'B'), tableOf(format2021, 'C')];

// ---------------------------------------------------------------------------------------------
// Building report sources from the format's own definitions
// ---------------------------------------------------------------------------------------------

const textBlocks = (lines: readonly string[]): SourceBlock[] => lines.map((line) => ({ kind: 'text', text: line }));

/** The rows of a table that hold numbers (heading rows such as （三）不予公开 hold none). */
const valueRows = (table: TableDefinition) => table.rows.filter((row) => columnsOfRow(table, row).length > 0);

/** A value for every cell of `table`, in reading order (row by row, left to right). */
function tableFrom(table: TableDefinition, numberAt: (index: number) => number): TableValues {
  const values: TableValues = {};
  let index = 0;
  for (const row of valueRows(table)) {
    const cells: Record<string, number | null> = {};
    for (const column of columnsOfRow(table, row)) cells[column.id] = numberAt(index++);
    values[row.id] = cells;
  }
  return values;
}

/** How a report writes its tables as text. */
interface Style {
  /** Between a row's label and its numbers; '\n' puts every label and every number on its own line. */
  separator: string;
  label: (label: string) => string;
  number: (value: number) => string;
}

const toFullWidth = (text: string) => text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
const halfWidthBrackets = (label: string) => label.replace(/（/g, '(').replace(/）/g, ')').replace(/，/g, ',');
const withThousands = (value: number) => value.toLocaleString('en-US');

const STYLES = {
  /** A web page or a DOCX copied as text: one row per line, cells separated by tabs. */
  tabs: { separator: '\t', label: (label) => label, number: String },
  /** A PDF's text layer: each label and each number on its own line. */
  'one-per-line': { separator: '\n', label: (label) => label, number: String },
  /** Full-width digits (in numbers and in row numbering), cells apart by ideographic spaces. */
  'full-width': { separator: '\u3000', label: toFullWidth, number: (value) => toFullWidth(String(value)) },
  /** Half-width brackets and commas in the labels, cells apart by spaces. */
  'half-width-brackets': { separator: ' ', label: halfWidthBrackets, number: String },
  /** Thousands separators in the numbers. */
  thousands: { separator: '\t', label: (label) => label, number: withThousands },
} satisfies Record<string, Style>;
type StyleName = keyof typeof STYLES;

/** The lines of a column header: groups (申请人情况 → 自然人 / 法人或其他组织 / 总计), subgroups, then the grouped columns. */
function columnHeaderLines(table: TableDefinition): string[][] {
  const unique = (items: string[]) => [...new Set(items)];
  return [
    unique(table.columns.map((column) => column.group ?? column.label)),
    unique(table.columns.flatMap((column) => (column.subgroup ? [column.subgroup] : []))),
    table.columns.filter((column) => column.group).map((column) => column.label),
  ].filter((line) => line.length > 0);
}

/** A one-row table (table C) is printed without a row label: its header, then its numbers. */
const isUnlabeled = (table: TableDefinition) => valueRows(table).length === 1;

/**
 * A table as a report's running text carries it: its caption and column headers, then each row
 * as "label<sep>n<sep>n…" (heading rows alone on their line).
 */
function tableLines(table: TableDefinition, values: TableValues, style: Style = STYLES.tabs): string[] {
  const lines: string[][] = [];
  if (table.note) lines.push([table.note]);
  if (table.columnsCaption) lines.push([table.columnsCaption]);
  if (!table.rows.some((row) => row.caption)) lines.push(...columnHeaderLines(table));
  for (const row of table.rows) {
    const columns = columnsOfRow(table, row);
    if (row.caption) lines.push([row.caption], ['信息内容', ...columns.map((column) => column.label)]);
    const numbers = columns.map((column) => style.number(values[row.id]![column.id]!));
    lines.push([...(isUnlabeled(table) ? [] : [style.label(row.label)]), ...numbers]);
  }
  return lines.flatMap((cells) => cells.join(style.separator).split('\n'));
}

/**
 * A table as drawn in a page or a DOCX: header rows, then each row's labels — a label spanning
 * rows repeated in each (['三、本年度办理结果', '（三）不予公开', '1.属于国家秘密', …]) — and its cells.
 */
function drawnTable(table: TableDefinition, values: TableValues, cellText: (value: number) => string = String): SourceBlock {
  const rows: string[][] = [];
  if (table.note) rows.push([table.note, table.columnsCaption ?? '']);
  if (!table.rows.some((row) => row.caption)) rows.push(...columnHeaderLines(table));
  const parents: string[] = [];
  for (const row of table.rows) {
    const depth = row.depth ?? 0;
    parents[depth] = row.label;
    const columns = columnsOfRow(table, row);
    if (row.caption) rows.push([row.caption], ['信息内容', ...columns.map((column) => column.label)]);
    if (columns.length === 0) continue;
    const labels = isUnlabeled(table) ? [] : parents.slice(0, depth + 1);
    rows.push([...labels, ...columns.map((column) => cellText(values[row.id]![column.id]!))]);
  }
  return { kind: 'table', rows };
}

const PARAGRAPHS: Record<string, string> = {
  overview: '本区坚持以公开为常态、不公开为例外，持续深化政务公开。',
  proactive: '本区通过政府门户网站主动公开政府信息。',
  requests: '本区依法办理政府信息公开申请。',
  reviews: '本年度政府信息公开行政复议、行政诉讼情况如下。',
  problems: '政策解读的针对性有待加强，下一步将加以改进。',
  other: '本年度未收取信息处理费。',
};
const PREFACE = '本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自1月1日起至12月31日止。';
const titleOf = (year: number) => `某某区人民政府${year}年政府信息公开工作年度报告`;

/**
 * A whole report as text lines: title, preface, the six parts of the 2021 format, each with a
 * paragraph, and the part's table (A, B, C) after it as `tableContent` writes it.
 */
function reportLines(year: number, tableContent: (table: TableDefinition) => string[]): string[] {
  return [
    titleOf(year),
    PREFACE,
    ...format2021.sections.flatMap((section) => [section.title, PARAGRAPHS[section.sectionId]!, ...(section.tableId ? tableContent(tableOf(format2021, section.tableId)) : [])]),
  ];
}

/** Table B that obeys B1–B4: per column, results sum to （七）总计, 一 + 二 = 总计 + 四; the 总计 column sums the applicants. */
function consistentB(numberAt: (index: number) => number): TableValues {
  const values = tableFrom(B, numberAt);
  const results = B.rows.slice(B.rows.findIndex((row) => row.id === 'results') + 1, B.rows.findIndex((row) => row.id === 'total')).filter((row) => !row.heading);
  const applicants = B.columns.filter((column) => column.id !== 'total').map((column) => column.id);
  for (const column of applicants) {
    const total = results.reduce((sum, row) => sum + values[row.id]![column]!, 0);
    const carried = values.carried![column]!;
    values.total![column] = total;
    values.forward![column] = values.forward![column]! + Math.max(0, carried - total);
    values.new![column] = total + values.forward![column]! - carried;
  }
  for (const row of Object.values(values)) row.total = applicants.reduce((sum, column) => sum + row[column]!, 0);
  return values;
}

/** Table C whose three groups each add up to their 总计 (C1). */
function consistentC(numberAt: (index: number) => number): TableValues {
  const values = tableFrom(C, numberAt);
  const cases = values.cases!;
  for (const { prefix } of TABLE_C_GROUPS) {
    cases[`${prefix}-total`] = ['upheld', 'corrected', 'other', 'pending'].reduce((sum, result) => sum + cases[`${prefix}-${result}`]!, 0);
  }
  return values;
}

/** Small, varied counts: 0, 1, 2 … in a pattern that gives each cell of a row a different value. */
const pattern = (index: number) => (index * 7) % 13;
const A_VALUES = tableFrom(A, (index) => [0, 0, 0, 12, 3, 140, 86, 1520, 45, 2][index]!);
A_VALUES.charges!.fees = 12.35;
const B_VALUES = consistentB(pattern);
const C_VALUES = consistentC((index) => index % 4);

const unreadOf = (report: ImportedReport, table: string) => report.unread.filter((cell) => cell.table === table);

// ---------------------------------------------------------------------------------------------

describe('a 2021-format report copied as running text', () => {
  const lines = reportLines(2023, (table) => tableLines(table, { A: A_VALUES, B: B_VALUES, C: C_VALUES }[table.id]!));
  const report = readImportedReport(textBlocks(lines));

  it('reads every cell of tables A, B and C exactly as printed, with nothing unread', () => {
    expect(report.unread).toEqual([]);
    expect(report.tables).toEqual({ A: A_VALUES, B: B_VALUES, C: C_VALUES });
  });

  it('recognises the 2021 format and takes the year from the title', () => {
    expect(report.format).toBe('gov-disclosure-2021');
    expect(report.title).toBe('某某区人民政府2023年政府信息公开工作年度报告');
    expect(report.year).toBe(2023);
  });

  it('splits the report into its six parts at the 一、二、… headings, the preface opening the first', () => {
    expect(report.sections.map((section) => section.title)).toEqual(format2021.sections.map((section) => section.title));
    expect(report.sections[0]!.text).toBe(`${PREFACE}\n${PARAGRAPHS.overview}`);
  });

  it('places table A in part 二, B in part 三 and C in part 四, and keeps their rows out of the parts\' text', () => {
    expect(report.sections.map((section) => section.tables)).toEqual([[], ['A'], ['B'], ['C'], [], []]);
    const rowLines = new Set(lines.filter((line) => /\d\t|\t\d/.test(line)));
    expect(rowLines.size).toBe(valueRows(A).length + valueRows(B).length + valueRows(C).length);
    for (const [index, section] of format2021.sections.entries()) {
      const text = report.sections[index]!.text.split('\n');
      expect(text.filter((line) => rowLines.has(line))).toEqual([]);
      expect(text).toContain(PARAGRAPHS[section.sectionId]);
    }
  });

  it('never takes a table row numbered like a part (一、本年新收…, 三、本年度办理结果, 四、结转下年度继续办理) for a part heading', () => {
    const rowsAsText = [...tableLines(B, B_VALUES, STYLES.tabs), ...tableLines(B, B_VALUES, STYLES['half-width-brackets']), ...tableLines(B, B_VALUES, STYLES['one-per-line'])];
    const read = readImportedReport(textBlocks([titleOf(2023), '三、收到和处理政府信息公开申请情况', ...rowsAsText]));
    expect(read.sections.map((section) => section.title)).toEqual(['三、收到和处理政府信息公开申请情况']);
  });

  it('nor a row written with spaces, a space inside its label ("一、本年新收 政府信息公开申请数量 1 2 3 …")', () => {
    const rows = tableLines(B, B_VALUES, STYLES.tabs).map((line) => line.replace('本年新收', '本年新收 ').replace('结转下年度', '结转下年度 ').replace(/\t/g, ' '));
    const read = readImportedReport(textBlocks([titleOf(2023), '三、收到和处理政府信息公开申请情况', ...rows]));
    expect(read.sections.map((section) => [section.title, section.tables])).toEqual([['三、收到和处理政府信息公开申请情况', ['B']]]);
    expect(read.tables.B).toEqual(B_VALUES);
  });

  it('gives the rules the report as read: a consistent report has no error in B1–B4, C1 or S1', () => {
    const errors = importFindings(report, {}).filter((finding) => finding.severity === 'error');
    expect(errors.filter((finding) => /^(B[1-4]|C1|S1)$/.test(finding.rule))).toEqual([]);
  });
});

describe('labels and numbers as real reports write them', () => {
  /** Table B with one row of each kind rewritten the way some report wrote it. */
  const VARIANT_LABELS: Record<string, string> = {
    partial: '(二)部分公开(区分处理的,只计这一情形,不计其他情形)',
    'other-no-correction': '1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请',
    'other-unpaid': '2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    'denied-secret': '1、属于国家秘密',
    'unavailable-needs-making': '2.没有现成信息 需要另行制作',
    new: '一、本年新收 政府信息公开申请数量',
    'denied-security': '3.危及"三安全一稳定"',
    granted: '(一)予以公开',
  };
  const values = consistentB((index) => (index % 5 === 0 ? 1234 + index : index % 9));

  it('reads half-width brackets, "，" for "、", "1、" for "1.", straight quotes and spaces inside labels to the same cells', () => {
    const rows = B.rows.map((row) => [VARIANT_LABELS[row.id] ?? row.label, ...columnsOfRow(B, row).map((column) => String(values[row.id]![column.id]))].join('\t'));
    const report = readImportedReport(textBlocks([titleOf(2023), ...rows]));
    expect(unreadOf(report, 'B')).toEqual([]);
    expect(report.tables.B).toEqual(values);
  });

  it('reads full-width digits "１２" and thousands separators "1,234" as the numbers they are', () => {
    for (const number of [(value: number) => toFullWidth(String(value)), withThousands, (value: number) => toFullWidth(withThousands(value)).replace(/,/g, '，')]) {
      const report = readImportedReport(textBlocks([titleOf(2023), ...tableLines(B, values, { ...STYLES.tabs, number })]));
      expect(unreadOf(report, 'B')).toEqual([]);
      expect(report.tables.B).toEqual(values);
    }
  });

  it('reads a first number that ran into its label when copied ("（一）予以公开9")', () => {
    const lines = tableLines(B, values).map((line) => line.replace('\t', ''));
    const report = readImportedReport(textBlocks([titleOf(2023), ...lines]));
    expect(unreadOf(report, 'B')).toEqual([]);
    expect(report.tables.B).toEqual(values);
  });

  it('reads the same labels and numbers in a drawn table', () => {
    const drawn = drawnTable(B, values, withThousands);
    if (drawn.kind !== 'table') throw new Error('a drawn table');
    const rows = drawn.rows.map((cells) => cells.map((cell) => Object.entries(VARIANT_LABELS).find(([id]) => B.rows.find((row) => row.id === id)!.label === cell)?.[1] ?? cell));
    const report = readImportedReport([{ kind: 'text', text: titleOf(2023) }, { kind: 'table', rows }]);
    expect(unreadOf(report, 'B')).toEqual([]);
    expect(report.tables.B).toEqual(values);
  });
});

describe('figures that cannot be read are never guessed', () => {
  const bRows = () => tableLines(B, B_VALUES);
  const rowLine = (lines: string[], rowId: string) => lines.findIndex((line) => line.startsWith(B.rows.find((row) => row.id === rowId)!.label + '\t'));

  it('leaves every cell of a row whose numbers ran together unread ("cell-count"), and reads the rest', () => {
    const lines = bRows();
    // 自然人 9, 商业企业 6, 科研机构 2, 社会公益组织 0 printed without spaces: "9620" and three more numbers.
    lines[rowLine(lines, 'granted')] = '（一）予以公开\t9620\t1\t0\t18';
    const report = readImportedReport(textBlocks([titleOf(2023), ...lines]));
    expect(report.tables.B!.granted).toEqual(Object.fromEntries(B.columns.map((column) => [column.id, null])));
    expect(unreadOf(report, 'B')).toEqual(B.columns.map((column) => ({ table: 'B', row: 'granted', column: column.id, reason: 'cell-count', found: '4' })));
    const others = Object.fromEntries(Object.entries(B_VALUES).filter(([row]) => row !== 'granted'));
    expect(report.tables.B).toMatchObject(others);
  });

  it('leaves a row with too many numbers unread too', () => {
    const lines = bRows();
    lines[rowLine(lines, 'forward')] += '\t5';
    const report = readImportedReport(textBlocks([titleOf(2023), ...lines]));
    expect(unreadOf(report, 'B').map((cell) => [cell.row, cell.reason, cell.found])).toEqual(B.columns.map(() => ['forward', 'cell-count', '8']));
    expect(Object.values(report.tables.B!.forward!)).toEqual(B.columns.map(() => null));
  });

  it('reports a row of the format that the table lacks as "row-not-found", every cell of it blank', () => {
    const lines = bRows();
    lines.splice(rowLine(lines, 'declined-repeat'), 1);
    const report = readImportedReport(textBlocks([titleOf(2023), ...lines]));
    expect(unreadOf(report, 'B')).toEqual(B.columns.map((column) => ({ table: 'B', row: 'declined-repeat', column: column.id, reason: 'row-not-found' })));
    expect(report.tables.B!['declined-repeat']).toEqual(Object.fromEntries(B.columns.map((column) => [column.id, null])));
    expect(report.tables.B!['declined-publication']).toEqual(B_VALUES['declined-publication']);
  });

  it('keeps a dash or a slash in a drawn cell as unread ("not-a-number", with its text), and a blank cell as blank', () => {
    const drawn = drawnTable(B, B_VALUES);
    if (drawn.kind !== 'table') throw new Error('a drawn table');
    const row = drawn.rows.find((cells) => cells.includes('1.属于国家秘密'))!;
    const width = row.length;
    row[width - 7] = '—'; // 自然人
    row[width - 6] = '/'; // 商业企业
    row[width - 5] = ''; // 科研机构
    const report = readImportedReport([{ kind: 'text', text: titleOf(2023) }, drawn]);
    expect(unreadOf(report, 'B')).toEqual([
      { table: 'B', row: 'denied-secret', column: 'natural', reason: 'not-a-number', found: '—' },
      { table: 'B', row: 'denied-secret', column: 'business', reason: 'not-a-number', found: '/' },
    ]);
    expect(report.tables.B!['denied-secret']).toEqual({ ...B_VALUES['denied-secret'], natural: null, business: null, research: null });
  });
});

describe('the same table in every layout a file gives it', () => {
  it('reads one cell per line (each label and each number on its own line) as it reads one row per line', () => {
    const byRow = readImportedReport(textBlocks(reportLines(2023, (table) => tableLines(table, { A: A_VALUES, B: B_VALUES, C: C_VALUES }[table.id]!, STYLES.tabs))));
    const byCell = readImportedReport(textBlocks(reportLines(2023, (table) => tableLines(table, { A: A_VALUES, B: B_VALUES, C: C_VALUES }[table.id]!, STYLES['one-per-line']))));
    expect(byCell.unread).toEqual([]);
    expect(byCell.tables).toEqual(byRow.tables);
    expect(byCell.tables).toEqual({ A: A_VALUES, B: B_VALUES, C: C_VALUES });
    expect(byCell.sections.map(({ title, tables }) => ({ title, tables }))).toEqual(byRow.sections.map(({ title, tables }) => ({ title, tables })));
  });

  it('reads drawn tables (row labels repeated where they span rows, table C an unlabeled row of 15 numbers) to the same values', () => {
    const blocks: SourceBlock[] = [
      { kind: 'text', text: titleOf(2023) },
      ...format2021.sections.flatMap((section): SourceBlock[] => [
        { kind: 'text', text: section.title },
        { kind: 'text', text: PARAGRAPHS[section.sectionId]! },
        ...(section.tableId ? [drawnTable(tableOf(format2021, section.tableId), { A: A_VALUES, B: B_VALUES, C: C_VALUES }[section.tableId]!)] : []),
      ]),
    ];
    const drawnB = blocks.find((block) => block.kind === 'table' && block.rows.some((cells) => cells[0] === '三、本年度办理结果'));
    expect(drawnB).toMatchObject({ rows: expect.arrayContaining([['三、本年度办理结果', '（三）不予公开', '1.属于国家秘密', ...Object.values(B_VALUES['denied-secret']!).map(String)]]) });
    const report = readImportedReport(blocks);
    expect(report.unread).toEqual([]);
    expect(report.format).toBe('gov-disclosure-2021');
    expect(report.tables).toEqual({ A: A_VALUES, B: B_VALUES, C: C_VALUES });
    expect(report.sections.map((section) => section.tables)).toEqual([[], ['A'], ['B'], ['C'], [], []]);
  });
});

describe('which national layout a report was drawn in', () => {
  it('recognises table A of the 2019 trial layout, and the rules flag it in a 2022 report (S1) without refusing what was read', () => {
    const A2019 = tableOf(format2019, 'A');
    const a2019 = tableFrom(A2019, (index) => [0, 0, 0, 4, 4, 37, 120, 3, 4500, 6, 0, 80, 30, 2, 410, 10, 0, 21, 15, 0, 12, 0][index]!);
    a2019.licensing!['items-change'] = -3;
    a2019.procurement!['procurement-amount'] = 345.6;
    const b2019 = tableFrom(tableOf(format2019, 'B'), pattern);
    const blocks: SourceBlock[] = [
      { kind: 'text', text: titleOf(2022) },
      ...format2019.sections.flatMap((section): SourceBlock[] => [
        { kind: 'text', text: section.title },
        ...(section.tableId ? [drawnTable(tableOf(format2019, section.tableId), { A: a2019, B: b2019, C: C_VALUES }[section.tableId]!)] : []),
      ]),
    ];
    const report = readImportedReport(blocks);
    expect(report.year).toBe(2022);
    expect(report.format).toBe('gov-disclosure-2019');
    expect(report.unread).toEqual([]);
    expect(report.tables).toEqual({ A: a2019, B: b2019, C: C_VALUES });
    const findings = importFindings(report, {});
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'S1', severity: 'error', messageEn: 'A 2022 report must use the 2021 format, not gov-disclosure-2019.' }));
  });

  it('recognises the pre-2019 附表 (依申请公开情况统计表: 申请总数, 当面申请, …) even when the title names no year', () => {
    const legacyB = tableOf(formatLegacy, 'B');
    const drawn: string[][] = [
      ['依申请公开情况统计表'],
      ['指标', '数量'],
      ['申请总数', '28'],
      ['申请方式', '当面申请', '1'],
      ['申请方式', '传真、电话申请', '0'],
      ['申请方式', '网络申请', '11'],
      ['申请方式', '信函申请', '16'],
      ['对申请答复总数', '28'],
      ['答复情况', '属于已主动公开范围', '2'],
      ['答复情况', '同意公开', '20'],
      ['答复情况', '同意部分公开', '3'],
      ['答复情况', '不同意公开', '1'],
      ['答复情况', '其他', '2'],
      ['答复时限', '按时答复', '26'],
      ['答复时限', '延期答复', '2'],
    ];
    const report = readImportedReport([{ kind: 'text', text: '某某区人民政府政府信息公开工作年度报告' }, { kind: 'text', text: '附表' }, { kind: 'table', rows: drawn }]);
    expect(report.format).toBe('gov-disclosure-legacy');
    expect(report.year).toBeNull();
    const counts = Object.fromEntries(Object.entries(report.tables.B!).map(([row, cells]) => [row, cells.count]));
    expect(counts).toEqual({
      received: 28,
      'in-person': 1,
      'fax-phone': 0,
      online: 11,
      letter: 16,
      email: null,
      'other-channel': null,
      answered: 28,
      'already-public': 2,
      granted: 20,
      partial: 3,
      refused: 1,
      'other-answer': 2,
      'on-time': 26,
      extended: 2,
    });
    expect(Object.keys(counts)).toEqual(valueRows(legacyB).map((row) => row.id));
    expect(unreadOf(report, 'B')).toEqual(['email', 'other-channel'].map((row) => ({ table: 'B', row, column: 'count', reason: 'row-not-found' })));
  });
});

describe('a report without tables (a 2017 district report, as its portal page reads)', () => {
  const source = readFileSync(new URL('../../../shared/domain/examples/001_a91b2c1c702964e4.txt', import.meta.url), 'utf8');
  const lines = source.split(/\r\n|\r|\n/).slice(0, 80);
  const report = readImportedReport(textBlocks(lines));

  it('reports each table of the chosen format as not found, and guesses nothing', () => {
    expect(report.format).toBe('gov-disclosure-legacy');
    expect(report.tables).toEqual({});
    expect(report.unread).toEqual(formatLegacy.tables.map((table) => ({ table: table.id, row: null, column: null, reason: 'table-not-found' })));
  });

  it('finds the title and its year below the page furniture (索引号, 发布机构, 文号)', () => {
    expect(lines.indexOf(report.title)).toBe(3);
    expect(report.title).toBe('高港区人民政府2017年政府信息公开年度报告');
    expect(report.year).toBe(2017);
  });

  it('splits the parts at their headings, the preface opening the first part', () => {
    expect(report.sections.map((section) => section.title)).toEqual(['一、概述', '二、具体情况分析', '三、存在问题及改进措施']);
    const first = report.sections[0]!.text;
    const preface = lines.find((line) => line.startsWith('本年度报告是根据'))!;
    const overview = lines.find((line) => line.startsWith('2017年,我区认真贯彻落实'))!;
    expect(first).toContain(preface);
    expect(first.indexOf(preface)).toBeLessThan(first.indexOf(overview));
    expect(report.sections[1]!.text).toContain('2017年,全区共收到政府信息公开申请28件');
  });
});

describe('whatever way the figures are written, they are read back exactly', () => {
  const cellCount = { B: cellsOfTable(B).length, C: cellsOfTable(C).length };
  const styleNames = Object.keys(STYLES) as StyleName[];

  it('random counts for every cell of tables B and C, in a random style, read back equal with nothing unread', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 99_999 }), { minLength: cellCount.B, maxLength: cellCount.B }),
        fc.array(fc.nat({ max: 99_999 }), { minLength: cellCount.C, maxLength: cellCount.C }),
        fc.constantFrom(...styleNames),
        (bNumbers, cNumbers, styleName) => {
          const written = { B: tableFrom(B, (index) => bNumbers[index]!), C: tableFrom(C, (index) => cNumbers[index]!) };
          const style = STYLES[styleName];
          const lines = reportLines(2023, (table) => (table.id === 'A' ? [] : tableLines(table, written[table.id as 'B' | 'C'], style)));
          const report = readImportedReport(textBlocks(lines));
          expect(report.format).toBe('gov-disclosure-2021');
          expect(report.unread.filter((cell) => cell.table !== 'A')).toEqual([]);
          expect(report.tables.B).toEqual(written.B);
          expect(report.tables.C).toEqual(written.C);
        },
      ),
      { numRuns: 100, seed: 20230101 },
    );
  });
});

describe('the rules on an imported report', () => {
  const read = (b: TableValues) => readImportedReport(textBlocks(reportLines(2023, (table) => tableLines(table, { A: A_VALUES, B: b, C: C_VALUES }[table.id]!))));
  const tableRuleErrors = (report: ImportedReport) =>
    importFindings(report, {}).filter((finding) => finding.severity === 'error' && ['B1', 'B2', 'B3', 'B4', 'C1'].includes(finding.rule));

  it('find no error in B1–B4 or C1 when the tables read are consistent', () => {
    for (const seed of [1, 2, 3]) {
      const b = consistentB((index) => (index * (seed + 5)) % (11 + seed));
      const report = read(b);
      expect(report.tables.B).toEqual(b);
      expect(tableRuleErrors(report)).toEqual([]);
    }
  });

  it('find B2 when the results no longer add up to （七）总计 (a result printed one too high)', () => {
    const b = structuredClone(B_VALUES);
    b.granted!.natural = b.granted!.natural! + 1;
    b.granted!.total = b.granted!.total! + 1;
    const findings = tableRuleErrors(read(b));
    const total = B_VALUES.total!;
    expect(findings.map((finding) => [finding.rule, finding.expected, finding.actual])).toEqual([
      ['B2', total.natural! + 1, total.natural],
      ['B2', total.total! + 1, total.total],
    ]);
    expect(findings.flatMap((finding) => finding.cells.map((cell) => `${cell.row}:${cell.column}`))).toEqual(expect.arrayContaining(['granted:natural', 'granted:total']));
  });

  it('find B1 when the carried-forward row does not balance', () => {
    const b = structuredClone(B_VALUES);
    b.forward!.natural = b.forward!.natural! + 2;
    b.forward!.total = b.forward!.total! + 2;
    const findings = tableRuleErrors(read(b));
    expect(findings.map((finding) => `${finding.rule}:${finding.cells.find((cell) => cell.row === 'forward')?.column}`).sort()).toEqual(['B1:natural', 'B1:total']);
  });
});
