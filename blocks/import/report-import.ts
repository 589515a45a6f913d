import type { AnnexTables } from '../annex/annex-data.js';
import type { BodyLevel } from '../annex/body-level.js';
import type { FormatDefinition, FormatId } from '../annex/definition.js';
import { formatOfYear, isReportYear, reportFormats } from '../annex/formats/index.js';
import type { ReportReading } from '../annex/report-reading.js';
import type { Finding } from '../annex/rules/finding.js';
import { normaliseTitle } from '../annex/rules/structure.js';
import { validateAnnex, validateReport } from '../annex/validate.js';
import { isNumberText, labelKey } from './cell-text.js';
import type { ImportSource, SourceBlock } from './source.js';
import { columnLabelHits, gridSegments, readTable, textSegments, type Segment, type TableReading, type UnreadCell } from './table-reading.js';

/** A part of an imported report: its heading and its paragraphs (one per line), and the tables it held. */
export interface ImportedSection {
  title: string;
  text: string;
  tables: string[];
}

/** What the import read from a published report, before anyone decides to keep it. */
export interface ImportedReport {
  format: FormatId;
  year: number | null;
  title: string;
  sections: ImportedSection[];
  /** The format's tables that were found, every cell present (null where blank or unread). */
  tables: AnnexTables;
  unread: UnreadCell[];
}

/** What `POST /api/imports` answers: the report as read, what could not be read, and the rules' findings on it. */
export interface ImportPreview extends ImportedReport {
  source: ImportSource;
  /** The file was in traditional characters and was read in simplified ones. */
  traditional: boolean;
  level: BodyLevel;
  unread: Array<UnreadCell & { message: string }>;
  findings: Finding[];
}

/** A part heading as reports number them: 一、 二、 … (also 一. or 一，). */
const PART_HEADING = /^[一二三四五六七八九十]{1,3}\s*[、.．,，]/;
const MAX_HEADING_LENGTH = 40;
const MAX_TITLE_LENGTH = 80;

/** Rows of the national tables are numbered like parts (一、本年新收…): they are never headings. */
const ROW_LABELS = [...new Set(reportFormats.flatMap((format) => format.tables.flatMap((table) => table.rows.map((row) => labelKey(row.label)))))];

/** A row's label, or the start of one that wrapped onto the next line in a narrow column. */
const isRowLabel = (key: string) => ROW_LABELS.some((label) => label === key || (key.length >= 4 && label.startsWith(key)));

/** A part's heading: numbered, short, alone on its line — not a table row that carries its numbers. */
function isPartHeading(text: string): boolean {
  if (!PART_HEADING.test(text) || text.length > MAX_HEADING_LENGTH || text.includes('\t')) return false;
  const words = text.split(/\s+/).filter(Boolean);
  return !words.slice(1).some(isNumberText) && !isRowLabel(labelKey(words.join('')));
}

/** Where a candidate reading of a table came from: a drawn table (its block) or the running text. */
interface Candidate {
  segments: Segment[];
  /** The drawn table's block; null for the running text. */
  block: number | null;
}

interface FormatReading {
  format: FormatDefinition;
  tables: Map<string, { reading: TableReading; block: number | null }>;
  score: number;
}

/**
 * Reads a published report — its title and year, its parts, and its annex tables in whichever
 * national layout it was drawn (2021, the 2019 trial, the pre-2019 附表). `year` is the year the
 * person importing it named, when the report does not say.
 */
export function readImportedReport(blocks: readonly SourceBlock[], hint: { year?: number } = {}): ImportedReport {
  const texts = blocks.map((block) => (block.kind === 'text' ? block.text.trim() : ''));
  const found = findTitle(texts);
  const title = found?.text ?? '';
  const titleIndex = found?.end ?? null;
  const year = hint.year ?? yearOf(title) ?? yearOfText(texts);

  const lines = blocks.flatMap((block, index) => (block.kind === 'text' && !isPartHeading(block.text.trim()) ? [{ text: block.text, block: index }] : []));
  const candidates: Candidate[] = [
    ...blocks.flatMap((block, index) => (block.kind === 'table' ? [{ segments: gridSegments(block, index), block: index }] : [])),
    { segments: textSegments(lines), block: null },
  ];
  const allSegments = candidates.flatMap((candidate) => candidate.segments);
  const readings = reportFormats.map((format) => readFormat(format, candidates, allSegments));
  const preferred = year !== null ? formatOfYear(year) : 'gov-disclosure-2021';
  const best = readings.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.format.format === preferred) ? b : a));

  const tables: AnnexTables = {};
  const unread: UnreadCell[] = [];
  // Where each table sits among the blocks (to place it in its part), and the lines it took up.
  const tablesAt = new Map<number, string[]>();
  const tableLines = new Set<number>();
  for (const table of best.format.tables) {
    const found = best.tables.get(table.id);
    if (!found) {
      unread.push({ table: table.id, row: null, column: null, reason: 'table-not-found' });
      continue;
    }
    tables[table.id] = found.reading.values;
    unread.push(...found.reading.unread);
    const lines = found.block === null ? tableTextBlocks(found.reading.blocks, texts) : [found.block];
    for (const line of lines) tableLines.add(line);
    tablesAt.set(lines[0]!, [...(tablesAt.get(lines[0]!) ?? []), table.id]);
  }

  return { format: best.format.format, year, title, sections: readSections(blocks, texts, titleIndex, tablesAt, tableLines), tables, unread };
}

