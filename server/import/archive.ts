import { parseAnnexTables, type AnnexTables } from '../../blocks/annex/annex-data.js';
import { isBodyLevel, type BodyLevel } from '../../blocks/annex/body-level.js';
import type { FormatDefinition } from '../../blocks/annex/definition.js';
import { findFormat, formatIds } from '../../blocks/annex/formats/index.js';
import { normaliseTitle } from '../../blocks/annex/rules/structure.js';
import { contentLimits } from '../../blocks/content-limits.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import type { NodeJSON } from '../../blocks/report-json.js';
import { placeMissingTables, type NewSection } from '../annex/report-template.js';
import { isRecord } from '../../blocks/describe-value.js';

/** Parts an archived report may have: far more than any report's six or seven. */
const MAX_ARCHIVE_SECTIONS = 60;

export interface Archive {
  format: FormatDefinition;
  level: BodyLevel | undefined;
  sections: NewSection[];
  tables: AnnexTables;
}

/**
 * An earlier year's published report to keep, as the import preview read it (and the lead office
 * corrected): `{ format, sections: [{ title, text, tables? }], tables }`. The text becomes
 * paragraphs, one per line; each table is placed in the part that held it, or else in the part
 * the format gives it.
 */
export function parseArchive(input: Record<string, unknown>): Archive {
  if (typeof input.format !== 'string') throw invalidRequest(`"format" must be the format the report was published in: ${formatIds()}`);
  const format = findFormat(input.format);
  if (!format) throw refuse('format-unknown', { format: input.format, formats: formatIds() });
  const parsedTables = parseAnnexTables(input.tables ?? {}, format);
  if (!parsedTables.ok) throw invalidRequest(parsedTables.error);
  const tables = parsedTables.tables;
  if (Object.keys(tables).some((tableId) => tableId.includes('@'))) throw invalidRequest('an archived report keeps the district\'s own tables only, not units\' copies');
  if (!Array.isArray(input.sections) || input.sections.length === 0 || input.sections.length > MAX_ARCHIVE_SECTIONS) {
    throw invalidRequest(`"sections" must list the report's parts (1–${MAX_ARCHIVE_SECTIONS}), each { "title", "text" }`);
  }
  const placed = new Set<string>();
  const usedIds = new Set<string>();
  const sections = input.sections.map((entry: unknown, index): NewSection => {
    const where = `sections[${index}]`;
    if (!isRecord(entry)) throw invalidRequest(`${where} must be { "title", "text" }`);
    const title = typeof entry.title === 'string' ? entry.title.trim() : '';
    if (title === '' || title.length > contentLimits.maxTitleLength) throw refuse('title-length', { max: contentLimits.maxTitleLength });
    if (typeof entry.text !== 'string' || entry.text.length > contentLimits.maxSectionLength) throw invalidRequest(`${where}.text must be text of at most ${contentLimits.maxSectionLength} characters`);
    const tableIds = entry.tables ?? [];
    if (!Array.isArray(tableIds) || tableIds.some((id) => typeof id !== 'string' || !tables[id] || placed.has(id))) {
      throw invalidRequest(`${where}.tables must name tables given in "tables", each placed once`);
    }
    for (const id of tableIds as string[]) placed.add(id);
    // The format's own id where the part is the format's, so S1 and the editor know it.
    const templateId = format.sections.find((section) => normaliseTitle(section.title) === normaliseTitle(title))?.sectionId;
    const sectionId = templateId && !usedIds.has(templateId) ? templateId : `part-${index + 1}`;
    usedIds.add(sectionId);
    const paragraphs: NodeJSON[] = entry.text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] }));
    return {
      sectionId,
      title,
      level: 1,
      department: null,
      content: [...(paragraphs.length > 0 ? paragraphs : [{ type: 'paragraph' }]), ...(tableIds as string[]).map((tableId) => ({ type: 'annexTable', attrs: { tableId } }))],
    };
  });
  // Tables the preview found but no part claimed: where the format puts them, or at the end.
  placeMissingTables(sections, format, Object.keys(tables));
  return { format, level: isBodyLevel(input.level) ? input.level : undefined, sections, tables };
}
