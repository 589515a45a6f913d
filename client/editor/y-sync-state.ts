import type { EditorState } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

/** The editor's binding to the shared document: its body fragment and the node ↔ Yjs type mapping. */
export interface SyncState {
  type: Y.XmlFragment;
  binding: { mapping: Map<Y.AbstractType<unknown>, unknown>; doc: Y.Doc };
}

/** The editor's binding to the shared document, once it has one. */
export function syncState(state: EditorState): SyncState | null {
  const sync = ySyncPluginKey.getState(state) as (Omit<SyncState, 'binding'> & { binding: SyncState['binding'] | null }) | undefined;
  return sync?.binding ? (sync as SyncState) : null;
}
