import type { Editor } from '@tiptap/core';
import { useEffect, useState } from 'react';
import { api, writerOf, type CommentInfo, type Me, type ReviewChanges, type SectionComparison, type SectionHistory, type SectionInfo } from '../api.js';
import { anchorOfSelection, revealAnchor } from '../editor/comment-anchor.js';
import { mayComment } from '../../blocks/section/permissions.js';
import { useI18n } from '../i18n.js';
import { ChangedCells } from '../publish/change-list.js';
import { fillIn } from '../publish/format.js';
import { SuggestionList, type PendingSuggestion } from './suggestion-list.js';
import type * as Y from 'yjs';

interface SectionPanelProps {
  reportId: string;
  me: Me;
  section: SectionInfo;
  comments: CommentInfo[];
  editor: Editor | null;
  /** Changes whenever the section's history may have grown. */
  revision: number;
  /** The report's shared document and the section's pending suggestions. */
  doc: Y.Doc | null;
  suggestions: PendingSuggestion[];
  onClose(): void;
  onError(message: string): void;
}

function formatTime(at: number, language: string): string {
  return new Date(at).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** One section's comment threads and its history, beside the editor. */
export function SectionPanel(props: SectionPanelProps) {
  const { t } = useI18n();
  const { reportId, section, revision, onError } = props;
  // Undefined until the server has answered: whether a review tab leads the strip decides where
  // every other tab sits, so the strip waits for it rather than shifting under a reader's click.
  const [review, setReview] = useState<ReviewChanges | null | undefined>(undefined);
  // The lead office opening a section that waits for review sees first what changed since.
  const [tab, setTab] = useState<'review' | 'suggestions' | 'comments' | 'history'>(props.me.role === 'lead' && section.state === 'submitted' ? 'review' : 'comments');
  useEffect(() => {
    api.reviewChanges(reportId, section.id).then(setReview, (error: Error) => {
      setReview((known) => known ?? null);
      onError(error.message);
    });
  }, [reportId, section.id, section.state, revision, onError]);
  return (
    <aside className="section-panel" aria-label={section.title} data-testid="section-panel">
      <header className="section-panel-header">
        <h2>{section.title}</h2>
        <button type="button" className="link-button" onClick={props.onClose} aria-label={t('close')}>×</button>
      </header>
      {review === undefined ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <>
          <div role="tablist" className="tabs">
            {review?.since && (
              <button type="button" role="tab" aria-selected={tab === 'review'} data-testid="review-tab" onClick={() => setTab('review')}>
                {t('reviewChanges')}
                {review.changed ? ' •' : ''}
              </button>
            )}
            <button type="button" role="tab" aria-selected={tab === 'suggestions'} data-testid="suggestions-tab" onClick={() => setTab('suggestions')}>
              {t('suggestions')}
              {props.suggestions.length > 0 ? ` (${props.suggestions.length})` : ''}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'comments'} onClick={() => setTab('comments')}>{t('comments')}</button>
            <button type="button" role="tab" aria-selected={tab === 'history'} data-testid="history-tab" onClick={() => setTab('history')}>{t('history')}</button>
          </div>
          {tab === 'review' && review?.since ? (
            <ReviewView review={review} />
          ) : tab === 'suggestions' ? (
            <SuggestionList reportId={reportId} me={props.me} section={section} doc={props.doc} suggestions={props.suggestions} onError={onError} />
          ) : tab === 'history' ? (
            <HistoryView {...props} />
          ) : (
            <CommentThreads {...props} />
          )}
        </>
      )}
    </aside>
  );
}

/** The section's text with what changed since the submission (or the return) marked: added text underlined, removed text struck through. */
function ReviewView({ review }: { review: ReviewChanges }) {
  const { t, language } = useI18n();
  const since = review.since!;
  return (
    <section className="comparison" data-testid="review-changes">
      <p className="muted">
        {fillIn(t(since.action === 'return' ? 'changesSinceReturn' : 'changesSinceSubmit'), { who: since.userName ?? t('systemUser'), at: formatTime(since.at, language) })}
      </p>
      {review.changed ? (
        <>
          <p className="diff">
            {review.parts.map((part, index) =>
              part.kind === 'added' ? <ins key={index}>{part.text}</ins> : part.kind === 'removed' ? <del key={index}>{part.text}</del> : <span key={index}>{part.text}</span>,
            )}
          </p>
          {review.cells.length > 0 && <ChangedCells cells={review.cells} />}
        </>
      ) : (
        <p>{t('noChangesSince')}</p>
      )}
    </section>
  );
}

