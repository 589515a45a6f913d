import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { figureText, type FigureAttrs } from '../../blocks/annex/annex-figure-node.js';
import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import type { ReviewChanges } from '../api.js';

// What a department changed since the lead office last looked in review, marked in the editor
// itself: added words underlined, removed ones shown struck through where they stood. The server
// compares the section's blocks as text (server/workflow/section-text.ts); here that text is read
// from the editor the same way, character by character with its position, so each part of the
// comparison finds its place. When the editor's text is not the text compared (an edit on its
// way), nothing is marked until the comparison is read again.

export interface ReviewMarksSource {
  /** The comparison of each section under review, by section id. */
  changes(): ReadonlyMap<string, ReviewChanges['parts']>;
  /** The report's numbers, which linked figures read as. */
  tables(): AnnexTables;
}

const reviewMarksKey = new PluginKey<DecorationSet>('reviewMarks');

/** The section's text as the comparison reads it, with the document position of each character (-1: between blocks). */
function sectionText(section: ProseMirrorNode, start: number, tables: AnnexTables): { text: string; positions: number[] } {
  let text = '';
  const positions: number[] = [];
  let blocks = 0;
  const add = (chunk: string, position: number | ((index: number) => number)) => {
    for (let index = 0; index < chunk.length; index++) positions.push(typeof position === 'number' ? position : position(index));
    text += chunk;
  };
  const startBlock = () => {
    if (blocks++ > 0) add('\n', -1);
  };
  const visit = (node: ProseMirrorNode, pos: number) => {
    const inlineOnly = node.childCount > 0 && node.content.content.every((child) => child.isText || child.type.name === 'hardBreak' || child.type.name === 'annexFigure');
    if (inlineOnly) {
      startBlock();
      node.forEach((child, offset) => {
        const at = pos + 1 + offset;
        if (child.isText) add(child.text!, (index) => at + index);
        else if (child.type.name === 'hardBreak') add('\n', at);
        else add(figureText(child.attrs as Partial<FigureAttrs>, tables) || '—', at);
      });
      return;
    }
    if (node.type.name === 'annexTable') {
      startBlock();
      add(`【附表 ${String(node.attrs.tableId ?? '')}】`, pos);
    }
    node.forEach((child, offset) => visit(child, pos + 1 + offset));
  };
  section.forEach((child, offset) => visit(child, start + 1 + offset));
  return { text, positions };
}

/** Where removed words stood before character `at`: at the next character, or just after the one before (block breaks have no place). */
function placeBetween(positions: readonly number[], at: number): number | null {
  for (let index = at; index < positions.length; index++) if (positions[index]! >= 0) return positions[index]!;
  for (let index = at - 1; index >= 0; index--) if (positions[index]! >= 0) return positions[index]! + 1;
  return null;
}

function decorate(state: EditorState, source: ReviewMarksSource): DecorationSet {
  const decorations: Decoration[] = [];
  const changes = source.changes();
  state.doc.forEach((section, offset) => {
    const parts = changes.get(String(section.attrs.sectionId));
    if (!parts) return;
    const { text, positions } = sectionText(section, offset, source.tables());
    if (parts.filter((part) => part.kind !== 'removed').map((part) => part.text).join('') !== text) return;
    let at = 0;
    for (const part of parts) {
      if (part.kind === 'removed') {
        const where = placeBetween(positions, at) ?? offset + 1;
        decorations.push(
          Decoration.widget(where, () => {
            const removed = document.createElement('del');
            removed.className = 'review-removed';
            removed.textContent = part.text;
            return removed;
          }, { side: -1, ignoreSelection: true, key: `removed:${where}:${part.text}` }),
        );
        continue;
      }
      if (part.kind === 'added') {
        // One mark per run of characters that stand side by side in the document.
        let run: { from: number; to: number } | null = null;
        for (let index = at; index < at + part.text.length; index++) {
          const position = positions[index]!;
          if (position < 0) continue;
          if (run && position === run.to) run.to = position + 1;
          else {
            if (run) decorations.push(Decoration.inline(run.from, run.to, { class: 'review-added' }));
            run = { from: position, to: position + 1 };
          }
        }
        if (run) decorations.push(Decoration.inline(run.from, run.to, { class: 'review-added' }));
      }
      at += part.text.length;
    }
  });
  return DecorationSet.create(state.doc, decorations);
}

/** Redraws the marks: call when the comparisons were read again. */
export function refreshReviewMarks(view: { state: EditorState; dispatch: (tr: EditorState['tr']) => void }): void {
  view.dispatch(view.state.tr.setMeta(reviewMarksKey, true));
}

export const ReviewMarks = Extension.create<{ source: ReviewMarksSource | null }>({
  name: 'reviewMarks',
  addOptions() {
    return { source: null };
  },
  addProseMirrorPlugins() {
    const { source } = this.options;
    if (!source) return [];
    return [
      new Plugin<DecorationSet>({
        key: reviewMarksKey,
        state: {
          init: (_config, state) => decorate(state, source),
          apply: (tr, drawn, _before, after) => (tr.docChanged || tr.getMeta(reviewMarksKey) ? decorate(after, source) : drawn),
        },
        props: { decorations: (state) => reviewMarksKey.getState(state) },
      }),
    ];
  },
});
