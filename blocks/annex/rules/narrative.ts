import { cellValue, type AnnexTables } from '../annex-data.js';
import type { CellRef } from '../definition.js';
import { ORGANISATION_COLUMNS, TABLE_C_GROUPS } from '../formats/national-tables.js';
import { finding, roundSum, same, type Finding } from './finding.js';

/** One paragraph-like block of the narrative, with linked figures already shown as their values. */
export interface NarrativeBlock {
  sectionId: string;
  text: string;
}

const B = (row: string, column = 'total'): CellRef => ({ table: 'B', row, column });
const C = (column: string): CellRef => ({ table: 'C', row: 'cases', column });
const rowsOf = (rows: string[]) => rows.map((row) => B(row));
const DENIED = ['denied-secret', 'denied-law', 'denied-security', 'denied-third-party', 'denied-internal', 'denied-deliberative', 'denied-enforcement', 'denied-inquiry'];
const UNAVAILABLE = ['unavailable-not-held', 'unavailable-needs-making', 'unavailable-unclear'];
const DECLINED = ['declined-petition', 'declined-repeat', 'declined-publication', 'declined-excessive', 'declined-confirmation'];
const OTHER_HANDLING = ['other-no-correction', 'other-unpaid', 'other-other', 'other-handling'];
const LITIGATION = ['direct', 'after-review'];

/** A reading of a figure: the cells it adds up, and — for the conventions reports use — what it is called. */
interface Reading {
  cells: CellRef[];
  /** Absent for the format's own reading. */
  convention?: { zh: string; en: string; accepted: boolean };
}

/** A figure narratives restate, recognised by the words just before the number. */
interface TextFigure {
  id: string;
  words: RegExp;
  zh: string;
  readings: Reading[];
  /** A result category of table B: its share is of （七）总计, and the six make a partition. */
  partition?: string[];
}

const received = (columns: readonly string[]): Reading[] => [
  { cells: columns.map((column) => B('new', column)) },
  {
    cells: columns.flatMap((column) => [B('new', column), B('carried', column)]),
    convention: { zh: '按“本年新收 + 上年结转”口径', en: 'counted as new plus carried over', accepted: true },
  },
];

const withoutPending = (groups: string[]): Reading[] => [
  { cells: groups.map((group) => C(`${group}-total`)) },
  {
    cells: groups.flatMap((group) => ['upheld', 'corrected', 'other'].map((result) => C(`${group}-${result}`))),
    convention: { zh: '未计入尚未审结的案件', en: 'pending cases left out', accepted: false },
  },
];

