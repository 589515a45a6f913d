import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, ReactNodeViewRenderer, useEditor, type Editor } from '@tiptap/react';
import type { EditorState } from '@tiptap/pm/state';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import { useEffect, useRef, useState } from 'react';
import { AnnexFigure } from '../../blocks/annex/annex-figure-node.js';
import { AnnexTable } from '../../blocks/annex/annex-table-node.js';
import { AnnexFigureView } from '../../blocks/annex/figure-view.js';
import { AnnexTableView } from '../../blocks/annex/table-view.js';
import type { AnnexViewModel } from '../../blocks/annex/view-context.js';
import { BODY_FIELD } from '../../blocks/contract.js';
import { reportExtensions } from '../../blocks/extensions.js';
import { mayChangeStructure } from '../../blocks/section/permissions.js';
import { Section } from '../../blocks/section/section.js';
import { SectionView } from '../../blocks/section/view.js';
import { writerOf, type Me } from '../api.js';
import { FigurePicker } from '../annex/figure-picker.js';
import type { CollabConnection } from '../collab/collab-session.js';
import { ContentLimits, type ReachableLimit } from './content-limits.js';
import { SectionMoves } from './section-moves.js';
import { SectionPermissions } from './section-permissions.js';
import { Toolbar } from './toolbar.js';
import { SuggestionComposer } from './suggestion-composer.js';
import { SuggestionMarks } from './suggestions.js';
import { ReviewMarks, type ReviewMarksSource } from './review-marks.js';
import { droppedOnPaste, insertWordDraft } from './word-draft.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { fillIn, formatDateTime } from '../publish/format.js';
import type { WordDraft } from '../../blocks/import/source.js';

const SectionWithView = Section.extend({
  addNodeView() {
    return ReactNodeViewRenderer(SectionView);
  },
});

/** The report's schema with the browser's node views attached; the schema itself stays in blocks/. */
const nodeViews = new Map([
  [Section.name, SectionWithView],
  [AnnexTable.name, AnnexTable.extend({ addNodeView: () => ReactNodeViewRenderer(AnnexTableView) })],
  [AnnexFigure.name, AnnexFigure.extend({ addNodeView: () => ReactNodeViewRenderer(AnnexFigureView) })],
]);

const editorExtensions = reportExtensions.map((extension) => nodeViews.get(extension.name) ?? extension);

/** The section the caret is in: the top-level node around the selection. */
function sectionAtSelection(state: EditorState): string | null {
  const { $from } = state.selection;
  if ($from.depth < 1) return null;
  const id: unknown = $from.node(1).attrs.sectionId;
  return typeof id === 'string' ? id : null;
}

const activeSectionId = (editor: Editor) => sectionAtSelection(editor.state);

/** Keys that would write: a character, or removing or splitting text. */
function isWritingKey(event: KeyboardEvent): boolean {
  if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return false;
  return event.key.length === 1 || event.key === 'Backspace' || event.key === 'Delete' || event.key === 'Enter';
}

interface ReportEditorProps {
  connection: CollabConnection;
  me: Me;
  /** Whether this user may write in a section now; changes as the lead office assigns and locks. */
  canEdit: (sectionId: string) => boolean;
  /** Counts the times a section this user could write in turned read-only. */
  accessLost: number;
  onBlocked: (sectionId: string | null) => void;
  /** A local edit was stopped because it would pass a content limit. */
  onLimit: (limit: ReachableLimit) => void;
  onEditor: (editor: Editor | null) => void;
  /** The report's numbers, for inserting linked figures; null until the format is known. */
  annex: AnnexViewModel | null;
  /** Turns a Word/WPS draft into what the section can hold (the server reads .docx). */
  convertWordDraft: (sectionId: string, file: File) => Promise<WordDraft>;
  /** Tells the user something happened (what a draft could not bring in). */
  onNotice: (message: string) => void;
  /** Whether this user may suggest changes in a section now (not locked, not a viewer). */
  canSuggest: (sectionId: string) => boolean;
  /** What changed since review in the sections the lead office reviews, marked in the text. */
  review: ReviewMarksSource | null;
}

