import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

export interface SectionPermissionsOptions {
  /** Whether this user may write in the section; read at every local edit. */
  canEdit: (sectionId: string) => boolean;
  /** A local edit was stopped; `sectionId` is null when it would have changed the report's structure. */
  onBlocked: (sectionId: string | null) => void;
}

/** The sections a transaction's steps touch, and whether any step reaches the top level (structure). */
export function sectionsTouchedBy(tr: Transaction): { sectionIds: Set<string>; structure: boolean } {
  const sectionIds = new Set<string>();
  let structure = false;
  const note = (doc: ProseMirrorNode, from: number, to: number) => {
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
    const { from, to, pos } = step as unknown as { from?: number; to?: number; pos?: number };
    if (typeof from === 'number' && typeof to === 'number') note(doc, from, to);
    // An attribute step at a section's own position changes the section: structure.
    if (typeof pos === 'number') note(doc, pos, pos);
  });
  return { sectionIds, structure };
}

/**
 * Keeps honest users inside what the server allows: a local edit that would touch a section
 * this user may not write, or change the report's structure, never happens — so it never reaches
 * the server's guard. Remote changes (y-prosemirror's own transactions) always pass.
 */
export const SectionPermissions = Extension.create<SectionPermissionsOptions>({
  name: 'sectionPermissions',

  addOptions() {
    return { canEdit: () => false, onBlocked: () => undefined };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin({
        key: new PluginKey('sectionPermissions'),
        filterTransaction(tr) {
          if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
          const { sectionIds, structure } = sectionsTouchedBy(tr);
          if (structure) {
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
