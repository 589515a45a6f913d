import type { CellRef } from '../definition.js';

export type Severity = 'error' | 'warning' | 'info';

/** What the rules say about a report. Errors block publishing; warnings must be acknowledged. */
export interface Finding {
  /** The rule id of the domain document (B1, B2, …, T4; L1–L5 for the pre-2019 附表). */
  rule: string;
  severity: Severity;
  cells: CellRef[];
  expected: number | null;
  actual: number | null;
  /** What is wrong and what to fix, in Chinese. */
  message: string;
  messageEn: string;
  /** A value the format defines for one cell ("应为 121"), offered to fill in. */
  suggestion?: { cell: CellRef; value: number };
  /** For findings about the narrative: the section and the words that were checked. */
  sectionId?: string;
  excerpt?: string;
}

export const RULES: Readonly<Record<string, { severity: Severity; zh: string; en: string }>> = {
  A1: { severity: 'error', zh: '主动公开表数字须为非负数，件数为整数', en: 'Table A: counts are whole numbers ≥ 0, the fee a number ≥ 0' },
  A2: { severity: 'warning', zh: '区县政府不能制定规章', en: 'Districts and counties cannot make 规章' },
  B1: { severity: 'error', zh: '勾稽关系：第一项加第二项之和等于第三项加第四项之和', en: 'new + carried over = total handled + carried forward' },
  B2: { severity: 'error', zh: '（七）总计等于各项办理结果之和', en: 'the total equals the sum of all results' },
  B3: { severity: 'error', zh: '总计列等于各类申请人之和', en: 'the total column equals the sum of all applicant types' },
  B4: { severity: 'error', zh: '申请表每格须填写非负整数（空白不等于0）', en: 'every cell of table B is a whole number ≥ 0 (blank is not zero)' },
  C1: { severity: 'error', zh: '复议、诉讼各组：维持+纠正+其他+尚未审结=总计', en: 'each group: upheld + corrected + other + pending = total' },
  C2: { severity: 'error', zh: '复议诉讼表每格须填写非负整数', en: 'every cell of table C is a whole number ≥ 0' },
  S1: { severity: 'error', zh: '报告六部分齐全、顺序和标题符合格式', en: 'all six parts present, in order, with the format’s titles and tables' },
  Y1: { severity: 'error', zh: '本年“上年结转”等于上年“结转下年度”', en: 'carried over equals last year’s carried forward' },
  Y2: { severity: 'warning', zh: '现行有效件数＝上年现行有效＋本年制发－本年废止', en: 'in force = last year’s in force + issued − repealed' },
  Y3: { severity: 'info', zh: '与上年相比变化超过5倍', en: 'changed more than 5x from last year' },
  H1: { severity: 'error', zh: '汇总表每格等于各填报单位之和', en: 'each cell of the district table equals the sum over its units' },
  T1: { severity: 'error', zh: '正文数字与附表一致', en: 'figures in the text match the tables' },
  T2: { severity: 'error', zh: '正文百分比与数字一致', en: 'percentages in the text match the counts' },
  T3: { severity: 'error', zh: '“均获维持”须无纠正、其他结果和尚未审结', en: '“all upheld” only when nothing was corrected, otherwise decided or pending' },
  T4: { severity: 'warning', zh: '有因未缴费不再处理的申请时，第六部分应说明收费情况', en: 'unpaid-fee closures call for a word on fees in part six' },
  D1: { severity: 'warning', zh: '内容与上年雷同', en: 'nearly the same text as last year' },
  L1: { severity: 'error', zh: '附表每格须填写非负整数', en: 'every required cell is a whole number ≥ 0' },
  L2: { severity: 'error', zh: '申请总数等于各申请方式之和', en: 'requests equal the sum over channels' },
  L3: { severity: 'error', zh: '答复总数等于各答复情况之和', en: 'answers equal the sum of their outcomes' },
  L4: { severity: 'warning', zh: '答复总数不超过申请总数', en: 'no more answers than requests' },
  L5: { severity: 'error', zh: '按时答复加延期答复等于答复总数', en: 'on time + extended = answers' },
};

export function finding(rule: string, fields: Omit<Finding, 'rule' | 'severity'> & { severity?: Severity }): Finding {
  return { ...fields, rule, severity: fields.severity ?? RULES[rule]?.severity ?? 'error' };
}

/** Numbers compared by the rules: amounts carry up to four decimals, so compare to a hair. */
export function same(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}

/** A sum as people write it, without floating-point noise (0.1 + 0.2 → 0.3). */
export function roundSum(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
