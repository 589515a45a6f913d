import { cellValue, type AnnexTables } from '../annex-data.js';
import { mayMakeRegulations, type BodyLevel } from '../body-level.js';
import { cellKindOf, columnsOfRow, splitTableId, type CellRef, type FormatDefinition, type TableDefinition } from '../definition.js';
import { TABLE_C_GROUPS } from '../formats/national-tables.js';
import { finding, type Finding } from './finding.js';
import { evaluateSumChecks, type SumCheck } from './sum-check.js';

/** How findings name a table: "附表B", or "附表B（示范区财政局）" for a unit's copy. */
export interface TableNaming {
  unitName(unitId: string): string;
}

export function tableName(tableId: string, naming: TableNaming): { zh: string; en: string } {
  const { base, unit } = splitTableId(tableId);
  if (unit === null) return { zh: `附表${base}`, en: `table ${base}` };
  const name = naming.unitName(unit);
  return { zh: `附表${base}（${name}）`, en: `table ${base} (${name})` };
}

const ref = (table: string, row: string, column: string): CellRef => ({ table, row, column });

/** Table B's sum rules: B1 and B2 down each column, B3 across each row. */
function tableBChecks(table: TableDefinition, tableId: string, name: { zh: string; en: string }): SumCheck[] {
  const checks: SumCheck[] = [];
  const dataRows = table.rows.filter((row) => !row.heading);
  const resultsStart = table.rows.findIndex((row) => row.id === 'results');
  const totalIndex = table.rows.findIndex((row) => row.id === 'total');
  const resultRows = table.rows.slice(resultsStart + 1, totalIndex).filter((row) => !row.heading);
  for (const column of table.columns) {
    const where = { zh: `${name.zh}「${column.label}」列`, en: `${name.en}, column ${column.id}` };
    checks.push({
      rule: 'B1',
      parts: [ref(tableId, 'new', column.id), ref(tableId, 'carried', column.id)],
      totals: [ref(tableId, 'total', column.id), ref(tableId, 'forward', column.id)],
      where,
      equation: { zh: '一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度', en: 'new + carried over must equal total + carried forward' },
    });
    checks.push({
      rule: 'B2',
      parts: resultRows.map((row) => ref(tableId, row.id, column.id)),
      totals: [ref(tableId, 'total', column.id)],
      where,
      equation: { zh: '（七）总计为予以公开至其他处理各项之和', en: 'the total is the sum of every result' },
      definesTotal: true,
    });
  }
  const applicantColumns = table.columns.filter((column) => column.id !== 'total');
  for (const row of dataRows) {
    checks.push({
      rule: 'B3',
      parts: applicantColumns.map((column) => ref(tableId, row.id, column.id)),
      totals: [ref(tableId, row.id, 'total')],
      where: { zh: `${name.zh}「${row.label}」行`, en: `${name.en}, row ${row.id}` },
      equation: { zh: '总计为自然人与法人或其他组织各列之和', en: 'the total is the sum over all applicants' },
      definesTotal: true,
    });
  }
  return checks;
}

/** Table C's rule C1: each of its three groups is a partition of its total. */
function tableCChecks(tableId: string, name: { zh: string; en: string }): SumCheck[] {
  return TABLE_C_GROUPS.map((group) => ({
    rule: 'C1',
    parts: ['upheld', 'corrected', 'other', 'pending'].map((result) => ref(tableId, 'cases', `${group.prefix}-${result}`)),
    totals: [ref(tableId, 'cases', `${group.prefix}-total`)],
    where: { zh: `${name.zh}${group.zh}`, en: `${name.en}, ${group.en}` },
    equation: { zh: '总计为结果维持、结果纠正、其他结果、尚未审结之和', en: 'total = upheld + corrected + other + pending' },
    definesTotal: true,
  }));
}

/** Every legacy row that was reported: optional rows left blank were simply not reported then. */
function legacyChecks(table: TableDefinition, tableId: string, tables: AnnexTables, name: { zh: string; en: string }): SumCheck[] {
  if (table.id !== 'B') return [];
  const reported = (rowIds: string[]) =>
    rowIds
      .filter((rowId) => {
        const row = table.rows.find((candidate) => candidate.id === rowId);
        return row && (!row.optional || cellValue(tables, ref(tableId, rowId, 'count')) !== null);
      })
      .map((rowId) => ref(tableId, rowId, 'count'));
  const where = { zh: name.zh, en: name.en };
  const checks: SumCheck[] = [
    {
      rule: 'L2',
      parts: reported(['in-person', 'fax-phone', 'online', 'letter', 'email', 'other-channel']),
      totals: [ref(tableId, 'received', 'count')],
      where,
      equation: { zh: '申请总数为各申请方式之和', en: 'requests = sum over channels' },
      definesTotal: true,
    },
    {
      rule: 'L3',
      parts: reported(['already-public', 'granted', 'partial', 'refused', 'other-answer']),
      totals: [ref(tableId, 'answered', 'count')],
      where,
      equation: { zh: '答复总数为各答复情况之和', en: 'answers = sum of outcomes' },
      definesTotal: true,
    },
  ];
  const timing = reported(['on-time', 'extended']);
  if (timing.length === 2) {
    checks.push({
      rule: 'L5',
      parts: timing,
      totals: [ref(tableId, 'answered', 'count')],
      where,
      equation: { zh: '按时答复与延期答复之和应等于答复总数', en: 'on time + extended = answers' },
    });
  }
  return checks;
}