export function ReportEditor({ connection, me, canEdit, accessLost, onBlocked, onLimit, onEditor, annex, convertWordDraft, onNotice, canSuggest, review }: ReportEditorProps) {
  const { t, language } = useI18n();
  const [pickingFigure, setPickingFigure] = useState(false);
  const [suggestMode, setSuggestMode] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const { doc, gate, provider } = connection;
  // The editor is built once per connection; its permission checks read the latest rules.
  const latest = useRef({ canEdit, canSuggest, onBlocked, onLimit, onNotice, t, language });
  latest.current = { canEdit, canSuggest, onBlocked, onLimit, onNotice, t, language };

  const editor = useEditor(
    {
      extensions: [
        ...editorExtensions,
        Collaboration.configure({ fragment: doc.getXmlFragment(BODY_FIELD) }),
        SectionMoves.configure({ fragment: doc.getXmlFragment(BODY_FIELD) }),
        CollaborationCaret.configure({ provider, user: { name: me.name, color: me.color } }),
        SectionPermissions.configure({
          canEdit: (sectionId) => latest.current.canEdit(sectionId),
          canMoveTables: () => mayChangeStructure(writerOf(me)),
          onBlocked: (sectionId) => latest.current.onBlocked(sectionId),
        }),
        ContentLimits.configure({ onRefused: (limit) => latest.current.onLimit(limit) }),
        ReviewMarks.configure({ source: review }),
        SuggestionMarks.configure({
          doc,
          labels: {
            describe: (entry) =>
              fillIn(latest.current.t('suggestionBy'), { author: entry.author, at: formatDateTime(entry.at, latest.current.language) }),
          },
        }),
      ],
      editorProps: {
        attributes: { class: 'report-editor', spellcheck: 'false', 'aria-label': '报告正文' },
        // A paste from Word or WPS keeps its text; say what it could not bring (pictures, text boxes).
        transformPastedHTML: (html) => {
          const dropped = droppedOnPaste(html);
          if (dropped.length > 0) latest.current.onNotice(droppedNotice(dropped, latest.current.t));
          return html;
        },
        // A read-only section cannot take the keystroke; say why instead of doing nothing.
        handleKeyDown: (view, event) => {
          const sectionId = isWritingKey(event) ? sectionAtSelection(view.state) : null;
          if (sectionId === null || latest.current.canEdit(sectionId)) return false;
          latest.current.onBlocked(sectionId);
          return true;
        },
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
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);

  useEffect(() => {
    // Undo replays edits straight into the shared document, past the permission checks: after one
    // of the user's sections was locked or reassigned, an old undo step could write where they no
    // longer may. Changes to anyone else's sections leave the history alone.
    if (editor && accessLost > 0) (yUndoPluginKey.getState(editor.state) as { undoManager?: { clear(): void } } | undefined)?.undoManager?.clear();
  }, [editor, accessLost]);

  // Suggesting (修订): the text takes no keystrokes of its own; they go to the composer's box instead.
  const composer = useRef<SuggestionComposer | null>(null);
  const suggesting = useRef(suggestMode);
  suggesting.current = suggestMode;
  useEffect(() => {
    if (!editor || !frame.current) return;
    const created = new SuggestionComposer(editor, {
      doc,
      author: me,
      frame: frame.current,
      maySuggest: (sectionId) => latest.current.canSuggest(sectionId),
      onRefused: (why) => latest.current.onNotice(latest.current.t(why === 'where' ? 'suggestWhere' : 'suggestNotAllowed')),
      label: latest.current.t('suggestBox'),
    });
    created.setActive(suggesting.current);
    composer.current = created;
    return () => {
      composer.current = null;
      created.destroy();
    };
  }, [editor, doc, me]);
  useEffect(() => {
    if (!editor) return;
    editor.setEditable(!suggestMode);
    composer.current?.setActive(suggestMode);
  }, [editor, suggestMode]);

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
    <div className={suggestMode ? 'editor-frame is-suggesting' : 'editor-frame'} ref={frame}>
      <Toolbar
        editor={editor}
        onInsertFigure={annex && !suggestMode ? () => setPickingFigure(true) : null}
        suggestMode={me.role === 'viewer' ? null : suggestMode}
        onSuggestMode={setSuggestMode}
        onWordDraft={(file) => {
          const sectionId = editor ? sectionAtSelection(editor.state) : null;
          if (!editor || sectionId === null) return onNotice(t('wordDraftWhere'));
          if (!canEdit(sectionId)) return onBlocked(sectionId);
          convertWordDraft(sectionId, file).then(
            (draft) => {
              if (!insertWordDraft(editor, sectionId, draft)) return onNotice(t('wordDraftWhere'));
              onNotice(draftNotice(draft, t));
            },
            (error: Error) => onNotice(error.message),
          );
        }}
      />
      <EditorContent editor={editor} />
      {pickingFigure && editor && annex && <FigurePicker editor={editor} model={annex} onClose={() => setPickingFigure(false)} />}
    </div>
  );
}

/** What a Word draft or paste left out, as the notice says it. */
function droppedNotice(dropped: WordDraft['dropped'], t: (key: MessageKey) => string): string {
  return `${t('wordDraftDropped')}${dropped.map((entry) => t(DROPPED_LABEL[entry.kind]).replace('{count}', String(entry.count))).join('、')}`;
}

/** What a Word draft brought in, and what it left out (pictures, footnotes, drawn objects). */
function draftNotice(draft: WordDraft, t: (key: MessageKey) => string): string {
  return draft.dropped.length === 0 ? t('wordDraftDone') : `${t('wordDraftDone')} ${droppedNotice(draft.dropped, t)}`;
}

const DROPPED_LABEL = { images: 'droppedImages', notes: 'droppedNotes', objects: 'droppedObjects' } as const satisfies Record<WordDraft['dropped'][number]['kind'], MessageKey>;
