import { cellValue, type AnnexTables } from '../annex-data.js';
import type { CellRef } from '../definition.js';
import { finding, roundSum, same, type Finding } from './finding.js';

/**
 * An equality between two sums of cells — the shape of most rules of the national tables. A check
 * is data; `evaluateSumChecks` is the one place that reads the cells and words the findings.
 */
export interface SumCheck {
  rule: string;
  parts: CellRef[];
  totals: CellRef[];
  /** Where the check applies, as a person names it: "附表B「自然人」列". */
  where: { zh: string; en: string };
  /** The equation in words: "一 + 二 = （七）总计 + 四". */
  equation: { zh: string; en: string };
  /** A single total the parts define: offered as the computed value ("应为 121"). */
  definesTotal?: boolean;
}

function sumOf(tables: AnnexTables, cells: CellRef[]): number | null {
  let sum = 0;
  for (const cell of cells) {
    const value = cellValue(tables, cell);
    if (value === null) return null;
    sum += value;
  }
  return roundSum(sum);
}

/** Both sides of a check, or null while a blank leaves it undecided. */
function balanceOf(check: SumCheck, tables: AnnexTables): { expected: number; actual: number } | null {
  const expected = sumOf(tables, check.parts);
  const actual = expected === null ? null : sumOf(tables, check.totals);
  return expected === null || actual === null ? null : { expected, actual };
}

function holds(check: SumCheck, tables: AnnexTables): boolean {
  const balance = balanceOf(check, tables);
  return balance !== null && same(balance.expected, balance.actual);
}

const sameCell = (a: CellRef, b: CellRef) => a.table === b.table && a.row === b.row && a.column === b.column;

function withValue(tables: AnnexTables, cell: CellRef, value: number): AnnexTables {
  const table = tables[cell.table]!;
  return { ...tables, [cell.table]: { ...table, [cell.row]: { ...table[cell.row], [cell.column]: value } } };
}

/**
 * Another check that holds now and would break were `total` given `value`: it confirms the total,
 * so the parts are what to look at. A suggestion never trades one broken rule for another.
 */
function confirmingCheck(checks: readonly SumCheck[], failing: SumCheck, total: CellRef, value: number, tables: AnnexTables): SumCheck | null {
  const changed = withValue(tables, total, value);
  return (
    checks.find(
      (other) => other !== failing && [...other.parts, ...other.totals].some((cell) => sameCell(cell, total)) && holds(other, tables) && !holds(other, changed),
    ) ?? null
  );
}

/**
 * Every check that does not hold, worded for a person. Blank cells leave a check undecided: the
 * blank itself is reported by the table's fill rule. Where the parts define a single total, the
 * finding offers their sum for it ("应为 121") — unless another rule that holds confirms the total
 * as it is; then it points at the parts instead. Where either side may be wrong (B1), it names
 * them all and offers nothing.
 */
export function evaluateSumChecks(checks: readonly SumCheck[], tables: AnnexTables): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    const balance = balanceOf(check, tables);
    if (!balance || same(balance.expected, balance.actual)) continue;
    const { expected, actual } = balance;
    const total = check.definesTotal && check.totals.length === 1 ? check.totals[0]! : null;
    const confirmedBy = total && confirmingCheck(checks, check, total, expected, tables);
    if (confirmedBy) {
      findings.push(
        finding(check.rule, {
          cells: check.parts,
          expected,
          actual,
          message: `${check.where.zh}：${check.equation.zh}，各项之和为 ${expected}，总计填 ${actual}。总计与${confirmedBy.where.zh}的勾稽关系（${confirmedBy.rule}）相符，请核对各项数字，而不是改总计。`,
          messageEn: `${check.where.en}: ${check.equation.en}; the parts add up to ${expected}, the total is ${actual}, which ${confirmedBy.rule} (${confirmedBy.where.en}) confirms: check the parts.`,
        }),
      );
      continue;
    }
    findings.push(
      finding(check.rule, {
        cells: [...check.parts, ...check.totals],
        expected,
        actual,
        message: total
          ? `${check.where.zh}：${check.equation.zh}，合计应为 ${expected}，现填 ${actual}。请核对各项或将总计改为 ${expected}。`
          : `${check.where.zh}：${check.equation.zh}，左边为 ${expected}，右边为 ${actual}，两者不等。请核对这几项数字。`,
        messageEn: total
          ? `${check.where.en}: ${check.equation.en}; the total should be ${expected}, it is ${actual}.`
          : `${check.where.en}: ${check.equation.en}; ${expected} on the left, ${actual} on the right.`,
        ...(total ? { suggestion: { cell: total, value: expected } } : {}),
      }),
    );
  }
  return findings;
}
