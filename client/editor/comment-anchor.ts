import type { Editor } from '@tiptap/core';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { syncState } from './y-sync-state.js';

export interface CommentAnchor {
  from: unknown;
  to: unknown;
}

/** The selection as Yjs relative positions: the anchor follows the text through everyone's edits. */
export function anchorOfSelection(editor: Editor): { anchor: CommentAnchor; quote: string; sectionId: string | null } | null {
  const state = syncState(editor.state);
  const { from, to, $from } = editor.state.selection;
  if (!state || from === to) return null;
  const mapping = state.binding.mapping as never;
  const anchor = {
    from: Y.relativePositionToJSON(absolutePositionToRelativePosition(from, state.type, mapping)),
    to: Y.relativePositionToJSON(absolutePositionToRelativePosition(to, state.type, mapping)),
  };
  const sectionId: unknown = $from.depth >= 1 ? $from.node(1).attrs.sectionId : null;
  return { anchor, quote: editor.state.doc.textBetween(from, to, ' ').slice(0, 500), sectionId: typeof sectionId === 'string' ? sectionId : null };
}

/** Selects and shows the text a comment is anchored to; false if that text is gone. */
export function revealAnchor(editor: Editor, anchor: CommentAnchor): boolean {
  const state = syncState(editor.state);
  if (!state) return false;
  const mapping = state.binding.mapping as never;
  const resolve = (json: unknown) =>
    relativePositionToAbsolutePosition(state.binding.doc, state.type, Y.createRelativePositionFromJSON(json), mapping);
  const from = resolve(anchor.from);
  const to = resolve(anchor.to);
  if (from === null || to === null || to <= from) return false;
  editor.chain().focus().setTextSelection({ from, to }).scrollIntoView().run();
  return true;
}
