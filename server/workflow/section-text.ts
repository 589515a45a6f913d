import { diffArrays } from 'diff';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { figureText, type FigureAttrs } from '../../blocks/annex/annex-figure-node.js';
import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';
import { blockTexts, elementToJSON, findSectionElement, type NodeJSON } from '../../blocks/report-json.js';

export interface SectionVersion {
  content: NodeJSON | null;
  blocks: string[];
  /** The annex tables the section holds. */
  tableIds: string[];
}

/**
 * A section as it reads in `doc` (null content when the section did not exist then). With the
 * report's `tables`, linked figures read as the values they showed, as readers saw them.
 */
export function readSectionVersion(doc: Y.Doc, sectionId: string, tables?: AnnexTables): SectionVersion {
  const element = findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId);
  if (!element) return { content: null, blocks: [], tableIds: [] };
  const content = elementToJSON(element);
  const figureValue = tables ? (node: NodeJSON) => figureText(node.attrs as Partial<FigureAttrs>, tables) || '—' : undefined;
  return { content, blocks: blockTexts(content, figureValue), tableIds: tableIdsIn(content) };
}

/** The ids of the annex tables placed in `node`, in order. */
function tableIdsIn(node: NodeJSON): string[] {
  const ids: string[] = [];
  const pending = [node];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (current.type === ANNEX_TABLE_NODE && typeof current.attrs?.tableId === 'string') ids.push(current.attrs.tableId);
    pending.push(...(current.content ?? []));
  }
  return ids;
}

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });

/** Words for Chinese (and any other) text, with block breaks kept as their own token. */
function tokens(blocks: readonly string[]): string[] {
  const result: string[] = [];
  blocks.forEach((block, index) => {
    if (index > 0) result.push('\n');
    for (const { segment } of segmenter.segment(block)) result.push(segment);
  });
  return result;
}

/** What changed from `before` to `after`, word by word, as a reader would mark it up. */
export function compareBlocks(before: readonly string[], after: readonly string[]): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(tokens(before), tokens(after))) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.join('');
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
  return parts;
}
