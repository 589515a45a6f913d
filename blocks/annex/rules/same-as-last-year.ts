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

/** The text as its runs are taken from: compatibility forms folded (全角 letters and digits), no whitespace. */
function compactText(text: string): string {
  return text.normalize('NFKC').replace(/\s/g, '');
}

/**
 * The text's runs of SHINGLE characters, each as a 30-bit hash rather than a substring: a 1 MB
 * report has some 300,000 runs, and a string and a set entry for each took twice as long as the
 * whole rule takes now (130 ms against 65 for 360,000 characters). Two runs sharing a hash count
 * as one: against last year's 30,000 runs, about one lookup in 35,000 finds a run last year did
 * not have — no share moves by a hundredth of a percent.
 */
function runHashes(compact: string): Uint32Array {
  const runs = new Uint32Array(Math.max(0, compact.length - SHINGLE + 1));
  for (let index = 0; index < runs.length; index++) {
    let hash = 0x811c9dc5;
    for (let offset = 0; offset < SHINGLE; offset++) hash = Math.imul(hash ^ compact.charCodeAt(index + offset), 0x01000193);
    // Mixed once more, so the bits kept depend on every character of the run.
    hash = Math.imul(hash ^ (hash >>> 15), 0x85ebca6b);
    runs[index] = (hash ^ (hash >>> 13)) >>> 2;
  }
  return runs;
}

/**
 * How much of the text is last year's: the share of its distinct runs of characters that last
 * year's text also has. Sorted, a run repeated is next to itself; fast enough for the browser to
 * run it as people type.
 */
function shareOfLastYear(compact: string, theirs: ReadonlySet<number>): number {
  const mine = runHashes(compact).sort();
  let distinct = 0;
  let shared = 0;
  for (let index = 0; index < mine.length; index++) {
    if (index > 0 && mine[index] === mine[index - 1]) continue;
    distinct++;
    if (theirs.has(mine[index]!)) shared++;
  }
  return distinct === 0 ? 0 : shared / distinct;
}

/**
 * Last year's runs, made once per section of last year: the browser runs the rules at every
 * change, and last year's text does not change.
 */
const lastYearRuns = new WeakMap<LastYearSection, Set<number>>();
function runsOfLastYear(section: LastYearSection): Set<number> {
  let runs = lastYearRuns.get(section);
  if (!runs) {
    runs = new Set(runHashes(compactText(section.text)));
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
  const blocksOf = new Map<string, string[]>();
  for (const block of narrative) {
    const blocks = blocksOf.get(block.sectionId);
    if (blocks) blocks.push(block.text);
    else blocksOf.set(block.sectionId, [block.text]);
  }
  const findings: Finding[] = [];
  for (const section of sections) {
    const before = lastYear.find((candidate) => candidate.sectionId === section.sectionId) ?? lastYear.find((candidate) => normaliseTitle(candidate.title) === normaliseTitle(section.title));
    if (!before) continue;
    const compact = compactText((blocksOf.get(section.sectionId) ?? []).join('\n'));
    if (compact.length < MIN_CHARACTERS) continue;
    const share = shareOfLastYear(compact, runsOfLastYear(before));
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
