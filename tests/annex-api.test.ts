import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_TABLE_NODE } from '../blocks/annex/annex-table-node.js';
import { ANNEX_FIELD, BODY_FIELD, CloseCode } from '../blocks/contract.js';
import { findSectionElement } from '../blocks/report-json.js';
import { waitForClose, waitForDoc } from './support/clients.js';
import { useReportServer } from './support/report-server.js';
import { countStoredUpdates, storedRows } from './support/stored.js';

// The annex API against the real server (its own process, its own SQLite file): the formats and
// the validator anyone may call, a report's numbers and findings, last year's figures, the units
// of a roll-up and new reports — with stock y-websocket clients where the numbers are typed.
// The demo district has a 2024 and a 2025 report whose tables A, B and C pass every rule.

const suite = useReportServer();
const { cookieOf, syncedClient } = suite;

interface Answer {
  status: number;
  json: any;
}

interface CallOptions {
  /** Logged in as this demo user; without it, no cookie at all. */
  as?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
}

async function call(method: 'GET' | 'POST' | 'PUT', path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.as) headers.cookie = await cookieOf(options.as);
  let payload: string | undefined;
  if (options.raw !== undefined) {
    payload = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await fetch(`${suite.server.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: response.status, json };
}

function expectError(answer: Answer, status: number, code: string, message?: string): void {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(answer.json).toMatchObject({ error: { code, message: expect.any(String) } });
  if (message !== undefined) expect(answer.json.error.message).toContain(message);
}

type TableValues = Record<string, Record<string, number | null>>;
type Tables = Record<string, TableValues>;

interface AnnexAnswer {
  format: string;
  year: number;
  tables: Tables;
  previous: Tables | null;
  previousSource: { reportId: string; title: string } | 'entered' | null;
  units: Array<{ id: string; name: string; kind: string; sectionId: string }>;
  level: string;
}

interface FormatRow {
  id: string;
  label: string;
  depth: number;
  heading: boolean;
  caption?: string;
  columns: string[];
}

interface FormatTable {
  id: string;
  title: string;
  perUnit: boolean;
  rows: FormatRow[];
  columns: Array<{ id: string; label: string; kind: string; group?: string; subgroup?: string }>;
}

interface FormatAnswer {
  format: string;
  title: string;
  sections: Array<{ sectionId: string; title: string; tableId?: string }>;
  tables: FormatTable[];
}

interface Finding {
  rule: string;
  severity: string;
  cells: Array<{ table: string; row: string; column: string }>;
  expected: number | null;
  actual: number | null;
  message: string;
  suggestion?: { cell: { table: string; row: string; column: string }; value: number };
}

const FORMATS = ['gov-disclosure-2021', 'gov-disclosure-2019', 'gov-disclosure-legacy'] as const;
const B_COLUMNS = ['natural', 'business', 'research', 'nonprofit', 'legal', 'other', 'total'];
const TITLE_2024 = '示范区人民政府2024年政府信息公开工作年度报告';

const storedUpdates = (reportId = suite.reportId) => countStoredUpdates(suite.server, reportId);
const clone = <T>(value: T): T => structuredClone(value);
const cell = (table: string, row: string, column: string) => ({ table, row, column });

async function formatOf(format: string): Promise<FormatAnswer> {
  const answer = await call('GET', `/api/formats/${format}`);
  expect(answer.status).toBe(200);
  return answer.json as FormatAnswer;
}

function tableOf(format: FormatAnswer, tableId: string): FormatTable {
  const table = format.tables.find((candidate) => candidate.id === tableId);
  if (!table) throw new Error(`format ${format.format} has no table ${tableId}`);
  return table;
}

async function annexOf(reportId: string, username = 'lead'): Promise<AnnexAnswer> {
  const answer = await call('GET', `/api/reports/${reportId}/annex`, { as: username });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json as AnnexAnswer;
}

async function findingsOf(reportId: string): Promise<Finding[]> {
  const answer = await call('GET', `/api/reports/${reportId}/findings`, { as: 'lead' });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return (answer.json as { findings: Finding[] }).findings;
}

async function validate(body: unknown): Promise<Finding[]> {
  const answer = await call('POST', '/api/validate', { body });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return (answer.json as { findings: Finding[] }).findings;
}

function annexTable(doc: Y.Doc, tableId: string): Y.Map<number | null> {
  const table = doc.getMap<unknown>(ANNEX_FIELD).get(tableId);
  if (!(table instanceof Y.Map)) throw new Error(`no annex table ${tableId}`);
  return table as Y.Map<number | null>;
}

/** The tableIds of the annexTable nodes directly inside a section, in order. */
function placedTables(doc: Y.Doc, sectionId: string): string[] {
  const section = findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId);
  if (!section) throw new Error(`no section ${sectionId}`);
  return section
    .toArray()
    .filter((child): child is Y.XmlElement => child instanceof Y.XmlElement && child.nodeName === ANNEX_TABLE_NODE)
    .map((child) => String(child.getAttribute('tableId')));
}

/** Every cell of a table as the format defines it, each holding `value`. */
function filledTable(table: FormatTable, value: number | null): TableValues {
  const values: TableValues = {};
  for (const row of table.rows) {
    if (row.columns.length === 0) continue;
    values[row.id] = Object.fromEntries(row.columns.map((column) => [column, value]));
  }
  return values;
}

let lastYearId = '';

beforeAll(async () => {
  const reports = (await call('GET', '/api/reports', { as: 'lead' })).json as Array<{ id: string; year: number }>;
  lastYearId = reports.find((report) => report.year === 2024)!.id;
  expect(reports.find((report) => report.year === 2025)!.id).toBe(suite.reportId);
});

describe('the national formats, published to anyone without a login', () => {
  it('GET /api/formats lists the three formats with their titles and years', async () => {
    const answer = await call('GET', '/api/formats');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual([
      { format: 'gov-disclosure-2021', title: '政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）', years: { from: 2021, to: null } },
      { format: 'gov-disclosure-2019', title: '政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）', years: { from: 2019, to: 2020 } },
      { format: 'gov-disclosure-legacy', title: '政府信息公开工作年度报告附表（2019年以前）', years: { from: null, to: 2018 } },
    ]);
  });

  it.each(FORMATS)('%s publishes tables A, B and C, every row and column with an id and a Chinese label', async (formatId) => {
    const format = await formatOf(formatId);
    expect(format.format).toBe(formatId);
    expect(format.tables.map((table) => table.id)).toEqual(['A', 'B', 'C']);
    for (const table of format.tables) {
      expect(table.title).toMatch(/[\u4e00-\u9fff]/);
      const columnIds = table.columns.map((column) => column.id);
      for (const item of [...table.rows, ...table.columns]) {
        expect(item.id).toMatch(/^[a-z0-9-]+$/);
        expect(item.label).toMatch(/[\u4e00-\u9fff]/);
      }
      // A row's cells are columns of its table; a heading row has none.
      for (const row of table.rows) {
        for (const column of row.columns) expect(columnIds).toContain(column);
        if (row.heading) expect(row.columns).toEqual([]);
      }
    }
  });

  it('table B of the 2021 format has the seven applicant columns and 175 cells under the national labels', async () => {
    const table = tableOf(await formatOf('gov-disclosure-2021'), 'B');
    expect(table.title).toBe('收到和处理政府信息公开申请情况');
    expect(table.perUnit).toBe(true);
    expect(table.columns.map((column) => [column.id, column.label, column.group ?? null])).toEqual([
      ['natural', '自然人', null],
      ['business', '商业企业', '法人或其他组织'],
      ['research', '科研机构', '法人或其他组织'],
      ['nonprofit', '社会公益组织', '法人或其他组织'],
      ['legal', '法律服务机构', '法人或其他组织'],
      ['other', '其他', '法人或其他组织'],
      ['total', '总计', null],
    ]);
    expect(table.rows.filter((row) => row.heading).map((row) => [row.id, row.label])).toEqual([
      ['results', '三、本年度办理结果'],
      ['denied', '（三）不予公开'],
      ['unavailable', '（四）无法提供'],
      ['declined', '（五）不予处理'],
      ['other-handling', '（六）其他处理'],
    ]);
    const dataRows = table.rows.filter((row) => !row.heading);
    expect(dataRows).toHaveLength(25);
    for (const row of dataRows) expect(row.columns).toEqual(B_COLUMNS);
    expect(dataRows.reduce((cells, row) => cells + row.columns.length, 0)).toBe(175);
    const label = (rowId: string) => table.rows.find((row) => row.id === rowId)?.label;
    expect(label('new')).toBe('一、本年新收政府信息公开申请数量');
    expect(label('carried')).toBe('二、上年结转政府信息公开申请数量');
    expect(label('granted')).toBe('（一）予以公开');
    expect(label('other-unpaid')).toBe('2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请');
    expect(label('total')).toBe('（七）总计');
    expect(label('forward')).toBe('四、结转下年度继续办理');
  });

  it('table B of the 2019 trial format keeps （六）其他处理 as one row of cells: 161 cells', async () => {
    const table = tableOf(await formatOf('gov-disclosure-2019'), 'B');
    expect(table.rows.find((row) => row.id === 'other-handling')).toMatchObject({ label: '（六）其他处理', heading: false, columns: B_COLUMNS });
    expect(table.rows.some((row) => row.id === 'other-unpaid')).toBe(false);
    expect(table.rows.reduce((cells, row) => cells + row.columns.length, 0)).toBe(161);
  });

  it('table A of the 2019 trial format has the （九）项 政府集中采购 row with its item count and amount', async () => {
    const table = tableOf(await formatOf('gov-disclosure-2019'), 'A');
    expect(table.rows.find((row) => row.id === 'procurement')).toEqual({
      id: 'procurement',
      label: '政府集中采购',
      depth: 0,
      heading: false,
      caption: '第二十条第（九）项',
      columns: ['procurement-items', 'procurement-amount'],
    });
    expect(table.columns.filter((column) => column.id.startsWith('procurement'))).toEqual([
      { id: 'procurement-items', label: '采购项目数量', kind: 'count' },
      { id: 'procurement-amount', label: '采购总金额', kind: 'amount' },
    ]);
    // The 2021 format dropped it.
    expect(tableOf(await formatOf('gov-disclosure-2021'), 'A').rows.map((row) => row.id)).not.toContain('procurement');
  });

  it('table C has three groups of five columns, 行政复议 and 行政诉讼 split into 未经复议直接起诉 and 复议后起诉', async () => {
    const table = tableOf(await formatOf('gov-disclosure-2021'), 'C');
    expect(table.rows.map((row) => [row.id, row.label, row.columns.length])).toEqual([['cases', '案件数量', 15]]);
    expect(table.columns.slice(0, 5).map((column) => [column.id, column.label, column.group])).toEqual([
      ['review-upheld', '结果维持', '行政复议'],
      ['review-corrected', '结果纠正', '行政复议'],
      ['review-other', '其他结果', '行政复议'],
      ['review-pending', '尚未审结', '行政复议'],
      ['review-total', '总计', '行政复议'],
    ]);
    expect(table.columns.find((column) => column.id === 'direct-total')).toMatchObject({ group: '行政诉讼', subgroup: '未经复议直接起诉' });
    expect(table.columns.find((column) => column.id === 'after-review-total')).toMatchObject({ group: '行政诉讼', subgroup: '复议后起诉' });
  });

  it('the pre-2019 附表 counts with one 数量 column and has its own seven parts', async () => {
    const format = await formatOf('gov-disclosure-legacy');
    expect(tableOf(format, 'A').columns).toEqual([{ id: 'count', label: '数量', kind: 'count' }]);
    expect(tableOf(format, 'A').rows[0]).toMatchObject({ id: 'total', label: '主动公开信息数', columns: ['count'] });
    expect(tableOf(format, 'B').rows.find((row) => row.id === 'received')).toMatchObject({ label: '申请总数' });
    expect(format.sections.map((section) => section.sectionId)).toEqual(['overview', 'proactive', 'requests', 'fees', 'reviews', 'problems', 'other']);
  });

  it('an unknown format is answered 404 with a message naming it and the known formats', async () => {
    const answer = await call('GET', '/api/formats/gov-disclosure-2030');
    expectError(answer, 404, 'format-not-found', 'gov-disclosure-2030');
    expect(answer.json.error.message).toContain('gov-disclosure-2021');
  });
});

describe('POST /api/validate checks annex data anyone sends', () => {
  let current: Tables;
  let lastYear: Tables;
  let tableB: FormatTable;

  beforeAll(async () => {
    current = (await annexOf(suite.reportId)).tables;
    lastYear = (await annexOf(lastYearId)).tables;
    tableB = tableOf(await formatOf('gov-disclosure-2021'), 'B');
  });

  it('the demo report’s consistent tables, with and without last year’s, have no findings — no login needed', async () => {
    expect(await validate({ format: 'gov-disclosure-2021', tables: current })).toEqual([]);
    expect(await validate({ format: 'gov-disclosure-2021', tables: current, previous: { format: 'gov-disclosure-2021', year: 2024, tables: lastYear } })).toEqual([]);
  });

  it('a table B whose （七）总计 does not add up gets B2 down its column and B3 across its row, with cells, expected, actual and a Chinese message', async () => {
    const tables = clone(current);
    const B = tables.B!;
    const resultTotal = B.total!.natural!;
    expect(resultTotal).toBe(97);
    B.total!.natural = 98;

    const findings = await validate({ format: 'gov-disclosure-2021', tables });
    expect(findings.map((finding) => finding.rule).sort()).toEqual(['B1', 'B2', 'B3']);
    expect(findings.every((finding) => finding.severity === 'error')).toBe(true);

    const start = tableB.rows.findIndex((row) => row.id === 'results');
    const end = tableB.rows.findIndex((row) => row.id === 'total');
    const resultRows = tableB.rows.slice(start + 1, end).filter((row) => !row.heading);
    expect(resultRows).toHaveLength(21);
    const b2 = findings.find((finding) => finding.rule === 'B2')!;
    expect(b2).toMatchObject({ severity: 'error', expected: 97, actual: 98 });
    expect(b2.cells).toEqual([...resultRows.map((row) => cell('B', row.id, 'natural')), cell('B', 'total', 'natural')]);
    expect(b2.message).toContain('附表B「自然人」列');
    expect(b2.message).toContain('合计应为 97，现填 98');

    const rowTotal = B.total!.total!;
    const b3 = findings.find((finding) => finding.rule === 'B3')!;
    expect(b3).toMatchObject({ severity: 'error', expected: rowTotal + 1, actual: rowTotal });
    // The row's 总计 still agrees with the 总计 column: the applicant cells are what to check, and
    // nothing is offered for the total (it would break B1 there).
    expect(b3.cells).toEqual(B_COLUMNS.filter((column) => column !== 'total').map((column) => cell('B', 'total', column)));
    expect(b3.suggestion).toBeUndefined();
    expect(b3.message).toContain('附表B「（七）总计」行');
    expect(b3.message).toContain(`各项之和为 ${rowTotal + 1}，总计填 ${rowTotal}`);

    // 一 + 二 = （七） + 四 no longer holds in the 自然人 column either.
    const b1 = findings.find((finding) => finding.rule === 'B1')!;
    expect(b1).toMatchObject({ expected: 101, actual: 102 });
    expect(b1.cells).toEqual([cell('B', 'new', 'natural'), cell('B', 'carried', 'natural'), cell('B', 'total', 'natural'), cell('B', 'forward', 'natural')]);
  });

  it('a blank cell is reported as not filled (B4), never read as zero', async () => {
    const tables = clone(current);
    tables.B!.granted!.research = null;
    const findings = await validate({ format: 'gov-disclosure-2021', tables });
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'B4', severity: 'error', cells: [cell('B', 'granted', 'research')], expected: null, actual: null, message: expect.stringContaining('1 个单元格未填写') }),
    ]);
  });

  it('with last year’s data in "previous", 二、上年结转 that differs from last year’s 四、结转下年度 is Y1, column by column', async () => {
    const previous = clone(lastYear);
    expect(previous.B!.forward).toMatchObject({ natural: 5, total: 6 });
    expect(current.B!.carried).toMatchObject({ natural: 5, total: 6 });
    previous.B!.forward!.natural = 7;
    previous.B!.forward!.total = 8;

    const findings = await validate({ format: 'gov-disclosure-2021', tables: current, previous: { format: 'gov-disclosure-2021', year: 2024, tables: previous } });
    expect(findings.map(({ rule, severity, cells, expected, actual }) => ({ rule, severity, cells, expected, actual }))).toEqual([
      { rule: 'Y1', severity: 'error', cells: [cell('B', 'carried', 'natural')], expected: 7, actual: 5 },
      { rule: 'Y1', severity: 'error', cells: [cell('B', 'carried', 'total')], expected: 8, actual: 6 },
    ]);
    expect(findings[0]!.message).toBe('附表B「自然人」列：二、上年结转应等于上一年度报告的四、结转下年度 7，现填 5。');
  });

  it('with a "year", the rules that depend on it apply: the 2019 trial layout for a 2022 report is S1, for 2020 it is right', async () => {
    const findings = await validate({ format: 'gov-disclosure-2019', tables: {}, year: 2022 });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['S1', 'error']]);
    expect(findings[0]!.message).toContain('2022年度报告应使用');
    expect(await validate({ format: 'gov-disclosure-2019', tables: {}, year: 2020 })).toEqual([]);
    // Without a year, nothing is assumed.
    expect(await validate({ format: 'gov-disclosure-2019', tables: {} })).toEqual([]);
  });

  const tablesWith = (tables: unknown) => ({ format: 'gov-disclosure-2021', tables });
  const withPrevious = (previous: unknown) => ({ format: 'gov-disclosure-2021', tables: {}, previous });

  it.each([
    ['a body that is not JSON', { raw: '{"format": "gov-disclosure-2021", "tables": ' }, 'not valid JSON', 'invalid-request'],
    ['an empty body', { raw: '' }, 'not valid JSON', 'invalid-request'],
    ['JSON sent as XML', { raw: '{"format":"gov-disclosure-2021","tables":{}}', contentType: 'application/xml' }, 'Content-Type', 'invalid-request'],
    ['a JSON list instead of an object', { raw: '[]' }, 'JSON object', 'invalid-request'],
    ['no format', { body: { tables: {} } }, '"format" is required', 'invalid-request'],
    ['a format that is not a string', { body: { format: 2021, tables: {} } }, '"format" is required', 'invalid-request'],
    ['an unknown format', { body: { format: 'gov-disclosure-2030', tables: {} } }, 'gov-disclosure-2030', 'format-unknown'],
    ['no tables', { body: { format: 'gov-disclosure-2021' } }, 'tables must be an object of tables', 'invalid-request'],
    ['tables as a list', { body: tablesWith([]) }, 'tables must be an object of tables', 'invalid-request'],
    ['tables as a string', { body: tablesWith('A,B,C') }, 'tables must be an object of tables', 'invalid-request'],
    ['an unknown table', { body: tablesWith({ D: {} }) }, 'has no table "D"', 'invalid-request'],
    ['a unit’s copy of table A, which has none', { body: tablesWith({ 'A@finance': {} }) }, 'has no table "A@finance"', 'invalid-request'],
    ['a unit’s copy that names no unit', { body: tablesWith({ 'B@': {} }) }, 'tables.B@', 'invalid-request'],
    ['a table that is not an object of rows', { body: tablesWith({ B: [] }) }, 'tables.B must be an object of rows', 'invalid-request'],
    ['an unknown row', { body: tablesWith({ B: { opened: { natural: 1 } } }) }, 'has no row "opened"', 'invalid-request'],
    ['a heading row, which has no cells', { body: tablesWith({ B: { results: { natural: 1 } } }) }, 'has no row "results" with cells', 'invalid-request'],
    ['an unknown column', { body: tablesWith({ B: { new: { robots: 1 } } }) }, 'row "new" has no column "robots"', 'invalid-request'],
    ['a column of table A that the row does not have', { body: tablesWith({ A: { licensing: { issued: 1 } } }) }, 'row "licensing" has no column "issued"', 'invalid-request'],
    ['a number written as the string "12"', { body: tablesWith({ B: { new: { natural: '12' } } }) }, 'tables.B.new.natural must be a number or null, got "12"', 'invalid-request'],
    ['a cell holding a list', { body: tablesWith({ C: { cases: { 'review-total': [1] } } }) }, 'tables.C.cases.review-total must be a number or null', 'invalid-request'],
    ['previous as a string', { body: withPrevious('2024') }, '"previous" must be', 'invalid-request'],
    ['previous as a list', { body: withPrevious([]) }, '"previous" must be', 'invalid-request'],
    ['previous with a format that is not a string', { body: withPrevious({ format: 2024, tables: {} }) }, 'previous.format must be', 'invalid-request'],
    ['previous in an unknown format', { body: withPrevious({ format: 'gov-disclosure-2030', tables: {} }) }, 'previous.format "gov-disclosure-2030" is not a known format', 'invalid-request'],
    ['previous without tables', { body: withPrevious({ format: 'gov-disclosure-2021', year: 2024 }) }, 'previous.tables must be an object of tables', 'invalid-request'],
    ['previous with a string cell', { body: withPrevious({ format: 'gov-disclosure-2021', tables: { B: { forward: { natural: '5' } } } }) }, 'previous.tables.B.forward.natural must be a number or null', 'invalid-request'],
    ['previous with an unknown row', { body: withPrevious({ format: 'gov-disclosure-2021', tables: { B: { backlog: {} } } }) }, 'previous.tables.B.backlog', 'invalid-request'],
    ['a year given as text', { body: { format: 'gov-disclosure-2021', tables: {}, year: '2025' } }, '"year" must be the year reported on', 'invalid-request'],
    ['a year before the regulation', { body: { format: 'gov-disclosure-2021', tables: {}, year: 1999 } }, '"year" must be the year reported on', 'invalid-request'],
  ] as const)('%s is answered 400 with a message saying what is wrong', async (_what, request, message, code) => {
    const answer = await call('POST', '/api/validate', request);
    expectError(answer, 400, code, message);
  });
});

describe('a report’s annex and its findings', () => {
  it('the lead office reads the 2025 report’s tables A, B and C with every cell, last year’s tables from the 2024 report and no units', async () => {
    const annex = await annexOf(suite.reportId);
    expect(annex.format).toBe('gov-disclosure-2021');
    expect(annex.year).toBe(2025);
    expect(Object.keys(annex.tables)).toEqual(['A', 'B', 'C']);
    const format = await formatOf('gov-disclosure-2021');
    for (const table of format.tables) {
      const rows = table.rows.filter((row) => row.columns.length > 0);
      expect(Object.keys(annex.tables[table.id]!)).toEqual(rows.map((row) => row.id));
      for (const row of rows) {
        const values = annex.tables[table.id]![row.id]!;
        expect(Object.keys(values)).toEqual(row.columns);
        for (const value of Object.values(values)) expect(typeof value).toBe('number');
      }
    }
    expect(annex.tables.B!.new).toEqual({ natural: 96, business: 18, research: 2, nonprofit: 1, legal: 4, other: 3, total: 124 });
    expect(annex.tables.A!.charges).toEqual({ fees: 126.5 });
    expect(annex.tables.C!.cases!['review-total']).toBe(5);

    expect(annex.previousSource).toEqual({ reportId: lastYearId, title: TITLE_2024 });
    expect(annex.previous).toEqual((await annexOf(lastYearId)).tables);
    expect(annex.units).toEqual([]);
  });

  it('a department reads the same numbers; without a login, or for a report that does not exist, there are none', async () => {
    expect((await annexOf(suite.reportId, 'food')).tables).toEqual((await annexOf(suite.reportId)).tables);
    expectError(await call('GET', `/api/reports/${suite.reportId}/annex`), 401, 'login-required');
    expectError(await call('GET', '/api/reports/no-such-report/annex', { as: 'lead' }), 404, 'report-not-found');
    expectError(await call('GET', `/api/reports/${suite.reportId}/findings`), 401, 'login-required');
  });

  it('the untouched demo report has no findings', async () => {
    const answer = await call('GET', `/api/reports/${suite.reportId}/findings`, { as: 'lead' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ format: 'gov-disclosure-2021', findings: [] });
  });

  it('a wrong number typed live into table B shows B1 and B3 naming the cell, and typing it back clears them', async () => {
    const lead = await syncedClient('lead');
    const observed = () => annexTable(suite.observer.doc, 'B').get('new:natural');
    expect(observed()).toBe(96);
    const storedBefore = await storedUpdates();
    try {
      annexTable(lead.doc, 'B').set('new:natural', 97);
      await waitForDoc(suite.observer.doc, () => observed() === 97, 'the wrong number to reach the lead office');
      expect(await storedUpdates()).toBe(storedBefore + 1);

      const findings = await findingsOf(suite.reportId);
      expect(findings.map(({ rule, severity, expected, actual }) => ({ rule, severity, expected, actual }))).toEqual([
        { rule: 'B1', severity: 'error', expected: 102, actual: 101 },
        { rule: 'B3', severity: 'error', expected: 125, actual: 124 },
      ]);
      for (const finding of findings) expect(finding.cells).toContainEqual(cell('B', 'new', 'natural'));
      expect(findings[0]!.message).toContain('附表B「自然人」列');
      expect(findings[1]!.message).toContain('附表B「一、本年新收政府信息公开申请数量」行');
      expect((await annexOf(suite.reportId)).tables.B!.new!.natural).toBe(97);
    } finally {
      annexTable(lead.doc, 'B').set('new:natural', 96);
      await waitForDoc(suite.observer.doc, () => observed() === 96, 'the number typed back');
      lead.destroy();
    }
    expect(await findingsOf(suite.reportId)).toEqual([]);
  });
});

describe('a table belongs to the section that holds it', () => {
  it('finance writing table B while 三、收到和处理政府信息公开申请情况 is the lead office’s is closed with 4403; once the section is assigned to finance, the same write is accepted', async () => {
    const sections = (await call('GET', `/api/reports/${suite.reportId}/sections`, { as: 'lead' })).json as Array<{ id: string; department: string | null }>;
    expect(sections.find((section) => section.id === 'requests')?.department).toBe('lead');
    const observed = () => annexTable(suite.observer.doc, 'B').get('new:natural');

    const refused = await syncedClient('finance');
    const closed = waitForClose(refused.provider);
    const storedBefore = await storedUpdates();
    annexTable(refused.doc, 'B').set('new:natural', 97);
    const { code, reason } = await closed;
    expect(code).toBe(CloseCode.Forbidden);
    expect(reason).toContain('requests');
    expect(await storedUpdates()).toBe(storedBefore);
    expect(observed()).toBe(96);
    expect((await annexOf(suite.reportId)).tables.B!.new!.natural).toBe(96);
    refused.destroy();

    expect((await call('POST', `/api/reports/${suite.reportId}/sections/requests/assign`, { as: 'lead', body: { department: 'finance' } })).status).toBe(200);
    try {
      const finance = await syncedClient('finance');
      const storedBeforeAccepted = await storedUpdates();
      annexTable(finance.doc, 'B').set('new:natural', 97);
      await waitForDoc(suite.observer.doc, () => observed() === 97, 'finance’s number in table B');
      expect(await storedUpdates()).toBe(storedBeforeAccepted + 1);
      expect(finance.provider.wsconnected).toBe(true);
      annexTable(finance.doc, 'B').set('new:natural', 96);
      await waitForDoc(suite.observer.doc, () => observed() === 96, 'finance’s number typed back');
      finance.destroy();
    } finally {
      expect((await call('POST', `/api/reports/${suite.reportId}/sections/requests/assign`, { as: 'lead', body: { department: 'lead' } })).status).toBe(200);
    }
    expect(await findingsOf(suite.reportId)).toEqual([]);
  });
});

describe('who writes the report (PUT /api/reports/:id/level): A2 applies to counties and districts only', () => {
  const path = () => `/api/reports/${suite.reportId}/level`;
  const storedLevel = async () => (await storedRows<{ level: string }>(suite.server, 'select level from reports where id = ?', suite.reportId))[0]!.level;
  const a2 = async () => (await findingsOf(suite.reportId)).filter((f) => f.rule === 'A2');

  it('a district’s report is a county’s; new 规章 are questioned there, not once the lead office says a city writes it', async () => {
    expect((await annexOf(suite.reportId)).level).toBe('county');
    const lead = await syncedClient('lead');
    const tableA = lead.doc.getMap(ANNEX_FIELD).get('A') as Y.Map<number>;
    tableA.set('regulations:issued', 1);
    await expect.poll(async () => (await a2()).length).toBe(1);

    expect((await call('PUT', path(), { as: 'lead', body: { level: 'city' } })).status).toBe(200);
    expect(await storedLevel()).toBe('city');
    expect((await annexOf(suite.reportId)).level).toBe('city');
    expect(await a2()).toEqual([]);

    expect((await call('PUT', path(), { as: 'lead', body: { level: 'county' } })).status).toBe(200);
    expect(await a2()).toHaveLength(1);
    tableA.set('regulations:issued', 0);
    await expect.poll(async () => (await a2()).length).toBe(0);
  });

  it.each([
    ['a department', { as: 'finance', body: { level: 'city' } }, 403, 'lead-office-only'],
    ['a level that is not one', { as: 'lead', body: { level: 'township' } }, 400, 'invalid-request'],
    ['no level', { as: 'lead', body: {} }, 400, 'invalid-request'],
  ] as const)('%s is refused and the stored level stays', async (_what, request, status, code) => {
    const answer = await call('PUT', path(), request);
    expect(answer.status).toBe(status);
    expect(answer.json.error.code).toBe(code);
    expect(await storedLevel()).toBe('county');
  });

  it('POST /api/validate reads a "level" the same way', async () => {
    const tables = clone((await annexOf(suite.reportId)).tables);
    tables.A!.regulations!.issued = 2;
    expect((await validate({ format: 'gov-disclosure-2021', tables })).map((f) => f.rule)).toEqual(['A2']);
    expect((await validate({ format: 'gov-disclosure-2021', tables, level: 'county' })).map((f) => f.rule)).toEqual(['A2']);
    expect(await validate({ format: 'gov-disclosure-2021', tables, level: 'province' })).toEqual([]);
    expectError(await call('POST', '/api/validate', { body: { format: 'gov-disclosure-2021', tables, level: 'town' } }), 400, 'invalid-request', '"level" must be one of');
  });
});

describe('last year’s figures entered by hand (PUT /api/reports/:id/previous-annex)', () => {
  const path = () => `/api/reports/${lastYearId}/previous-annex`;
  /** 2023's figures: 结转下年度 as the 2024 report carried them over, and 2023's documents in force. */
  const figures2023 = (natural: number) => ({
    A: { normative: { current: 33 } },
    B: { forward: { natural, business: 1, research: 0, nonprofit: 0, legal: 0, other: 0, total: natural + 1 } },
  });

  it('the 2024 report, whose 2023 report is not in the system, starts with no previous figures', async () => {
    const annex = await annexOf(lastYearId);
    expect(annex).toMatchObject({ year: 2024, previous: null, previousSource: null, units: [] });
  });

  it('the lead office enters 2023’s figures: the annex shows them as entered and the cross-year rules use them', async () => {
    const saved = await call('PUT', path(), { as: 'lead', body: { tables: figures2023(3) } });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    expect(saved.json).toEqual({ ok: true });

    const annex = await annexOf(lastYearId);
    expect(annex.previousSource).toBe('entered');
    expect(Object.keys(annex.previous!)).toEqual(['A', 'B']);
    expect(annex.previous!.B!.forward).toEqual({ natural: 3, business: 1, research: 0, nonprofit: 0, legal: 0, other: 0, total: 4 });
    expect(annex.previous!.B!.new).toEqual(Object.fromEntries(B_COLUMNS.map((column) => [column, null])));
    expect(annex.previous!.A!.normative).toEqual({ issued: null, repealed: null, current: 33 });
    expect(await findingsOf(lastYearId)).toEqual([]);

    // 2023 carried 4 natural persons' requests forward, but the 2024 report carried over 3.
    expect((await call('PUT', path(), { as: 'lead', body: { tables: figures2023(4) } })).status).toBe(200);
    const findings = await findingsOf(lastYearId);
    expect(findings.map(({ rule, cells, expected, actual }) => ({ rule, cells, expected, actual }))).toEqual([
      { rule: 'Y1', cells: [cell('B', 'carried', 'natural')], expected: 4, actual: 3 },
      { rule: 'Y1', cells: [cell('B', 'carried', 'total')], expected: 5, actual: 4 },
    ]);
  });

  it('finance entering last year’s figures is refused with 403 and the entered figures stay', async () => {
    const before = await annexOf(lastYearId);
    expectError(await call('PUT', path(), { as: 'finance', body: { tables: figures2023(9) } }), 403, 'lead-office-only');
    expectError(await call('PUT', path(), { as: 'finance', body: { tables: null } }), 403, 'lead-office-only');
    expectError(await call('PUT', path(), { as: 'finance', body: {} }), 403, 'lead-office-only');
    expect(await annexOf(lastYearId)).toEqual(before);
  });

  it.each([
    ['tables as a string', { body: { tables: '2023' } }, '上年数据格式有误：tables must be an object of tables', 'previous-figures-invalid'],
    ['an unknown table', { body: { tables: { D: {} } } }, 'has no table "D"', 'previous-figures-invalid'],
    ['a number written as a string', { body: { tables: { B: { forward: { natural: '4' } } } } }, 'tables.B.forward.natural must be a number or null', 'previous-figures-invalid'],
    ['no "tables" at all', { body: {} }, '"tables" is required', 'invalid-request'],
    ['a body that is not JSON', { raw: '{"tables":' }, 'not valid JSON', 'invalid-request'],
    ['a body sent as XML', { raw: '{"tables":null}', contentType: 'application/xml' }, 'Content-Type', 'invalid-request'],
  ] as const)('%s is answered 400 and the entered figures stay', async (_what, request, message, code) => {
    const before = await annexOf(lastYearId);
    expectError(await call('PUT', path(), { as: 'lead', ...request }), 400, code, message);
    expect(await annexOf(lastYearId)).toEqual(before);
  });

  it('figures entered for the 2025 report, whose 2024 report is in the system, are refused with 409', async () => {
    const answer = await call('PUT', `/api/reports/${suite.reportId}/previous-annex`, { as: 'lead', body: { tables: figures2023(4) } });
    expectError(answer, 409, 'previous-report-in-system', TITLE_2024);
    expect((await annexOf(suite.reportId)).previousSource).toEqual({ reportId: lastYearId, title: TITLE_2024 });
  });

  it('entering null removes the figures entered', async () => {
    expect((await call('PUT', path(), { as: 'lead', body: { tables: null } })).status).toBe(200);
    expect(await annexOf(lastYearId)).toMatchObject({ previous: null, previousSource: null });
    expect(await findingsOf(lastYearId)).toEqual([]);
  });
});

describe('a new year’s report (POST /api/reports)', () => {
  const reportList = async () => (await call('GET', '/api/reports', { as: 'lead' })).json as Array<{ id: string; title: string; year: number; format: string }>;

  it('finance starting a report is refused with 403 and no report is made', async () => {
    const before = await reportList();
    expectError(await call('POST', '/api/reports', { as: 'finance', body: { title: '示范区人民政府2026年政府信息公开工作年度报告', year: 2026 } }), 403, 'lead-office-only');
    expect(await reportList()).toEqual(before);
  });

  it.each([
    ['no year', { title: '2026年度报告' }, '"year"', 'invalid-request'],
    ['the year as a string', { title: '2026年度报告', year: '2026' }, '"year"', 'invalid-request'],
    ['a year with a fraction', { title: '2026年度报告', year: 2026.5 }, '"year"', 'invalid-request'],
    ['a year before 2008', { title: '2007年度报告', year: 2007 }, '"year"', 'invalid-request'],
    ['no title', { year: 2026 }, '200', 'title-length'],
    ['a blank title', { title: '   ', year: 2026 }, '200', 'title-length'],
    ['a title over 200 characters', { title: '长'.repeat(201), year: 2026 }, '200', 'title-length'],
    ['an unknown format', { title: '2026年度报告', year: 2026, format: 'gov-disclosure-2030' }, 'gov-disclosure-2030', 'format-unknown'],
    ['a format that is not a string', { title: '2026年度报告', year: 2026, format: 2021 }, '"format"', 'invalid-request'],
    ['the pre-2019 附表 for a 2026 report', { title: '2026年度报告', year: 2026, format: 'gov-disclosure-legacy' }, 'gov-disclosure-2021', 'format-not-for-year'],
    ['a level that is not one', { title: '2026年度报告', year: 2026, level: 'township' }, '"level" must be one of province, city, county', 'invalid-request'],
  ] as const)('%s is answered 400 and no report is made', async (_what, body, message, code) => {
    const before = await reportList();
    expectError(await call('POST', '/api/reports', { as: 'lead', body }), 400, code, message);
    expect(await reportList()).toEqual(before);
  });

  it('the lead office starts the 2026 report: 201, the six parts of the 2021 format, blank tables but 二、上年结转 taken from 2025’s 四、结转下年度', async () => {
    const title = '示范区人民政府2026年政府信息公开工作年度报告';
    const created = await call('POST', '/api/reports', { as: 'lead', body: { title, year: 2026 } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toEqual({ id: expect.stringMatching(/^[a-z0-9]+$/) });
    const id = created.json.id as string;

    // Written by the same body as last year's: a district.
    expect((await reportList()).find((report) => report.id === id)).toMatchObject({ title, year: 2026, format: 'gov-disclosure-2021', level: 'county' });

    const format = await formatOf('gov-disclosure-2021');
    const sections = (await call('GET', `/api/reports/${id}/sections`, { as: 'lead' })).json as Array<Record<string, unknown>>;
    expect(sections.map(({ id: sectionId, title: sectionTitle, level, department, state, locked }) => ({ sectionId, title: sectionTitle, level, department, state, locked }))).toEqual(
      format.sections.map((section) => ({ sectionId: section.sectionId, title: section.title, level: 1, department: null, state: 'draft', locked: false })),
    );
    expect(sections.map((section) => section.title)).toEqual([
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);

    const forward2025 = (await annexOf(suite.reportId)).tables.B!.forward!;
    expect(forward2025).toEqual({ natural: 4, business: 1, research: 0, nonprofit: 0, legal: 0, other: 0, total: 5 });
    const annex = await annexOf(id);
    expect(annex).toMatchObject({ format: 'gov-disclosure-2021', year: 2026, previousSource: { reportId: suite.reportId }, units: [] });
    const expected: Tables = Object.fromEntries(format.tables.map((table) => [table.id, filledTable(table, null)]));
    expected.B!.carried = forward2025;
    expect(annex.tables).toEqual(expected);

    // Blank is "not filled": each table's fill rule names its blanks; 上年结转 already agrees with 2025 (no Y1).
    const findings = await findingsOf(id);
    expect(findings.map((finding) => [finding.rule, finding.cells.length])).toEqual([
      ['A1', 10],
      ['B4', 168],
      ['C2', 15],
    ]);

    // One report a year: "last year's report" must always name exactly one.
    expectError(await call('POST', '/api/reports', { as: 'lead', body: { title, year: 2026 } }), 409, 'report-exists');
  });
});

// Units change the 2025 report's document; these run last and end by declaring no units again.
describe('the units a district report is compiled from (PUT /api/reports/:id/units)', () => {
  const path = () => `/api/reports/${suite.reportId}/units`;
  const finance = { id: 'finance', name: '示范区财政局', kind: 'department', sectionId: 'overview-finance' };
  const food = { id: 'food', name: '示范区市场监督管理局', kind: 'department', sectionId: 'overview-food' };
  const unitTables = () => [...suite.observer.doc.getMap<unknown>(ANNEX_FIELD).keys()].filter((tableId) => tableId.includes('@')).sort();

  it('finance declaring units is refused with 403 and nothing changes', async () => {
    const storedBefore = await storedUpdates();
    expectError(await call('PUT', path(), { as: 'finance', body: { units: [finance] } }), 403, 'lead-office-only');
    expect((await annexOf(suite.reportId)).units).toEqual([]);
    expect(await storedUpdates()).toBe(storedBefore);
    expect(unitTables()).toEqual([]);
  });

  it.each([
    ['a unit in a section that does not exist', { units: [{ ...finance, sectionId: 'no-such-section' }] }, 'no-such-section', 'unit-section-missing'],
    ['the same unit id twice', { units: [finance, { ...food, id: 'finance' }] }, 'units[1].id "finance" is listed twice', 'invalid-request'],
    ['a kind that is not government, department or township', { units: [{ ...finance, kind: 'bureau' }] }, 'units[0].kind must be one of government, department, township', 'invalid-request'],
    ['a unit id in capitals', { units: [{ ...finance, id: 'Finance' }] }, 'units[0].id must match', 'invalid-request'],
    ['a unit without a name', { units: [{ ...finance, name: '' }] }, 'units[0].name', 'invalid-request'],
    ['a unit without a section', { units: [{ id: 'finance', name: '示范区财政局', kind: 'department' }] }, 'units[0].sectionId', 'invalid-request'],
    ['units that are not a list', { units: { finance } }, '"units" must be a list', 'invalid-request'],
    ['no units at all', {}, '"units" must be a list', 'invalid-request'],
  ] as const)('%s is answered 400 and nothing changes', async (_what, body, message, code) => {
    const storedBefore = await storedUpdates();
    expectError(await call('PUT', path(), { as: 'lead', body }), 400, code, message);
    expect((await annexOf(suite.reportId)).units).toEqual([]);
    expect(await storedUpdates()).toBe(storedBefore);
    expect(unitTables()).toEqual([]);
  });

  it('declaring the finance and food bureaus gives each blank copies of tables B and C at the end of its section, and H1 names the units still missing', async () => {
    const storedBefore = await storedUpdates();
    const answer = await call('PUT', path(), { as: 'lead', body: { units: [finance, food] } });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toEqual({ units: [finance, food] });

    await waitForDoc(suite.observer.doc, () => unitTables().length === 4, 'the units’ tables');
    expect(unitTables()).toEqual(['B@finance', 'B@food', 'C@finance', 'C@food']);
    expect(await storedUpdates()).toBe(storedBefore + 1);
    for (const [tableId, cells] of [['B@finance', 175], ['B@food', 175], ['C@finance', 15], ['C@food', 15]] as const) {
      const table = annexTable(suite.observer.doc, tableId);
      expect(table.size).toBe(cells);
      expect([...table.values()].every((value) => value === null)).toBe(true);
    }
    expect(annexTable(suite.observer.doc, 'B@finance').has('new:natural')).toBe(true);
    expect(placedTables(suite.observer.doc, 'overview-finance')).toEqual(['B@finance', 'C@finance']);
    expect(placedTables(suite.observer.doc, 'overview-food')).toEqual(['B@food', 'C@food']);
    const financeSection = findSectionElement(suite.observer.body, 'overview-finance')!;
    const last = financeSection.get(financeSection.length - 1);
    expect(last).toBeInstanceOf(Y.XmlElement);
    expect((last as Y.XmlElement).nodeName).toBe('annexTable');
    expect((last as Y.XmlElement).getAttribute('tableId')).toBe('C@finance');

    const annex = await annexOf(suite.reportId);
    expect(annex.units).toEqual([finance, food]);
    expect(Object.keys(annex.tables).sort()).toEqual(['A', 'B', 'B@finance', 'B@food', 'C', 'C@finance', 'C@food']);
    expect(annex.tables['B@food']!.new).toEqual(Object.fromEntries(B_COLUMNS.map((column) => [column, null])));

    const findings = await findingsOf(suite.reportId);
    expect(findings.filter((finding) => finding.rule === 'H1')).toEqual([
      expect.objectContaining({ severity: 'error', cells: [], message: '附表B汇总：示范区财政局、示范区市场监督管理局 尚未填完本单位的附表B，合计暂不能核对。' }),
      expect.objectContaining({ severity: 'error', cells: [], message: '附表C汇总：示范区财政局、示范区市场监督管理局 尚未填完本单位的附表C，合计暂不能核对。' }),
    ]);
    // Each unit's blank copies are reported as not filled, under the unit's name.
    expect(findings.filter((finding) => finding.rule !== 'H1').map((finding) => [finding.rule, finding.message.slice(0, finding.message.indexOf('还有'))])).toEqual([
      ['B4', '附表B（示范区财政局）'],
      ['C2', '附表C（示范区财政局）'],
      ['B4', '附表B（示范区市场监督管理局）'],
      ['C2', '附表C（示范区市场监督管理局）'],
    ]);
  });

  it('finance fills its own copy of table B, and H1 then names only the food bureau', async () => {
    const client = await syncedClient('finance');
    const storedBefore = await storedUpdates();
    const own = annexTable(client.doc, 'B@finance');
    client.doc.transact(() => {
      for (const key of [...own.keys()]) own.set(key, 0);
    });
    await waitForDoc(suite.observer.doc, () => [...annexTable(suite.observer.doc, 'B@finance').values()].every((value) => value === 0), 'finance’s table B');
    expect(await storedUpdates()).toBe(storedBefore + 1);
    expect(client.provider.wsconnected).toBe(true);
    client.destroy();

    const h1 = (await findingsOf(suite.reportId)).filter((finding) => finding.rule === 'H1').map((finding) => finding.message);
    expect(h1).toEqual([
      '附表B汇总：示范区市场监督管理局 尚未填完本单位的附表B，合计暂不能核对。',
      '附表C汇总：示范区财政局、示范区市场监督管理局 尚未填完本单位的附表C，合计暂不能核对。',
    ]);
  });

  it('finance writing the food bureau’s copy of table B is closed with 4403 naming the food bureau’s section', async () => {
    const client = await syncedClient('finance');
    const closed = waitForClose(client.provider);
    const storedBefore = await storedUpdates();
    annexTable(client.doc, 'B@food').set('new:natural', 1);
    const { code, reason } = await closed;
    expect(code).toBe(CloseCode.Forbidden);
    expect(reason).toContain('overview-food');
    expect(reason).toContain('B@food');
    expect(await storedUpdates()).toBe(storedBefore);
    expect(annexTable(suite.observer.doc, 'B@food').get('new:natural')).toBeNull();
    expect((await annexOf(suite.reportId)).tables['B@food']!.new!.natural).toBeNull();
    client.destroy();
  });

  it('declaring only the finance bureau again removes the food bureau’s tables and their places, and keeps finance’s figures', async () => {
    const answer = await call('PUT', path(), { as: 'lead', body: { units: [finance] } });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    await waitForDoc(suite.observer.doc, () => unitTables().length === 2, 'the food bureau’s tables to go');
    expect(unitTables()).toEqual(['B@finance', 'C@finance']);
    expect(placedTables(suite.observer.doc, 'overview-food')).toEqual([]);
    expect(placedTables(suite.observer.doc, 'overview-finance')).toEqual(['B@finance', 'C@finance']);
    expect(annexTable(suite.observer.doc, 'B@finance').get('new:natural')).toBe(0);

    const annex = await annexOf(suite.reportId);
    expect(annex.units).toEqual([finance]);
    expect(Object.keys(annex.tables).sort()).toEqual(['A', 'B', 'B@finance', 'C', 'C@finance']);

    // With finance the only unit and its table B all zeros, the district's figures no longer add up.
    const findings = await findingsOf(suite.reportId);
    expect(findings.find((finding) => finding.rule === 'H1' && finding.cells.length === 1 && finding.cells[0]!.row === 'new' && finding.cells[0]!.column === 'natural')).toMatchObject({
      cells: [cell('B', 'new', 'natural')],
      expected: 0,
      actual: 96,
    });
    expect(findings.filter((finding) => finding.rule === 'H1' && finding.cells.length === 0).map((finding) => finding.message)).toEqual([
      '附表C汇总：示范区财政局 尚未填完本单位的附表C，合计暂不能核对。',
    ]);
  });

  it('declaring no units removes every unit’s tables and the report is clean again', async () => {
    const answer = await call('PUT', path(), { as: 'lead', body: { units: [] } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ units: [] });
    await waitForDoc(suite.observer.doc, () => unitTables().length === 0, 'every unit table to go');
    expect(placedTables(suite.observer.doc, 'overview-finance')).toEqual([]);
    expect((await annexOf(suite.reportId)).units).toEqual([]);
    expect(await findingsOf(suite.reportId)).toEqual([]);
  });
});
