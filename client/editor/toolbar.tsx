import { useEditorState, type Editor } from '@tiptap/react';
import { useI18n, type MessageKey } from '../i18n.js';

interface ToolbarAction {
  label: MessageKey;
  glyph: string;
  isActive?: (editor: Editor) => boolean;
  run: (editor: Editor) => void;
}

const actions: ToolbarAction[] = [
  { label: 'undo', glyph: '↶', run: (e) => e.chain().focus().undo().run() },
  { label: 'redo', glyph: '↷', run: (e) => e.chain().focus().redo().run() },
  { label: 'bold', glyph: 'B', isActive: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
  { label: 'italic', glyph: 'I', isActive: (e) => e.isActive('italic'), run: (e) => e.chain().focus().toggleItalic().run() },
  { label: 'heading', glyph: 'H', isActive: (e) => e.isActive('heading', { level: 3 }), run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run() },
  { label: 'bulletList', glyph: '•', isActive: (e) => e.isActive('bulletList'), run: (e) => e.chain().focus().toggleBulletList().run() },
  { label: 'orderedList', glyph: '1.', isActive: (e) => e.isActive('orderedList'), run: (e) => e.chain().focus().toggleOrderedList().run() },
  { label: 'insertTable', glyph: '⊞', run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
];

interface ToolbarProps {
  editor: Editor | null;
  onInsertFigure: (() => void) | null;
  onWordDraft: (file: File) => void;
  /** Whether typing makes suggestions (修订) instead of changing the text; null: this user cannot suggest. */
  suggestMode: boolean | null;
  onSuggestMode: (on: boolean) => void;
}

export function Toolbar({ editor, onInsertFigure, onWordDraft, suggestMode, onSuggestMode }: ToolbarProps) {
  const { t } = useI18n();
  // While suggesting, nothing here may change the text itself.
  const writable = editor !== null && !suggestMode;
  const active = useEditorState({
    editor,
    selector: ({ editor: current }) => actions.map((action) => (current && action.isActive ? action.isActive(current) : false)),
  });
  return (
    <div className="toolbar" role="toolbar" aria-label="格式">
      {actions.map((action, index) => (
        <button
          key={action.label}
          type="button"
          title={t(action.label)}
          aria-label={t(action.label)}
          aria-pressed={action.isActive ? Boolean(active?.[index]) : undefined}
          className={active?.[index] ? 'is-active' : undefined}
          disabled={!writable}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => editor && action.run(editor)}
        >
          {action.glyph}
        </button>
      ))}
      {onInsertFigure && (
        <button type="button" className="toolbar-text" disabled={!editor} onMouseDown={(event) => event.preventDefault()} onClick={onInsertFigure}>
          {t('insertFigure')}
        </button>
      )}
      {suggestMode !== null && (
        <button
          type="button"
          className={suggestMode ? 'toolbar-text is-active' : 'toolbar-text'}
          data-testid="suggest-mode"
          title={t('suggestHint')}
          aria-pressed={suggestMode}
          disabled={!editor}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onSuggestMode(!suggestMode)}
        >
          {t('suggest')}
        </button>
      )}
      <label className="toolbar-text toolbar-file" title={t('wordDraftHint')}>
        {t('wordDraft')}
        <input
          type="file"
          accept=".docx"
          data-testid="word-draft-file"
          disabled={!writable}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) onWordDraft(file);
          }}
        />
      </label>
    </div>
  );
}
