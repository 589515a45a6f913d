import type { NarrativeBlock } from './narrative.js';
import { finding, type Finding } from './finding.js';
import { normaliseTitle } from './structure.js';

/** A section of last year's report as rule D1 compares it: matched by id, or else by its title. */
export interface LastYearSection {
  sectionId: string;
  title: string;
  text: string;
}

/** Runs of this many characters are compared: long enough that common phrases alone do not make two texts alike. */
const SHINGLE = 5;
/** The share of this year's text found in last year's above which a section is 雷同. */
export const SAME_AS_LAST_YEAR = 0.8;
/** Short parts ("无。", a sentence saying nothing happened) are alike every year, rightly. */
const MIN_CHARACTERS = 60;

function shingles(text: string): Set<string> {
  const compact = text.normalize('NFKC').replace(/\s/g, '');
  const runs = new Set<string>();
  for (let index = 0; index + SHINGLE <= compact.length; index++) runs.add(compact.slice(index, index + SHINGLE));
  return runs;
}

/**
 * How much of `text` is last year's: the share of its runs of characters that last year's text
 * also has. Linear in the texts' length, so the browser can run it as people type.
 */
function shareOfLastYear(text: string, theirs: ReadonlySet<string>): number {
  const mine = shingles(text);
  if (mine.size === 0) return 0;
  let shared = 0;
  for (const run of mine) if (theirs.has(run)) shared++;
  return shared / mine.size;
}

/**
 * Last year's runs, made once per section of last year: the browser runs the rules at every
 * change, and last year's text does not change.
 */
const lastYearRuns = new WeakMap<LastYearSection, Set<string>>();
function runsOfLastYear(section: LastYearSection): Set<string> {
  let runs = lastYearRuns.get(section);
  if (!runs) {
    runs = shingles(section.text);
    lastYearRuns.set(section, runs);
  }
  return runs;
}

/**
 * D1: a section whose text is nearly last year's (内容雷同) — the national format names
 * copy-paste reports as an accountability finding, and reports started from last year's text
 * carry it until it is rewritten.
 */
export function sameAsLastYearFindings(
  narrative: readonly NarrativeBlock[],
  sections: ReadonlyArray<{ sectionId: string; title: string }>,
  lastYear: readonly LastYearSection[],
): Finding[] {
  const textOf = new Map<string, string>();
  for (const block of narrative) textOf.set(block.sectionId, `${textOf.get(block.sectionId) ?? ''}${block.text}\n`);
  const findings: Finding[] = [];
  for (const section of sections) {
    const text = textOf.get(section.sectionId) ?? '';
    if (text.replace(/\s/g, '').length < MIN_CHARACTERS) continue;
    const before = lastYear.find((candidate) => candidate.sectionId === section.sectionId) ?? lastYear.find((candidate) => normaliseTitle(candidate.title) === normaliseTitle(section.title));
    if (!before) continue;
    const share = shareOfLastYear(text, runsOfLastYear(before));
    if (share < SAME_AS_LAST_YEAR) continue;
    const percent = Math.round(share * 100);
    findings.push(
      finding('D1', {
        cells: [],
        expected: null,
        actual: percent,
        sectionId: section.sectionId,
        message: `「${section.title}」的文字有 ${percent}% 与上年报告相同（内容雷同）。请按本年度的工作情况改写。`,
        messageEn: `"${section.title}" is ${percent}% the same as last year's report: rewrite it for this year.`,
      }),
    );
  }
  return findings;
}
