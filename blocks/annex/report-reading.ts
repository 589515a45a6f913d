import { figureText, type FigureAttrs } from './annex-figure-node.js';
import type { AnnexTables } from './annex-data.js';
import type { FormatDefinition } from './definition.js';
import type { NarrativeBlock } from './rules/narrative.js';
import { normaliseTitle, type ReportShape } from './rules/structure.js';
import { blockTexts, type NodeJSON } from '../report-json.js';

/** What the report-wide rules read of a document besides its tables. */
export interface ReportReading extends Omit<ReportShape, 'year'> {
  narrative: NarrativeBlock[];
  /** Sections making up part six (其他需要报告的事项), for rule T4. */
  partSix: Set<string>;
}

/**
 * Reads a report document (the editor's JSON, or the server's Y.Doc through `elementToJSON`)
 * for the rules: its sections, where its tables sit, and its text with every linked figure
 * showing its live value — the same text a reader sees.
 */
export function readReport(doc: NodeJSON, format: FormatDefinition, tables: AnnexTables): ReportReading {
  const sections: ReportReading['sections'][number][] = [];
  const placedTables: string[] = [];
  const narrative: NarrativeBlock[] = [];
  const partSix = new Set<string>();
  const partSixTitle = normaliseTitle(format.sections.find((section) => section.sectionId === 'other')?.title ?? '');
  let inPartSix = false;
  const atomText = (node: NodeJSON) => (node.type === 'annexFigure' ? figureText((node.attrs ?? {}) as Partial<FigureAttrs>, tables) : '');
  const findTables = (node: NodeJSON) => {
    if (node.type === 'annexTable' && typeof node.attrs?.tableId === 'string') placedTables.push(node.attrs.tableId);
    for (const child of node.content ?? []) findTables(child);
  };
  for (const section of doc.content ?? []) {
    if (section.type !== 'section') continue;
    const sectionId = String(section.attrs?.sectionId ?? '');
    const title = String(section.attrs?.title ?? '');
    const level = section.attrs?.level === 2 ? 2 : 1;
    sections.push({ sectionId, title, level });
    if (level === 1) inPartSix = normaliseTitle(title) === partSixTitle;
    if (inPartSix) partSix.add(sectionId);
    findTables(section);
    for (const text of blockTexts(section, atomText)) narrative.push({ sectionId, text });
  }
  return { sections, placedTables, narrative, partSix };
}