/** Each table of a format read from the candidate that reads most of its rows. */
function readFormat(format: FormatDefinition, candidates: readonly Candidate[], allSegments: readonly Segment[]): FormatReading {
  const tables = new Map<string, { reading: TableReading; block: number | null }>();
  let score = columnLabelHits(format.tables, allSegments);
  for (const table of format.tables) {
    let best: { reading: TableReading; block: number | null } | null = null;
    for (const candidate of candidates) {
      const reading = readTable(table, table.id, candidate.segments);
      if (reading.rowsRead > 0 && (!best || reading.rowsRead > best.reading.rowsRead)) best = { reading, block: candidate.block };
    }
    if (best) {
      tables.set(table.id, best);
      score += best.reading.rowsRead;
    }
  }
  return { format, tables, score };
}

/**
 * The lines a table read from running text occupied: from the first to the last line a row came
 * from, and the short lines just above it (its caption and column headers), never a part heading.
 */
function tableTextBlocks(rowBlocks: readonly number[], texts: readonly string[]): number[] {
  if (rowBlocks.length === 0) return [];
  let first = rowBlocks[0]!;
  const last = rowBlocks[rowBlocks.length - 1]!;
  while (first > 0) {
    const above = texts[first - 1]!;
    // Column headers copied as one line of cells may be long; a paragraph is long and has no tabs.
    if ((above.length > MAX_HEADING_LENGTH && !above.includes('\t')) || /[。；;]$/.test(above) || isPartHeading(above)) break;
    first--;
  }
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/**
 * The report's title: the first short line near the top that names a report of a year, or else
 * any report — page furniture above it (breadcrumbs "首页 > 政务公开 > 年度报告", an index
 * number, the publishing office) is skipped. A title set large wraps: "…工作年度" over "报告" is
 * one title. `end` is its last line.
 */
function findTitle(texts: readonly string[]): { text: string; end: number } | null {
  const top = texts.slice(0, 40);
  const titleLike = (text: string) => text !== '' && text.length <= MAX_TITLE_LENGTH && !/[。；]$/.test(text) && !/[>›»]/.test(text);
  const candidates = top.flatMap((text, index) => {
    const own = { text, end: index };
    const above = index > 0 ? top[index - 1]! : '';
    return titleLike(above) && `${above}${text}`.length <= MAX_TITLE_LENGTH ? [own, { text: `${above}${text}`, end: index }] : [own];
  });
  const namesReport = (text: string) => /报告|年报/.test(text);
  return (
    candidates.find((candidate) => titleLike(candidate.text) && namesReport(candidate.text) && /(?:19|20)\d{2}\s*年/.test(candidate.text.normalize('NFKC'))) ??
    candidates.find((candidate) => titleLike(candidate.text) && namesReport(candidate.text)) ??
    candidates.find((candidate) => candidate.text !== '') ??
    null
  );
}

function yearOf(text: string): number | null {
  const match = /((?:19|20)\d{2})\s*年/.exec(text.normalize('NFKC'));
  const year = match ? Number(match[1]) : null;
  return isReportYear(year) ? year : null;
}

/** A year named in the first paragraphs ("2023年度", "统计时限自2023年1月1日"), when the title names none. */
function yearOfText(texts: readonly string[]): number | null {
  for (const text of texts.slice(0, 60)) {
    const match = /((?:19|20)\d{2})\s*年度|自\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日/.exec(text.normalize('NFKC'));
    const year = match ? Number(match[1] ?? match[2]) : null;
    if (isReportYear(year)) return year;
  }
  return null;
}

/**
 * The parts of the report, each from its numbered heading to the next; what comes between the
 * title and the first heading (the report's preface) opens the first part. Lines that belonged to
 * a table are not text.
 */
function readSections(
  blocks: readonly SourceBlock[],
  texts: readonly string[],
  titleIndex: number | null,
  tablesAt: ReadonlyMap<number, string[]>,
  tableLines: ReadonlySet<number>,
): ImportedSection[] {
  const sections: ImportedSection[] = [];
  const preface: string[] = [];
  const prefaceTables: string[] = [];
  for (let index = (titleIndex ?? -1) + 1; index < blocks.length; index++) {
    const text = texts[index]!;
    const current = sections[sections.length - 1];
    (current?.tables ?? prefaceTables).push(...(tablesAt.get(index) ?? []));
    if (tableLines.has(index) || text === '') continue;
    if (isPartHeading(text)) sections.push({ title: text, text: '', tables: [] });
    else if (current) current.text += (current.text ? '\n' : '') + text;
    else preface.push(text);
  }
  if (sections.length === 0) sections.push({ title: '正文', text: '', tables: [] });
  const first = sections[0]!;
  first.text = [...preface, ...(first.text ? [first.text] : [])].join('\n');
  first.tables.unshift(...prefaceTables);
  return sections;
}

/**
 * The rules on an imported report, as on any other: its tables, its parts (S1, with the year's
 * format) and its text against its tables. `previous` is last year's annex when the district has it.
 */
export function importFindings(report: ImportedReport, context: { level?: BodyLevel; previous?: AnnexTables | null }): Finding[] {
  const format = reportFormats.find((candidate) => candidate.format === report.format)!;
  if (report.year === null) return validateAnnex({ format, tables: report.tables, previous: context.previous, level: context.level });
  const partSixTitle = normaliseTitle(format.sections.find((section) => section.sectionId === 'other')?.title ?? '');
  const ids = report.sections.map((_, index) => `part-${index + 1}`);
  const reading: ReportReading = {
    sections: report.sections.map((section, index) => ({ sectionId: ids[index]!, title: section.title, level: 1 })),
    placedTables: report.sections.flatMap((section) => section.tables),
    narrative: report.sections.flatMap((section, index) => section.text.split('\n').map((text) => ({ sectionId: ids[index]!, text }))),
    partSix: new Set(report.sections.flatMap((section, index) => (normaliseTitle(section.title) === partSixTitle ? [ids[index]!] : []))),
  };
  return validateReport({ format, tables: report.tables, previous: context.previous, level: context.level, year: report.year, reading });
}
