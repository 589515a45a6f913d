import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { fixTablesKey } from '@tiptap/pm/tables';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';

export interface SectionPermissionsOptions {
  /** Whether this user may write in the section; read at every local edit. */
  canEdit: (sectionId: string) => boolean;
  /** Whether this user may place or remove annex tables (which decide who writes their cells). */
  canMoveTables: () => boolean;
  /** A local edit was stopped; `sectionId` is null when it would have changed the report's structure. */
  onBlocked: (sectionId: string | null) => void;
}

/** The sections a transaction's steps touch, and whether any step reaches the top level (structure). */
export function sectionsTouchedBy(tr: Transaction): { sectionIds: Set<string>; structure: boolean; movesTables: boolean } {
  const sectionIds = new Set<string>();
  let structure = false;
  let movesTables = false;
  const isTable = (node: ProseMirrorNode) => node.type.name === ANNEX_TABLE_NODE;
  const note = (doc: ProseMirrorNode, from: number, to: number) => {
    if (to > from) doc.nodesBetween(Math.max(0, from), Math.min(to, doc.content.size), (node) => {
      if (isTable(node)) movesTables = true;
      return !movesTables;
    });
    const $from = doc.resolve(Math.max(0, Math.min(from, doc.content.size)));
    const $to = doc.resolve(Math.max(0, Math.min(to, doc.content.size)));
    if ($from.depth === 0 || $to.depth === 0) {
      structure = true;
      return;
    }
    for (let index = $from.index(0); index <= $to.index(0); index++) {
      const id: unknown = doc.child(index).attrs.sectionId;
      if (typeof id === 'string') sectionIds.add(id);
    }
  };
  tr.steps.forEach((step, index) => {
    const doc = tr.docs[index]!;
    step.getMap().forEach((oldStart, oldEnd) => note(doc, oldStart, oldEnd));
    const { from, to, pos, slice } = step as unknown as { from?: number; to?: number; pos?: number; slice?: { content: { descendants(f: (node: ProseMirrorNode) => boolean | void): void } } };
    slice?.content.descendants((node) => {
      if (isTable(node)) movesTables = true;
    });
    if (typeof from === 'number' && typeof to === 'number') note(doc, from, to);
    // An attribute step at a section's own position changes the section: structure.
    if (typeof pos === 'number') note(doc, pos, pos);
  });
  return { sectionIds, structure, movesTables };
}

const lastChangeWasRemote = new PluginKey<boolean>('sectionPermissions');

/**
 * Keeps honest users inside what the server allows: a local edit that would touch a section
 * this user may not write, or change the report's structure, never happens — so it never reaches
 * the server's guard. Remote changes (y-prosemirror's own transactions) always pass.
 */
export const SectionPermissions = Extension.create<SectionPermissionsOptions>({
  name: 'sectionPermissions',

  addOptions() {
    return { canEdit: () => false, canMoveTables: () => false, onBlocked: () => undefined };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin({
        key: lastChangeWasRemote,
        state: {
          init: () => false,
          // Whether the document's last change came from someone else (y-prosemirror's transactions).
          apply: (tr, remote: boolean) => (tr.docChanged ? Boolean(tr.getMeta(ySyncPluginKey)) : remote),
        },
        filterTransaction(tr, state) {
          if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
          // An honest client writes only what its user does: the table plugin's automatic fix (completing
          // a ragged table) in answer to someone else's change would write in this user's name.
          if (tr.getMeta(fixTablesKey) && lastChangeWasRemote.getState(state)) return false;
          const { sectionIds, structure, movesTables } = sectionsTouchedBy(tr);
          if (structure || (movesTables && !options.canMoveTables())) {
            options.onBlocked(null);
            return false;
          }
          for (const sectionId of sectionIds) {
            if (!options.canEdit(sectionId)) {
              options.onBlocked(sectionId);
              return false;
            }
          }
          return true;
        },
      }),
    ];
  },
});
