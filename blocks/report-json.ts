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

type MarkJSON = NonNullable<NodeJSON['marks']>[number];

/**
 * Changes proposed to a paragraph's text, shown in it as it is read (a draft with its revisions):
 * characters [from, to) marked, and text shown at a character offset. Offsets count the text's
 * characters as Yjs does, an embedded node as one.
 */
export interface TextRevisions {
  marks: ReadonlyArray<{ from: number; to: number; mark: MarkJSON }>;
  insertions: ReadonlyArray<{ at: number; text: string; mark: MarkJSON }>;
}

/** The revisions to show in a text, if any. */
export type RevisionsOf = (text: Y.XmlText) => TextRevisions | null;

function textToJSON(text: Y.XmlText, revisionsOf?: RevisionsOf): NodeJSON[] {
  const revisions = revisionsOf?.(text) ?? null;
  const nodes: NodeJSON[] = [];
  const waiting = [...(revisions?.insertions ?? [])].sort((a, b) => a.at - b.at);
  /** Shows the proposed insertions that come before character `at`. */
  const insertUpTo = (at: number) => {
    while (waiting.length > 0 && waiting[0]!.at <= at) {
      const insertion = waiting.shift()!;
      nodes.push({ type: 'text', text: insertion.text, marks: [insertion.mark] });
    }
  };
  let offset = 0;
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (typeof op.insert === 'string' && op.insert !== '') {
      const marks = Object.entries(op.attributes ?? {}).map(([key, attrs]) => {
        const mark: MarkJSON = { type: markNameOfKey(key) };
        if (attrs && typeof attrs === 'object' && Object.keys(attrs).length > 0) mark.attrs = attrs as Record<string, unknown>;
        return mark;
      });
      // Pieces cut where a revision starts or ends, each carrying the revisions over it.
      const inside = (at: number) => at > offset && at < offset + length;
      const cuts = [...(revisions?.marks ?? []).flatMap(({ from, to }) => [from, to]), ...waiting.map(({ at }) => at)].filter(inside).map((at) => at - offset);
      const points = [...new Set([0, ...cuts, length])].sort((a, b) => a - b);
      for (let index = 0; index + 1 < points.length; index++) {
        const [start, end] = [offset + points[index]!, offset + points[index + 1]!];
        insertUpTo(start);
        const over = (revisions?.marks ?? []).filter((revision) => revision.from <= start && revision.to >= end).map((revision) => revision.mark);
        const pieceMarks = [...marks, ...over];
        const piece = op.insert.slice(points[index], points[index + 1]);
        nodes.push(pieceMarks.length > 0 ? { type: 'text', text: piece, marks: pieceMarks } : { type: 'text', text: piece });
      }
    }
    offset += length;
  }
  insertUpTo(Number.POSITIVE_INFINITY);
  return nodes;
}

/** An element and everything in it as ProseMirror JSON; read-only (unlike y-prosemirror's converter). */
export function elementToJSON(element: Y.XmlElement, revisionsOf?: RevisionsOf): NodeJSON {
  const content: NodeJSON[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlElement) content.push(elementToJSON(child, revisionsOf));
    else if (child instanceof Y.XmlText) content.push(...textToJSON(child, revisionsOf));
  }
  const node: NodeJSON = { type: element.nodeName };
  const attrs = element.getAttributes();
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  if (content.length > 0) node.content = content;
  return node;
}

/** The report's body as ProseMirror JSON, for the rules and the renderer, without an editor; with `revisionsOf`, proposed changes marked in its text. */
export function readBodyJSON(doc: Y.Doc, revisionsOf?: RevisionsOf): NodeJSON {
  const content = doc
    .getXmlFragment(BODY_FIELD)
    .toArray()
    .filter((child): child is Y.XmlElement => child instanceof Y.XmlElement)
    .map((element) => elementToJSON(element, revisionsOf));
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
