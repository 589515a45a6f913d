import { Extension, type Editor } from '@tiptap/core';
import type { Fragment, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import * as Y from 'yjs';
import { SECTION_NODE } from '../../blocks/section/section.js';

export interface SectionMovesOptions {
  /** The report body the editor is bound to. */
  fragment: Y.XmlFragment | null;
}

/** A section as this editor showed it just before a move reached it. */
interface SectionBeforeMove {
  sectionId: string;
  content: Fragment;
  /** The selection inside the section, as offsets from its start; null when it was elsewhere. */
  selection: { anchor: number; head: number } | null;
  /** Whether the copy is exactly what the move made (nobody has written in it yet). */
  untouchedCopy: boolean;
}

function findSection(doc: ProseMirrorNode, sectionId: string): { node: ProseMirrorNode; pos: number } | null {
  let found: { node: ProseMirrorNode; pos: number } | null = null;
  doc.forEach((node, pos) => {
    if (!found && node.type.name === SECTION_NODE && node.attrs.sectionId === sectionId) found = { node, pos };
  });
  return found;
}

/** Every item of a type's subtree, attributes (and the values they replaced) included. */
function* itemsOf(root: Y.AbstractType<any>): Generator<Y.Item> {
  const pending: Array<Y.AbstractType<any>> = [root];
  while (pending.length > 0) {
    const type = pending.pop()!;
    for (let item = type._start; item !== null; item = item.right) {
      yield item;
      if (item.content instanceof Y.ContentType) pending.push(item.content.type);
    }
    for (const latest of type._map.values()) {
      for (let item: Y.Item | null = latest; item !== null; item = item.left) yield item;
    }
  }
}

/** A copy no one has written in since it was made: all of it comes from the one writer that made it. */
function isUntouchedCopy(element: Y.XmlElement): boolean {
  const maker = element._item?.id.client;
  for (const item of itemsOf(element)) if (item.id.client !== maker) return false;
  return true;
}

/**
 * Nothing typed is lost when the lead office moves a section. Yjs cannot move: the server
 * replaces the section by a copy at its new place. What this user typed into the section and the
 * server had not yet received when it made the copy lands in the old, deleted place — so when a
 * move arrives, the editor writes the section as its user last saw it into the copy (only the
 * difference reaches the document) and puts the caret back where it was.
 */
export const SectionMoves = Extension.create<SectionMovesOptions, { stop: (() => void) | null }>({
  name: 'sectionMoves',

  addOptions() {
    return { fragment: null };
  },

  addStorage() {
    return { stop: null };
  },

  onCreate() {
    const { fragment } = this.options;
    if (!fragment) return;
    const editor = this.editor;
    // A shallow observer of the body runs before y-prosemirror redraws the editor (a deep
    // observer), so the editor still shows the sections as they were.
    const observe = (event: Y.YXmlEvent, transaction: Y.Transaction) => {
      if (transaction.local) return;
      const before: SectionBeforeMove[] = [];
      for (const item of event.changes.added) {
        const copy = item.content instanceof Y.ContentType ? item.content.type : null;
        if (!(copy instanceof Y.XmlElement)) continue;
        const sectionId = copy.getAttribute('sectionId');
        const shown = typeof sectionId === 'string' ? findSection(editor.state.doc, sectionId) : null;
        if (!shown || typeof sectionId !== 'string') continue;
        before.push({ sectionId, content: shown.node.content, selection: selectionIn(editor, shown), untouchedCopy: isUntouchedCopy(copy) });
      }
      // The redraw happens later in this same transaction; carry over once it is done.
      if (before.length > 0) queueMicrotask(() => carryOver(editor, before));
    };
    fragment.observe(observe);
    this.storage.stop = () => fragment.unobserve(observe);
  },

  onDestroy() {
    this.storage.stop?.();
    this.storage.stop = null;
  },
});

function selectionIn(editor: Editor, section: { node: ProseMirrorNode; pos: number }): SectionBeforeMove['selection'] {
  const { anchor, head } = editor.state.selection;
  const start = section.pos + 1;
  const end = section.pos + section.node.nodeSize - 1;
  const inside = (at: number) => at >= start && at <= end;
  return inside(anchor) && inside(head) ? { anchor: anchor - start, head: head - start } : null;
}

function carryOver(editor: Editor, sections: SectionBeforeMove[]): void {
  if (editor.isDestroyed) return;
  const tr = editor.state.tr;
  let selection: { anchor: number; head: number } | null = null;
  for (const before of sections) {
    const now = findSection(tr.doc, before.sectionId);
    if (!now) continue;
    const start = now.pos + 1;
    // Only into an untouched copy: there the difference is exactly what this user typed that the
    // server had not received; in a copy others have changed too it would undo their changes.
    if (before.untouchedCopy && !now.node.content.eq(before.content)) tr.replaceWith(start, now.pos + now.node.nodeSize - 1, before.content);
    if (before.selection) {
      const size = findSection(tr.doc, before.sectionId)!.node.content.size;
      const clamp = (offset: number) => start + Math.min(offset, size);
      selection = { anchor: clamp(before.selection.anchor), head: clamp(before.selection.head) };
    }
  }
  if (selection) tr.setSelection(TextSelection.between(tr.doc.resolve(selection.anchor), tr.doc.resolve(selection.head)));
  if (tr.docChanged || selection) editor.view.dispatch(tr);
}