/** The figures of the tables that narratives restate (rule T1), as data. */
const TEXT_FIGURES: readonly TextFigure[] = [
  { id: 'received', zh: '收到申请数', words: /(收到|受理|接收|新收)(?:(?!复议|诉讼)[^,。;]){0,14}申请|申请(总数|总量|数量)/g, readings: received(['total']) },
  { id: 'natural', zh: '自然人申请数', words: /自然人/g, readings: received(['natural']) },
  { id: 'organisations', zh: '法人或其他组织申请数', words: /法人(或|和|及)?其他组织/g, readings: received(ORGANISATION_COLUMNS) },
  { id: 'granted-partial', zh: '予以公开和部分公开数', words: /(?<!不)予以公开(和|及|、|与|、?以及)部分公开/g, readings: [{ cells: rowsOf(['granted', 'partial']) }], partition: ['granted', 'partial'] },
  { id: 'granted', zh: '予以公开数', words: /(?<!不)予以公开|(?<!不)同意公开|全部公开/g, readings: [{ cells: rowsOf(['granted']) }], partition: ['granted'] },
  { id: 'partial', zh: '部分公开数', words: /部分公开/g, readings: [{ cells: rowsOf(['partial']) }], partition: ['partial'] },
  { id: 'denied', zh: '不予公开数', words: /不予(以)?公开|不同意公开/g, readings: [{ cells: rowsOf(DENIED) }], partition: ['denied'] },
  { id: 'unavailable', zh: '无法提供数', words: /无法提供/g, readings: [{ cells: rowsOf(UNAVAILABLE) }], partition: ['unavailable'] },
  { id: 'declined', zh: '不予处理数', words: /不予处理/g, readings: [{ cells: rowsOf(DECLINED) }], partition: ['declined'] },
  { id: 'other-handling', zh: '其他处理数', words: /其他处理/g, readings: [{ cells: rowsOf(OTHER_HANDLING) }], partition: ['other-handling'] },
  { id: 'handled', zh: '办结申请数', words: /办结|已答复|答复申请|办理完毕/g, readings: [{ cells: [B('total')] }] },
  { id: 'carried', zh: '上年结转数', words: /上年结转/g, readings: [{ cells: [B('carried')] }] },
  { id: 'forward', zh: '结转下年度数', words: /结转(至)?下(一)?年(度)?/g, readings: [{ cells: [B('forward')] }] },
  // Both named together count both ("行政复议、行政诉讼案件共N件", "复议诉讼案件N件"): whichever word
  // is nearer the number would compare the sum with one of them. "…各N件" gives each its own count,
  // which the nearer word's figure checks.
  {
    id: 'reviews-and-lawsuits',
    zh: '行政复议和行政诉讼案件合计数',
    words: /(?:行政)?复议(?:和|及|与|或|、|以及)?(?:行政)?诉讼(?![^,。;\d]{0,10}各)/g,
    readings: withoutPending(['review', ...LITIGATION]),
  },
  { id: 'reviews', zh: '行政复议案件数', words: /行政复议/g, readings: withoutPending(['review']) },
  { id: 'lawsuits', zh: '行政诉讼案件数', words: /行政诉讼/g, readings: withoutPending(LITIGATION) },
  { id: 'regulations', zh: '制发规章数', words: /(制发|制定|出台|印发)[^,。;]{0,4}规章/g, readings: [{ cells: [{ table: 'A', row: 'regulations', column: 'issued' }] }] },
  { id: 'normative', zh: '制发行政规范性文件数', words: /(制发|制定|出台|印发)[^,。;]{0,6}规范性文件/g, readings: [{ cells: [{ table: 'A', row: 'normative', column: 'issued' }] }] },
];

const PARTITION = ['granted', 'partial', 'denied', 'unavailable', 'declined', 'other-handling'];

/** Words that make a number a change, not a restated figure ("同比增加12件"). */
const CHANGE_WORDS = /增加|减少|增长|下降|同比|较上年|比上年|多出|少了/;

/** A number with a counting unit, and a share right after it ("35件，占4.35%"). */
const COUNTED = /(\d{1,3}(?:,\d{3})+|\d+)\s*(件|个|宗|起|条|次|份)(?:[,(（]?\s*(?:占[^\d,。;%]{0,10}?|比例为|比重为)?\s*(\d+(?:\.\d+)?)\s*%\)?)?/g;

interface Mention {
  figure: TextFigure;
  value: number;
  percent: { value: number; decimals: number; text: string } | null;
  excerpt: string;
}

/** The figure a number restates: the one whose words end closest before it (the longer on a tie). */
function recognise(context: string): TextFigure | null {
  let best: { figure: TextFigure; end: number; length: number } | null = null;
  for (const figure of TEXT_FIGURES) {
    figure.words.lastIndex = 0;
    for (let match = figure.words.exec(context); match; match = figure.words.exec(context)) {
      const end = match.index + match[0].length;
      if (!best || end > best.end || (end === best.end && match[0].length > best.length)) best = { figure, end, length: match[0].length };
    }
  }
  if (!best || CHANGE_WORDS.test(context.slice(best.end - best.length))) return null;
  return best.figure;
}

/** Every restated figure in a block of text. */
function mentionsIn(text: string): Mention[] {
  const normalised = text.normalize('NFKC');
  const mentions: Mention[] = [];
  let clauseStart = 0;
  COUNTED.lastIndex = 0;
  for (let match = COUNTED.exec(normalised); match; match = COUNTED.exec(normalised)) {
    const before = normalised.slice(clauseStart, match.index);
    const boundary = Math.max(before.lastIndexOf('。'), before.lastIndexOf(';'), before.lastIndexOf('!'), before.lastIndexOf('?'), before.lastIndexOf('\n'));
    const context = before.slice(boundary + 1).slice(-40);
    clauseStart = match.index + match[0].length;
    const figure = recognise(context);
    if (!figure) continue;
    const share = match[3];
    mentions.push({
      figure,
      value: Number(match[1]!.replace(/,/g, '')),
      percent: share ? { value: Number(share), decimals: share.split('.')[1]?.length ?? 0, text: `${share}%` } : null,
      excerpt: `${context}${match[0]}`.replace(/^[\s,、:]+/, '').trim(),
    });
  }
  return mentions;
}

