import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, ReactNodeViewRenderer, useEditor, type Editor } from '@tiptap/react';
import { useEffect } from 'react';
import { BODY_FIELD } from '../../blocks/contract.js';
import { reportExtensions } from '../../blocks/extensions.js';
import { Section } from '../../blocks/section/section.js';
import { SectionView } from '../../blocks/section/view.js';
import type { Me } from '../api.js';
import type { CollabConnection } from '../collab/collab-session.js';
import { Toolbar } from './toolbar.js';

const SectionWithView = Section.extend({
  addNodeView() {
    return ReactNodeViewRenderer(SectionView);
  },
});

const editorExtensions = reportExtensions.map((extension) => (extension.name === Section.name ? SectionWithView : extension));

/** The section the caret is in: the top-level node around the selection. */
function activeSectionId(editor: Editor): string | null {
  const { $from } = editor.state.selection;
  if ($from.depth < 1) return null;
  const id: unknown = $from.node(1).attrs.sectionId;
  return typeof id === 'string' ? id : null;
}

export function ReportEditor({ connection, me }: { connection: CollabConnection; me: Me }) {
  const { doc, gate, provider } = connection;

  const editor = useEditor(
    {
      extensions: [
        ...editorExtensions,
        Collaboration.configure({ fragment: doc.getXmlFragment(BODY_FIELD) }),
        CollaborationCaret.configure({ provider, user: { name: me.name, color: me.color } }),
      ],
      editorProps: {
        attributes: { class: 'report-editor', spellcheck: 'false', 'aria-label': '报告正文' },
        handleDOMEvents: {
          compositionstart: () => {
            gate.setComposing(true);
            return false;
          },
          compositionend: (view) => {
            // ProseMirror commits the composed text in a microtask after compositionend;
            // remote edits wait until it has, so they merge with the final text.
            setTimeout(() => {
              if (!view.composing) gate.setComposing(false);
            }, 0);
            return false;
          },
        },
      },
      shouldRerenderOnTransaction: false,
    },
    [connection],
  );

  useEffect(() => {
    if (!editor) return;
    const announce = () => provider.awareness.setLocalStateField('sectionId', activeSectionId(editor));
    editor.on('selectionUpdate', announce);
    editor.on('focus', announce);
    return () => {
      editor.off('selectionUpdate', announce);
      editor.off('focus', announce);
    };
  }, [editor, provider]);

  return (
    <div className="editor-frame">
      <Toolbar editor={editor} />
      <EditorContent editor={editor} />
    </div>
  );
}