const FILL_RULE: Record<string, string> = { A: 'A1', B: 'B4', C: 'C2' };

/** B4 / C2 / A1 (L1 for the pre-2019 附表): every cell filled, with a number of the right kind. */
function fillFindings(format: FormatDefinition, table: TableDefinition, tableId: string, tables: AnnexTables, name: { zh: string; en: string }): Finding[] {
  const rule = format.format === 'gov-disclosure-legacy' ? 'L1' : FILL_RULE[table.id] ?? 'B4';
  const findings: Finding[] = [];
  const blanks: CellRef[] = [];
  for (const row of table.rows) {
    for (const column of columnsOfRow(table, row)) {
      const cell = ref(tableId, row.id, column.id);
      const value = cellValue(tables, cell);
      if (value === null) {
        if (!row.optional) blanks.push(cell);
        continue;
      }
      const kind = cellKindOf(table, column.id);
      const problem =
        kind !== 'change' && value < 0
          ? { zh: '不能为负数', en: 'is negative' }
          : kind !== 'amount' && !Number.isInteger(value)
            ? { zh: '件数应为整数', en: 'is not a whole number' }
            : null;
      if (problem) {
        findings.push(
          finding(rule, {
            cells: [cell],
            expected: null,
            actual: value,
            message: `${name.zh}「${row.label}」「${column.label}」填写的 ${value} ${problem.zh}，请改正。`,
            messageEn: `${name.en}, ${row.id}/${column.id}: ${value} ${problem.en}.`,
          }),
        );
      }
    }
  }
  if (blanks.length > 0) {
    findings.push(
      finding(rule, {
        cells: blanks,
        expected: null,
        actual: null,
        message: `${name.zh}还有 ${blanks.length} 个单元格未填写。空白表示未填，不等于 0；没有发生的请填 0。`,
        messageEn: `${name.en} has ${blanks.length} blank cell(s). Blank means not filled, not zero: enter 0 where nothing happened.`,
      }),
    );
  }
  return findings;
}

/** A2: a county's or district's government cannot make 规章 (立法法), so a count of new ones is suspect. */
function regulationFindings(tableId: string, tables: AnnexTables, level: BodyLevel): Finding[] {
  if (mayMakeRegulations(level)) return [];
  for (const column of ['issued', 'made']) {
    const cell = ref(tableId, 'regulations', column);
    const value = cellValue(tables, cell);
    if (value !== null && value > 0) {
      return [
        finding('A2', {
          cells: [cell],
          expected: 0,
          actual: value,
          message: `附表A「规章」填写本年制发 ${value} 件，但区县人民政府无权制定规章（《立法法》）。请核实，通常应为 0，或写入“行政规范性文件”。`,
          messageEn: `Table A reports ${value} new 规章, which a district cannot make; usually 0 (or count them as normative documents).`,
        }),
      ];
    }
  }
  return [];
}

const sumCheckCache = new Map<string, SumCheck[]>();

function nationalChecks(table: TableDefinition, tableId: string, name: { zh: string; en: string }): SumCheck[] {
  const key = `${tableId}\u0000${name.zh}\u0000${table.rows.length}`;
  let checks = sumCheckCache.get(key);
  if (!checks) {
    checks = table.id === 'B' ? tableBChecks(table, tableId, name) : table.id === 'C' ? tableCChecks(tableId, name) : [];
    if (sumCheckCache.size > 2000) sumCheckCache.clear();
    sumCheckCache.set(key, checks);
  }
  return checks;
}

/** The rules inside one table: its fill rule, its sums, and A2 for table A (by who writes the report). */
export function tableFindings(format: FormatDefinition, table: TableDefinition, tableId: string, tables: AnnexTables, naming: TableNaming, level: BodyLevel): Finding[] {
  const name = tableName(tableId, naming);
  const findings = fillFindings(format, table, tableId, tables, name);
  const legacy = format.format === 'gov-disclosure-legacy';
  const checks = legacy ? legacyChecks(table, tableId, tables, name) : nationalChecks(table, tableId, name);
  findings.push(...evaluateSumChecks(checks, tables));
  if (legacy && table.id === 'B') findings.push(...answeredWithinReceived(tableId, tables, name));
  if (!legacy && table.id === 'A') findings.push(...regulationFindings(tableId, tables, level));
  return findings;
}

/** L4: more answers than requests means the counts were taken from different periods or lists. */
function answeredWithinReceived(tableId: string, tables: AnnexTables, name: { zh: string; en: string }): Finding[] {
  const received = cellValue(tables, ref(tableId, 'received', 'count'));
  const answered = cellValue(tables, ref(tableId, 'answered', 'count'));
  if (received === null || answered === null || answered <= received) return [];
  return [
    finding('L4', {
      cells: [ref(tableId, 'answered', 'count'), ref(tableId, 'received', 'count')],
      expected: received,
      actual: answered,
      message: `${name.zh}：答复总数 ${answered} 超过申请总数 ${received}。若含上年结转的申请，请在正文说明；否则请核对。`,
      messageEn: `${name.en}: ${answered} answers exceed ${received} requests; explain carried-over requests or correct.`,
    }),
  ];
}
