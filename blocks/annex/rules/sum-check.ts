import { cellValue, type AnnexTables } from '../annex-data.js';
import type { CellRef } from '../definition.js';
import { finding, roundSum, same, type Finding } from './finding.js';

/**
 * An equality between two sums of cells — the shape of most rules of the national tables. A check
 * is data; `evaluateSumCheck` is the one place that reads the cells and words the finding.
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

/** Blank cells leave a check undecided: the blank itself is reported by the table's fill rule. */
export function evaluateSumCheck(check: SumCheck, tables: AnnexTables): Finding | null {
  const expected = sumOf(tables, check.parts);
  const actual = expected === null ? null : sumOf(tables, check.totals);
  if (expected === null || actual === null || same(expected, actual)) return null;
  const total = check.definesTotal && check.totals.length === 1 ? check.totals[0]! : null;
  return finding(check.rule, {
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
  });
}