/**
 * A figure's value: the sum of its cells that this format has (the 2019 and 2021 layouts split
 * （六）其他处理 differently), or null while one of them is blank or the format has none.
 */
function sumOf(tables: AnnexTables, cells: CellRef[]): number | null {
  let sum = 0;
  let defined = false;
  for (const cell of cells) {
    const row = tables[cell.table]?.[cell.row];
    if (!row || !(cell.column in row)) continue;
    const value = row[cell.column];
    if (value === null || value === undefined) return null;
    sum += value;
    defined = true;
  }
  return defined ? roundSum(sum) : null;
}

/** T1: a restated figure equals its table value, under the format's reading or a known convention. */
function restatedFigure(mention: Mention, tables: AnnexTables, sectionId: string): Finding | null {
  const [main, ...conventions] = mention.figure.readings;
  const expected = sumOf(tables, main!.cells);
  if (expected === null || same(expected, mention.value)) return null;
  const where = { sectionId, excerpt: mention.excerpt };
  for (const reading of conventions) {
    const value = sumOf(tables, reading.cells);
    if (value === null || !same(value, mention.value) || !reading.convention) continue;
    const { zh, en, accepted } = reading.convention;
    return finding('T1', {
      ...where,
      severity: accepted ? 'info' : 'warning',
      cells: reading.cells,
      expected,
      actual: mention.value,
      message: accepted
        ? `正文“${mention.excerpt}”的${mention.figure.zh} ${mention.value} ${zh}，与附表一致（本年新收为 ${expected}）。`
        : `正文“${mention.excerpt}”的${mention.figure.zh} ${mention.value} ${zh}；附表总计为 ${expected}。请写明“不含尚未审结”或改为 ${expected}。`,
      messageEn: `"${mention.excerpt}": ${mention.value} is ${en}; the table's figure is ${expected}.`,
    });
  }
  return finding('T1', {
    ...where,
    cells: main!.cells,
    expected,
    actual: mention.value,
    message: `正文“${mention.excerpt}”写${mention.figure.zh}为 ${mention.value}，附表为 ${expected}。请改为 ${expected}，或插入与附表联动的数字。`,
    messageEn: `"${mention.excerpt}" gives ${mention.value}; the table gives ${expected}.`,
  });
}

/** The share a count is of the requests handled, rounded as the text rounds it. */
function shareOf(count: number, denominator: number, decimals: number): string {
  return `${((count / denominator) * 100).toFixed(decimals)}%`;
}

/** T2: each written share equals its count over （七）总计, and the shares of the partition add up to 100%. */
function shareFindings(mentions: Mention[], tables: AnnexTables, sectionId: string): Finding[] {
  const denominator = sumOf(tables, [B('total')]);
  if (denominator === null || denominator === 0) return [];
  const findings: Finding[] = [];
  const shares = mentions.filter((mention) => mention.percent && mention.figure.partition);
  for (const mention of shares) {
    const percent = mention.percent!;
    const expected = shareOf(mention.value, denominator, percent.decimals);
    if (Number(expected.slice(0, -1)) === percent.value) continue;
    findings.push(
      finding('T2', {
        sectionId,
        excerpt: mention.excerpt,
        cells: [B('total')],
        expected: Number(expected.slice(0, -1)),
        actual: percent.value,
        message: `正文“${mention.excerpt}”：${mention.value} ÷ 办理总数 ${denominator} = ${expected}，不是 ${percent.text}。请改为 ${expected}，或插入联动百分比。`,
        messageEn: `"${mention.excerpt}": ${mention.value} / ${denominator} = ${expected}, not ${percent.text}.`,
      }),
    );
  }
  // Each result counted once: "予以公开和部分公开 X%，其中予以公开 Y%、部分公开 Z%" restates
  // the same requests, so the finer shares are added and a share overlapping them is left out.
  const covered = new Set<string>();
  const counted: Mention[] = [];
  for (const mention of [...shares].sort((a, b) => a.figure.partition!.length - b.figure.partition!.length)) {
    const parts = mention.figure.partition!;
    if (parts.some((part) => covered.has(part))) continue;
    for (const part of parts) covered.add(part);
    counted.push(mention);
  }
  if (PARTITION.every((part) => covered.has(part)) && counted.length >= 3) {
    const total = roundSum(counted.reduce((sum, mention) => sum + mention.percent!.value, 0));
    const decimals = Math.max(...counted.map((mention) => mention.percent!.decimals));
    const slack = counted.length * 0.5 * 10 ** -decimals;
    if (Math.abs(total - 100) > slack) {
      findings.push(
        finding('T2', {
          sectionId,
          excerpt: counted.map((mention) => mention.excerpt).join('；'),
          cells: [B('total')],
          expected: 100,
          actual: total,
          message: `正文中各办理结果所占比例合计为 ${total}%，应为 100%（允许四舍五入误差）。请核对各项比例。`,
          messageEn: `The shares of the results add up to ${total}%, not 100%.`,
        }),
      );
    }
  }
  return findings;
}