function CommentThreads({ reportId, me, section, comments, editor, onError }: SectionPanelProps) {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState('');
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [reply, setReply] = useState('');
  const [showResolved, setShowResolved] = useState(false);
  const threads = comments.filter((c) => c.threadId === null && (showResolved || c.resolvedAt === null));
  const repliesOf = (id: string) => comments.filter((c) => c.threadId === id);

  const post = async (body: string, thread?: string) => {
    const selection = editor && !thread ? anchorOfSelection(editor) : null;
    const anchored = selection && selection.sectionId === section.id ? selection : null;
    await api.addComment(reportId, { section: section.id, body, thread, anchor: anchored?.anchor, quote: anchored?.quote });
  };

  return (
    <div className="comment-threads">
      {mayComment(writerOf(me)) && (
        <form
          className="comment-form"
          onSubmit={(event) => {
            event.preventDefault();
            post(draft).then(() => setDraft(''), (error: Error) => onError(error.message));
          }}
        >
          <label>
            {t('newComment')}
            <textarea value={draft} onChange={(event) => setDraft(event.target.value)} placeholder={t('commentHint')} data-testid="comment-input" />
          </label>
          <button type="submit" disabled={draft.trim() === ''}>{t('postComment')}</button>
        </form>
      )}
      <label className="muted small">
        <input type="checkbox" checked={showResolved} onChange={(event) => setShowResolved(event.target.checked)} /> {t('showResolved')}
      </label>
      {threads.length === 0 && <p className="muted">{t('noComments')}</p>}
      <ol className="threads">
        {threads.map((thread) => (
          <li key={thread.id} className={`thread kind-${thread.kind}${thread.resolvedAt ? ' is-resolved' : ''}`} data-testid="comment-thread">
            {[thread, ...repliesOf(thread.id)].map((comment) => (
              <article key={comment.id} className="comment">
                <header>
                  <span className="presence-dot" style={{ background: comment.color }} aria-hidden="true" />
                  <strong>{comment.userName}</strong>
                  {comment.kind === 'return' && <span className="state-badge state-returned">{t('returnedWithComment')}</span>}
                  <time className="muted">{formatTime(comment.at, language)}</time>
                </header>
                {comment.quote && (
                  <button
                    type="button"
                    className="comment-quote"
                    onClick={() => {
                      if (!editor || !comment.anchor || !revealAnchor(editor, comment.anchor)) onError(t('anchorGone'));
                    }}
                  >
                    “{comment.quote}”
                  </button>
                )}
                <p className="comment-body">{comment.body}</p>
              </article>
            ))}
            <div className="thread-actions">
              {mayComment(writerOf(me)) && !thread.resolvedAt && (
                <button type="button" className="link-button" onClick={() => { setReplyTo(thread.id); setReply(''); }}>{t('reply')}</button>
              )}
              {!thread.resolvedAt && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => api.resolveComment(reportId, thread.id).catch((error: Error) => onError(error.message))}
                >
                  {t('resolve')}
                </button>
              )}
              {thread.resolvedAt && <span className="muted">{t('resolved')}</span>}
            </div>
            {replyTo === thread.id && (
              <form
                className="comment-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  post(reply, thread.id).then(() => setReplyTo(null), (error: Error) => onError(error.message));
                }}
              >
                <textarea value={reply} onChange={(event) => setReply(event.target.value)} aria-label={t('reply')} />
                <button type="submit" disabled={reply.trim() === ''}>{t('postComment')}</button>
              </form>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

const auditKey: Record<string, Parameters<ReturnType<typeof useI18n>['t']>[0]> = {
  assign: 'auditAssign',
  deadline: 'auditDeadline',
  lock: 'auditLock',
  unlock: 'auditUnlock',
  submit: 'auditSubmit',
  approve: 'auditApprove',
  return: 'auditReturn',
  restore: 'auditRestore',
  'add-section': 'auditAdd',
  'remove-section': 'auditRemove',
  'move-section': 'auditMove',
  'retitle-section': 'auditRetitle',
  'approval-revoked': 'auditApprovalRevoked',
  'suggestions-accepted': 'auditSuggestionsAccepted',
  'suggestions-rejected': 'auditSuggestionsRejected',
};

type HistoryItem =
  | { kind: 'change'; at: number; change: SectionHistory['changes'][number] }
  | { kind: 'audit'; at: number; entry: SectionHistory['audit'][number] };

function HistoryView({ reportId, me, section, revision, onError }: SectionPanelProps) {
  const { t, language } = useI18n();
  const [history, setHistory] = useState<SectionHistory | null>(null);
  const [comparison, setComparison] = useState<SectionComparison | null>(null);
  // A history that could not be read says so and offers another try, instead of loading forever.
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    api.history(reportId, section.id).then(
      (read) => {
        setHistory(read);
        setFailed(false);
      },
      (error: Error) => {
        setFailed(true);
        onError(error.message);
      },
    );
  }, [reportId, section.id, revision, attempt, onError]);

  if (!history) {
    if (!failed) return <p className="muted">{t('loading')}</p>;
    return (
      <p className="muted" data-testid="history-failed">
        {t('loadFailed')}{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setFailed(false);
            setAttempt((n) => n + 1);
          }}
        >
          {t('retry')}
        </button>
      </p>
    );
  }
  const items: HistoryItem[] = [
    ...history.changes.map((change) => ({ kind: 'change' as const, at: change.endedAt, change })),
    ...history.audit.map((entry) => ({ kind: 'audit' as const, at: entry.at, entry })),
  ].sort((a, b) => b.at - a.at);

  return (
    <div className="history">
      {comparison && (
        <section className="comparison" aria-label={t('compare')} data-testid="comparison">
          <header>
            <strong>{t('compareTitle').replace('{seq}', String(comparison.from))}</strong>
            <button type="button" className="link-button" onClick={() => setComparison(null)}>{t('close')}</button>
          </header>
          <p className="diff">
            {comparison.parts.map((part, index) =>
              part.kind === 'added' ? <ins key={index}>{part.text}</ins> : part.kind === 'removed' ? <del key={index}>{part.text}</del> : <span key={index}>{part.text}</span>,
            )}
          </p>
          {comparison.cells.length > 0 && <ChangedCells cells={comparison.cells} />}
        </section>
      )}
      <ol className="history-list">
        {items.map((item) =>
          item.kind === 'change' ? (
            <li key={`c${item.change.toSeq}`} data-testid="history-change">
              <strong>{item.change.userName ?? t('systemUser')}</strong> · {t('editedTimes').replace('{n}', String(item.change.edits))}
              <time className="muted"> {formatTime(item.at, language)}</time>
              <span className="history-actions">
                <button type="button" className="link-button" data-testid="compare-button" onClick={() => api.compare(reportId, section.id, item.change.toSeq).then(setComparison, (error: Error) => onError(error.message))}>
                  {t('compareWithNow')}
                </button>
                {me.role === 'lead' && (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      if (window.confirm(t('restoreConfirm'))) api.restore(reportId, section.id, item.change.toSeq).catch((error: Error) => onError(error.message));
                    }}
                  >
                    {t('restore')}
                  </button>
                )}
              </span>
            </li>
          ) : (
            <li key={`a${item.entry.id}`} className="history-audit" data-testid="history-audit" data-action={item.entry.action}>
              <strong>{item.entry.userName ?? t('systemUser')}</strong> · {t(auditKey[item.entry.action] ?? 'auditOther')}
              {typeof item.entry.detail.comment === 'string' && <q> {item.entry.detail.comment}</q>}
              <time className="muted"> {formatTime(item.at, language)}</time>
            </li>
          ),
        )}
      </ol>
    </div>
  );
}
