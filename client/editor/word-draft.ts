import type { Editor } from '@tiptap/core';
import type { WordDraft } from '../../blocks/import/source.js';

/**
 * Where a draft goes in its section: after the section's own text, before its annex table — or
 * in place of the section's only, empty paragraph. Null if the section is not in the document.
 */
function draftRange(editor: Editor, sectionId: string): { from: number; to: number } | null {
  let range: { from: number; to: number } | null = null;
  editor.state.doc.forEach((section, offset) => {
    if (range || section.attrs.sectionId !== sectionId) return;
    const start = offset + 1;
    if (section.childCount === 1 && section.firstChild!.type.name === 'paragraph' && section.firstChild!.content.size === 0) {
      range = { from: start, to: start + section.firstChild!.nodeSize };
      return;
    }
    let at = start + section.content.size;
    section.forEach((child, childOffset) => {
      if (child.type.name === 'annexTable' && start + childOffset < at) at = start + childOffset;
    });
    range = { from: at, to: at };
  });
  return range;
}

/**
 * Puts a converted Word draft into its section through the editor, as if typed: the section's
 * permission checks and the server's guard judge it like any other edit.
 */
export function insertWordDraft(editor: Editor, sectionId: string, draft: WordDraft): boolean {
  const range = draftRange(editor, sectionId);
  if (!range) return false;
  return editor.chain().focus().insertContentAt(range, draft.html, { updateSelection: true }).run();
}

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

/**
 * What a paste from Word or WPS carries that the report cannot hold: pictures (Word sends each as
 * VML and again as an <img>) and text boxes. The paste itself keeps the text.
 */
export function droppedOnPaste(html: string): WordDraft['dropped'] {
  const images = Math.max(count(html, /<img\b/gi), count(html, /<v:imagedata\b/gi));
  const objects = count(html, /<v:textbox\b/gi);
  return [
    { kind: 'images' as const, count: images },
    { kind: 'objects' as const, count: objects },
  ].filter((entry) => entry.count > 0);
}
