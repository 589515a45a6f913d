import { useState } from 'react';
import { MAX_SUGGESTION_TEXT } from '../../blocks/suggestions.js';
import { useI18n } from '../i18n.js';
import { ModalDialog } from '../publish/modal-dialog.js';

/**
 * Proposing a change to the selected words (or an insertion at the caret). The words are typed
 * in a plain text box, where every input method composes as it does anywhere, and go into the
 * report only as a suggestion.
 */
export function SuggestDialog({ quote, onSubmit, onClose }: { quote: string; onSubmit(text: string): void; onClose(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState(quote);
  const unchanged = text === quote;
  return (
    <ModalDialog title={t('suggestTitle')} onClose={onClose} testId="suggest-dialog">
      <form
        className="suggest-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!unchanged) onSubmit(text);
        }}
      >
        {quote === '' ? (
          <p className="muted">{t('suggestInsert')}</p>
        ) : (
          <p>
            {t('suggestReplace')}：<del>{quote}</del>
          </p>
        )}
        <label>
          {t('suggestWith')}
          <textarea data-testid="suggest-text" value={text} maxLength={MAX_SUGGESTION_TEXT} autoFocus onChange={(event) => setText(event.target.value)} />
        </label>
        <p>
          <button type="submit" data-testid="suggest-submit" disabled={unchanged}>{t('suggestSubmit')}</button>
          <button type="button" onClick={onClose}>{t('cancel')}</button>
        </p>
      </form>
    </ModalDialog>
  );
}
