import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { contentLimits } from '../../blocks/content-limits.js';

/** The limits an honest edit can reach from the editor (the others only a forged update can). */
export type ReachableLimit = 'maxDepth' | 'maxTableColumns' | 'maxSectionLength';

export interface ContentLimitsOptions {
  /** A local edit was stopped because it would pass `limit`. */
  onRefused: (limit: ReachableLimit) => void;
}

/** The ranges of the transaction's final document that its steps wrote. */
function changedRanges(tr: Transaction): Array<{ from: number; to: number }> {
  const ranges: Array<{ from: number; to: number }> = [];
  tr.mapping.maps.forEach((map, index) => {
    const rest = tr.mapping.slice(index + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      ranges.push({ from: rest.map(newStart, -1), to: rest.map(newEnd, 1) });
    });
  });
  return ranges;
}

/**
 * Which limit the changed ranges pass, or null. Depth counts every non-text node from the
 * section (1) down, as the server counts Yjs elements; a section's length is its ProseMirror
 * content size, which is never less than the length the server measures, so an edit allowed
 * here is never refused there.
 */
function passedLimit(doc: ProseMirrorNode, from: number, to: number): ReachableLimit | null {
  let passed: ReachableLimit | null = null;
  const visit = (node: ProseMirrorNode, start: number, depth: number) => {
    node.forEach((child, offset) => {
      if (passed) return;
      const childStart = start + offset;
      if (childStart + child.nodeSize < from || childStart > to || child.isText) return;
      if (depth + 1 > contentLimits.maxDepth) passed = 'maxDepth';
      else if (depth === 0 && child.content.size > contentLimits.maxSectionLength) passed = 'maxSectionLength';
      else if (child.type.name === 'tableRow' && rowWidth(child) > contentLimits.maxTableColumns) passed = 'maxTableColumns';
      else visit(child, childStart + 1, depth + 1);
    });
  };
  visit(doc, 0, 0);
  return passed;
}

function rowWidth(row: ProseMirrorNode): number {
  let width = 0;
  row.forEach((cell) => (width += Number(cell.attrs.colspan) || 1));
  return width;
}

/**
 * Keeps honest users inside the content limits the server enforces: an edit that would pass
 * one never happens and the user is told which, instead of the server refusing it and the
 * editor losing the connection.
 */
export const ContentLimits = Extension.create<ContentLimitsOptions>({
  name: 'contentLimits',

  addOptions() {
    return { onRefused: () => undefined };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin({
        key: new PluginKey('contentLimits'),
        filterTransaction(tr) {
          if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
          for (const { from, to } of changedRanges(tr)) {
            const limit = passedLimit(tr.doc, from, to);
            if (limit) {
              options.onRefused(limit);
              return false;
            }
          }
          return true;
        },
      }),
    ];
  },
});
