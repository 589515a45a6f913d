import type * as Y from 'yjs';
import { readAnnexTables, type AnnexTables } from '../../blocks/annex/annex-data.js';
import { figureText, type FigureAttrs } from '../../blocks/annex/annex-figure-node.js';
import type { FormatDefinition } from '../../blocks/annex/definition.js';
import { readReport, type ReportReading } from '../../blocks/annex/report-reading.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';
import type { LastYearSection } from '../../blocks/annex/rules/same-as-last-year.js';
import { validateReport, type ReportValidationInput, type RulesContext } from '../../blocks/annex/validate.js';
import { blockTexts, readBodyJSON, type NodeJSON } from '../../blocks/report-json.js';
import { readSectionOutline, type SectionOutlineEntry } from '../../blocks/section/outline.js';
import { BODY_FIELD } from '../../blocks/contract.js';
import type { SectionText } from '../publish/report-changes.js';
import { readSectionVersion, type SectionVersion } from '../workflow/section-text.js';

/**
 * Everything the API reads from a report's document at one moment, as plain data: its numbers,
 * what the rules read in its text, each section's text and its outline. Made once per logged
 * update, on the thread that holds the document; it crosses to other threads as it is.
 */
export interface ReportDigest {
  /** The logged update the digest was made from. */
  seq: number;
  tables: AnnexTables;
  reading: ReportReading;
  sections: SectionText[];
  outline: SectionOutlineEntry[];
}

/** `body`: the document's body as JSON, when the caller has already read it (it is the costly part). */
export function digestReport(doc: Y.Doc, format: FormatDefinition, seq: number, body: NodeJSON = readBodyJSON(doc)): ReportDigest {
  const tables = readAnnexTables(doc, format);
  return { seq, tables, reading: readReport(body, format, tables), sections: sectionTexts(body, tables), outline: readSectionOutline(doc.getXmlFragment(BODY_FIELD)) };
}

const lastYearTexts = new WeakMap<ReportDigest, readonly LastYearSection[]>();

/**
 * Last year's report as rule D1 compares this year's with: each section's text. The same objects
 * for one digest, so that what D1 makes of last year's text once is found again.
 */
export function lastYearText(digest: ReportDigest): readonly LastYearSection[] {
  let text = lastYearTexts.get(digest);
  if (!text) {
    text = digest.sections.map((section) => ({ sectionId: section.id, title: section.title, text: section.blocks.join('\n') }));
    lastYearTexts.set(digest, text);
  }
  return text;
}

/** Each top-level section's text, with linked figures read as their values (what readers see). */
function sectionTexts(body: NodeJSON, tables: AnnexTables): SectionText[] {
  const figure = (node: { attrs?: Record<string, unknown> }) => figureText(node.attrs as Partial<FigureAttrs>, tables) || '—';
  return (body.content ?? [])
    .filter((node) => node.type === 'section')
    .map((node) => ({ id: String(node.attrs?.sectionId ?? ''), title: String(node.attrs?.title ?? ''), blocks: blockTexts(node, figure) }));
}

/** The findings last asked of a digest, and what else they were made from. */
interface KnownFindings {
  /** The format, the year and the context's plain data (its units, level and last year's figures), as JSON. */
  inputs: string;
  previousText: RulesContext['previousText'];
  findings: Promise<readonly Finding[]>;
}
const knownFindings = new WeakMap<ReportDigest, KnownFindings>();

/** Runs the rules over one report: here, or on another thread. */
export type RulesRunner = (input: ReportValidationInput) => Promise<readonly Finding[]>;

const runHere: RulesRunner = async (input) => validateReport(input);

/**
 * Every rule over the digested report — the same code the browser runs as people type. Made
 * again only when the digest or its context changed: a report nobody edits is asked the same
 * question again and again (a portal's dashboard, the publishing page). Questions asked while the
 * findings are being made share them; a run that fails is not kept.
 */
export function findingsOfDigest(digest: ReportDigest, format: FormatDefinition, year: number, context: RulesContext, run: RulesRunner = runHere): Promise<readonly Finding[]> {
  const { previousText, ...plain } = context;
  const inputs = JSON.stringify([format.format, year, plain]);
  const known = knownFindings.get(digest);
  if (known && known.inputs === inputs && known.previousText === previousText) return known.findings;
  const findings = run({ format, year, tables: digest.tables, reading: digest.reading, ...context });
  const made: KnownFindings = { inputs, previousText, findings };
  knownFindings.set(digest, made);
  findings.catch(() => {
    if (knownFindings.get(digest) === made) knownFindings.delete(digest);
  });
  return findings;
}

/** A section at one moment, with the report's numbers of that moment. */
export interface SectionThen {
  version: SectionVersion;
  tables: AnnexTables;
}

/** A section as the document holds it, with the document's numbers (its linked figures read as they show). */
export function sectionThen(doc: Y.Doc, format: FormatDefinition, sectionId: string): SectionThen {
  const tables = readAnnexTables(doc, format);
  return { version: readSectionVersion(doc, sectionId, tables), tables };
}
