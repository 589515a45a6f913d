import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { mayDecideSuggestions } from '../../blocks/section/permissions.js';
import { authorOfKey, isSuggestionEntry, PARAGRAPH_BREAK, type SuggestionEntry } from '../../blocks/suggestions.js';
import { api, writerOf, type Me, type SectionInfo } from '../api.js';
import { suggestionsOf } from '../editor/suggestions.js';
import { useI18n } from '../i18n.js';
import { formatDateTime } from '../publish/format.js';

export interface PendingSuggestion {
  key: string;
  entry: SuggestionEntry;
}

/** The report's pending suggestions, as they change in the shared document. */
export function useSuggestions(doc: Y.Doc | null): PendingSuggestion[] {
  const [pending, setPending] = useState<PendingSuggestion[]>([]);
  useEffect(() => {
    if (!doc) return setPending([]);
    const map = suggestionsOf(doc);
    const read = () =>
      setPending(
        [...map.entries()]
          .filter((pair): pair is [string, SuggestionEntry] => isSuggestionEntry(pair[1]))
          .map(([key, entry]) => ({ key, entry }))
          .sort((a, b) => a.entry.at - b.entry.at),
      );
    read();
    map.observe(read);
    return () => map.unobserve(read);
  }, [doc]);
  return pending;
}

interface SuggestionListProps {
  reportId: string;
  me: Me;
  section: SectionInfo;
  doc: Y.Doc | null;
  suggestions: PendingSuggestion[];
  onError(message: string): void;
}

/**
 * A section's pending suggestions by author: what each would change, and — for the section's
 * department and the lead office — accepting or rejecting one, one person's, or all; an author
 * withdraws their own.
 */
export function SuggestionList({ reportId, me, section, doc, suggestions, onError }: SuggestionListProps) {
  const { t, language } = useI18n();
  const [busy, setBusy] = useState(false);
  const mayDecide = mayDecideSuggestions(writerOf(me), { departmentId: section.department, locked: section.locked });
  const decide = (decision: 'accept' | 'reject', selection: { keys?: string[]; author?: number }) => {
    setBusy(true);
    api.decideSuggestions(reportId, section.id, { decision, ...selection }).then(
      () => setBusy(false),
      (error: Error) => {
        setBusy(false);
        onError(error.message);
      },
    );
  };
  const authors = [...new Set(suggestions.map(({ key }) => authorOfKey(key)!))];

  if (suggestions.length === 0) return <p className="muted">{t('noSuggestions')}</p>;
  return (
    <div className="suggestion-list" data-testid="suggestion-list">
      {mayDecide && (
        <p className="suggestion-actions">
          <button type="button" disabled={busy} onClick={() => decide('accept', {})}>{t('acceptAll')}</button>
          <button type="button" disabled={busy} onClick={() => decide('reject', {})}>{t('rejectAll')}</button>
        </p>
      )}
      {authors.map((author) => {
        const theirs = suggestions.filter(({ key }) => authorOfKey(key) === author);
        const first = theirs[0]!.entry;
        return (
          <section key={author} className="suggestion-author" style={{ ['--suggestion-color' as string]: first.color }}>
            <h3>
              {first.author}
              {mayDecide && theirs.length > 1 && (
                <span className="suggestion-actions">
                  <button type="button" className="link-button" disabled={busy} onClick={() => decide('accept', { author })}>{t('acceptTheirs')}</button>
                  <button type="button" className="link-button" disabled={busy} onClick={() => decide('reject', { author })}>{t('rejectTheirs')}</button>
                </span>
              )}
            </h3>
            <ol>
              {theirs.map(({ key, entry }) => (
                <li key={key} data-testid="suggestion" data-suggestion={key}>
                  <p>
                    {entry.quote !== '' && <del>{entry.quote}</del>}
                    {entry.text !== '' && <ins>{entry.text.replaceAll(PARAGRAPH_BREAK, '¶\n')}</ins>}
                  </p>
                  <p className="muted">{formatDateTime(entry.at, language)}</p>
                  {mayDecide && (
                    <>
                      <button type="button" data-testid="accept-suggestion" disabled={busy} onClick={() => decide('accept', { keys: [key] })}>{t('accept')}</button>
                      <button type="button" data-testid="reject-suggestion" disabled={busy} onClick={() => decide('reject', { keys: [key] })}>{t('reject')}</button>
                    </>
                  )}
                  {author === me.id && doc && (
                    <button type="button" className="link-button" onClick={() => suggestionsOf(doc).delete(key)}>{t('withdraw')}</button>
                  )}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </div>
  );
}
