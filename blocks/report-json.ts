import * as Y from 'yjs';
import { BODY_FIELD } from './contract.js';
import { SECTION_NODE } from './section/section.js';

/** A ProseMirror node as JSON, read from the report's Yjs types without an editor. */
export interface NodeJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJSON[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

/** The live top-level element of the section with this id, if the body has one. */
export function findSectionElement(body: Y.XmlFragment, sectionId: string): Y.XmlElement | null {
  for (const child of body.toArray()) {
    if (child instanceof Y.XmlElement && child.nodeName === SECTION_NODE && child.getAttribute('sectionId') === sectionId) return child;
  }
  return null;
}

/** y-prosemirror stores overlapping marks under "<mark>--<hash>". */
export function markNameOfKey(key: string): string {
  return /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;
}

function textToJSON(text: Y.XmlText): NodeJSON[] {
  const nodes: NodeJSON[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const marks = Object.entries(op.attributes ?? {}).map(([key, attrs]) => {
      const mark: { type: string; attrs?: Record<string, unknown> } = { type: markNameOfKey(key) };
      if (attrs && typeof attrs === 'object' && Object.keys(attrs).length > 0) mark.attrs = attrs as Record<string, unknown>;
      return mark;
    });
    nodes.push(marks.length > 0 ? { type: 'text', text: op.insert, marks } : { type: 'text', text: op.insert });
  }
  return nodes;
}

/** An element and everything in it as ProseMirror JSON; read-only (unlike y-prosemirror's converter). */
export function elementToJSON(element: Y.XmlElement): NodeJSON {
  const content: NodeJSON[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlElement) content.push(elementToJSON(child));
    else if (child instanceof Y.XmlText) content.push(...textToJSON(child));
  }
  const node: NodeJSON = { type: element.nodeName };
  const attrs = element.getAttributes();
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  if (content.length > 0) node.content = content;
  return node;
}

/** The report's body as ProseMirror JSON, for the rules and the renderer, without an editor. */
export function readBodyJSON(doc: Y.Doc): NodeJSON {
  const content = doc
    .getXmlFragment(BODY_FIELD)
    .toArray()
    .filter((child): child is Y.XmlElement => child instanceof Y.XmlElement)
    .map((element) => elementToJSON(element));
  return { type: 'doc', content };
}

/** How an inline atom reads in plain text (a linked figure as its value, or its address). */
export type InlineAtomText = (node: NodeJSON) => string;

const INLINE_ATOMS = new Set(['hardBreak', 'annexFigure']);

function inlineText(child: NodeJSON, atomText: InlineAtomText): string {
  if (child.type === 'text') return child.text ?? '';
  if (child.type === 'hardBreak') return '\n';
  return atomText(child);
}

const figureAddress: InlineAtomText = (node) => `【${String(node.attrs?.cell ?? '')}${node.attrs?.of ? ` ÷ ${String(node.attrs.of)}` : ''}】`;

/**
 * The text of a node's blocks, one string per paragraph-like block, for reading, comparing and
 * checking. Linked figures read as their address unless `atomText` says otherwise.
 */
export function blockTexts(node: NodeJSON, atomText: InlineAtomText = figureAddress): string[] {
  const blocks: string[] = [];
  const visit = (current: NodeJSON) => {
    const children = current.content ?? [];
    if (children.length > 0 && children.every((child) => child.type === 'text' || INLINE_ATOMS.has(child.type))) {
      blocks.push(children.map((child) => inlineText(child, atomText)).join(''));
      return;
    }
    if (current.type === 'annexTable') blocks.push(`【附表 ${String(current.attrs?.tableId ?? '')}】`);
    for (const child of children) visit(child);
  };
  visit(node);
  return blocks;
}
