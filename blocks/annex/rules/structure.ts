import type { FormatDefinition } from '../definition.js';
import { findFormat, formatOfYear } from '../formats/index.js';
import { finding, type Finding } from './finding.js';

/** What rule S1 reads of a report: its year, its top-level sections, and where its tables sit. */
export interface ReportShape {
  year: number;
  sections: ReadonlyArray<{ sectionId: string; title: string; level: number }>;
  /** Annex tables placed in the body, by id. */
  placedTables: readonly string[];
}

/** Titles compare without the differences real reports carry: full/half-width punctuation, spaces. */
export function normaliseTitle(title: string): string {
  return title.normalize('NFKC').replace(/[\s\u3000]/g, '').replace(/,/g, '、');
}

const structureFinding = (message: string, messageEn: string, severity?: 'warning'): Finding =>
  finding('S1', { cells: [], expected: null, actual: null, message, messageEn, ...(severity ? { severity } : {}) });

/**
 * S1: the parts the format requires, present, in order, under the format's titles, with its
 * tables placed — and, from 2021 on, the 2021 format itself, not the 2019 trial layout.
 */
export function structureFindings(format: FormatDefinition, shape: ReportShape): Finding[] {
  const findings = formatOfYearFindings(format, shape.year);
  if (!format.strictSections) return findings;
  const parts = shape.sections.filter((section) => section.level === 1);
  const titles = parts.map((section) => normaliseTitle(section.title));
  const required = format.sections.map((section) => ({ ...section, normalised: normaliseTitle(section.title) }));
  const positions = required.map((section) => titles.indexOf(section.normalised));
  // Parts whose title is none of the format's: a required part under another title, or an extra.
  const unmatched = parts.map((_, index) => index).filter((index) => !positions.includes(index));
  for (const [index, section] of required.entries()) {
    if (positions[index] !== -1) continue;
    const standIn = mistitledPart(section, parts, titles, unmatched);
    if (standIn === null) {
      findings.push(structureFinding(`缺少第${index + 1}部分「${section.title}」（或其标题与格式不符）。格式要求六部分齐全，“不能遗漏”。`, `Part ${index + 1} "${section.title}" is missing or mistitled.`));
      continue;
    }
    unmatched.splice(unmatched.indexOf(standIn), 1);
    positions[index] = standIn;
    const part = parts[standIn]!;
    findings.push({
      ...structureFinding(`「${part.title}」的标题应为「${section.title}」（格式规定的第${index + 1}部分标题）。`, `"${part.title}" should be titled "${section.title}" (part ${index + 1} of the format).`),
      sectionId: part.sectionId,
    });
  }
  const found = positions.filter((position) => position >= 0);
  if (found.some((position, index) => index > 0 && position < found[index - 1]!)) {
    findings.push(structureFinding('报告各部分顺序与格式不符，应依次为：' + required.map((section) => section.title).join('；') + '。', 'The parts are not in the format’s order.'));
  }
  for (const index of unmatched) {
    const section = parts[index]!;
    findings.push(structureFinding(`「${section.title}」不是格式规定的部分。请将其作为某一部分下的小节，或改用格式标题。`, `"${section.title}" is not a part of the format.`));
  }
  for (const section of required) {
    if (section.tableId && !shape.placedTables.includes(section.tableId)) {
      findings.push(structureFinding(`「${section.title}」缺少附表${section.tableId}。`, `Table ${section.tableId} is not placed in "${section.title}".`));
    }
  }
  return findings;
}

/** S1's part that reads only the year: from 2021 on, the 2021 format itself, not the 2019 trial layout. */
export function formatOfYearFindings(format: FormatDefinition, year: number): Finding[] {
  const expectedFormat = formatOfYear(year);
  if (year < 2021 || format.format === expectedFormat) return [];
  return [
    structureFinding(
      `${year}年度报告应使用${findFormat(expectedFormat)?.title ?? expectedFormat}，而本报告使用的是${format.title}（如2019年表格样式）。`,
      `A ${year} report must use the 2021 format, not ${format.format}.`,
    ),
  ];
}

/** The leading number of a part's title ("四、…"), as reports number their parts. */
const ordinalOf = (normalisedTitle: string) => /^([一二三四五六七八九十]+)、/.exec(normalisedTitle)?.[1] ?? null;

/**
 * Which of the `unmatched` parts is a required part under another title: the one that is that
 * part in the report (its section id), or else the one numbered as it is ("四、…").
 */
function mistitledPart(
  section: { sectionId: string; normalised: string },
  parts: ReportShape['sections'],
  titles: readonly string[],
  unmatched: readonly number[],
): number | null {
  const byId = unmatched.find((index) => parts[index]!.sectionId === section.sectionId);
  if (byId !== undefined) return byId;
  const ordinal = ordinalOf(section.normalised);
  return unmatched.find((index) => ordinal !== null && ordinalOf(titles[index]!) === ordinal) ?? null;
}

/** Reports of 2021 on that still cite the 2019 trial format's notice (a warning: text, not tables). */
export function outdatedCitationFindings(year: number, texts: ReadonlyArray<{ sectionId: string; text: string }>): Finding[] {
  if (year < 2021) return [];
  const citing = texts.find((block) => /〔2019〕60号|\[2019\]60号/.test(block.text.normalize('NFKC').replace(/\s/g, '')));
  if (!citing) return [];
  return [
    {
      ...structureFinding(
        '正文引用了已被替代的国办公开办函〔2019〕60号；2021年度起应按国办公开办函〔2021〕30号格式编制。',
        'The text cites the superseded 2019 trial format; reports from 2021 use 国办公开办函〔2021〕30号.',
        'warning',
      ),
      sectionId: citing.sectionId,
    },
  ];
}