const ALL_UPHELD = /(均|全部|都)(获|被|予以|得到|获得)?(维持|支持)/;

/** T3: "均获维持" is only true when nothing was corrected, otherwise decided or still pending. */
function allUpheldFindings(block: NarrativeBlock, tables: AnnexTables): Finding[] {
  const text = block.text.normalize('NFKC');
  const claim = ALL_UPHELD.exec(text);
  if (!claim) return [];
  const sentenceStart = Math.max(text.lastIndexOf('。', claim.index), text.lastIndexOf(';', claim.index)) + 1;
  const sentence = text.slice(sentenceStart, claim.index + claim[0].length);
  const groups = TABLE_C_GROUPS.filter((group) => {
    const mentionsReview = sentence.includes('复议');
    const mentionsLawsuit = sentence.includes('诉讼');
    if (!mentionsReview && !mentionsLawsuit) return true;
    return group.prefix === 'review' ? mentionsReview : mentionsLawsuit;
  });
  const contrary = groups.flatMap((group) => ['corrected', 'other', 'pending'].map((result) => C(`${group.prefix}-${result}`)));
  const values = contrary.map((cell) => cellValue(tables, cell));
  if (values.some((value) => value === null)) return [];
  const actual = roundSum(values.reduce<number>((sum, value) => sum + (value ?? 0), 0));
  if (actual === 0) return [];
  return [
    finding('T3', {
      sectionId: block.sectionId,
      excerpt: sentence.trim(),
      cells: contrary.filter((_, index) => values[index] !== 0),
      expected: 0,
      actual,
      message: `正文称“${claim[0]}”，但附表C中结果纠正、其他结果或尚未审结共 ${actual} 件。请如实表述复议、诉讼结果。`,
      messageEn: `The text says all were upheld, but table C has ${actual} corrected, otherwise decided or pending.`,
    }),
  ];
}

/** T4: closing requests over unpaid fees means fees were charged, which part six should report. */
function feeNoticeFindings(blocks: readonly NarrativeBlock[], tables: AnnexTables, partSix: ReadonlySet<string>): Finding[] {
  const unpaid = cellValue(tables, B('other-unpaid'));
  if (unpaid === null || unpaid <= 0) return [];
  if (blocks.some((block) => partSix.has(block.sectionId) && /收费|缴费|信息处理费/.test(block.text))) return [];
  return [
    finding('T4', {
      cells: [B('other-unpaid')],
      expected: null,
      actual: unpaid,
      message: `附表B有 ${unpaid} 件申请因申请人逾期未缴纳信息处理费而不再处理，第六部分“其他需要报告的事项”应说明信息处理费收取情况（发出收费通知数、应收和实收金额）。`,
      messageEn: `${unpaid} requests were closed over unpaid fees; part six should report the fee notices and amounts.`,
    }),
  ];
}

/** Narrative against tables: T1–T4 over every block of the report's text. */
export function narrativeFindings(blocks: readonly NarrativeBlock[], tables: AnnexTables, partSix: ReadonlySet<string>): Finding[] {
  if (!tables.B && !tables.C && !tables.A) return [];
  const findings: Finding[] = [];
  for (const block of blocks) {
    const mentions = mentionsIn(block.text);
    for (const mention of mentions) {
      const result = restatedFigure(mention, tables, block.sectionId);
      if (result) findings.push(result);
    }
    findings.push(...shareFindings(mentions, tables, block.sectionId), ...allUpheldFindings(block, tables));
  }
  findings.push(...feeNoticeFindings(blocks, tables, partSix));
  return findings;
}
