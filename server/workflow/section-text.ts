import { diffArrays } from 'diff';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { blockTexts, elementToJSON, findSectionElement, type NodeJSON } from '../../blocks/report-json.js';

export interface SectionVersion {
  content: NodeJSON | null;
  blocks: string[];
}

/** A section as it reads in `doc` (null content when the section did not exist then). */
export function readSectionVersion(doc: Y.Doc, sectionId: string): SectionVersion {
  const element = findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId);
  if (!element) return { content: null, blocks: [] };
  const content = elementToJSON(element);
  return { content, blocks: blockTexts(content) };
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
