import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, ApiRequestError, type Preflight } from '../api.js';
import { useI18n, type Language, type MessageKey } from '../i18n.js';
import { ChangeList } from './change-list.js';
import { fillIn } from './format.js';
import { ModalDialog } from './modal-dialog.js';
import { FindingList, OverdueSections, UnapprovedSections } from './preflight-checks.js';

interface PreflightDialogProps {
  reportId: string;
  onClose(): void;
  /** Leaves the dialog for a section, to review or fix it. */
  onOpenSection(sectionId: string): void;
  onPublished(): void;
}

type Published = { version: number; url: string };

/** The status line: whether the report can go out, and if not, what holds it back. */
function statusText(preflight: Preflight, t: (key: MessageKey) => string, language: Language): string {
  const errors = preflight.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = preflight.findings.filter((finding) => finding.severity === 'warning').length;
  const reasons = preflight.ready
    ? warnings > 0 ? [fillIn(t('statusWarnings'), { n: warnings })] : []
    : [
        ...(preflight.unapproved.length > 0 ? [fillIn(t('statusUnapproved'), { n: preflight.unapproved.length })] : []),
        ...(errors > 0 ? [fillIn(t('statusErrors'), { n: errors })] : []),
      ];
  const verdict = preflight.ready ? t('statusReady') : t('statusNotReady');
  return reasons.length > 0 ? `${verdict}${language === 'en' ? ': ' : '：'}${reasons.join(' · ')}` : verdict;
}

function PublishResult({ published }: { published: Published }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // The publish button this replaces had focus; give it to the outcome so it is read out and Tab continues from here.
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="publish-result" data-testid="publish-result" role="status" tabIndex={-1} ref={ref}>
      <p>{fillIn(t('publishedVersion'), { n: published.version })}</p>
      <a href={published.url} target="_blank" rel="noopener noreferrer">
        {t('viewPublicPage')} ↗<span className="visually-hidden">{t('opensInNewTab')}</span>
      </a>
    </div>
  );
}

/**
 * The last look before the report goes public: what blocks it, what to acknowledge, what changed
 * since the last version and since last year, and the note that explains a correction.
 */
export function PreflightDialog({ reportId, onClose, onOpenSection, onPublished }: PreflightDialogProps) {
  const { t, language } = useI18n();
  const noteId = useId();
  const noteHintId = useId();
  const blockedId = useId();
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  const [checking, setChecking] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [note, setNote] = useState('');
  const [publishing, setPublishing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [published, setPublished] = useState<Published | null>(null);
  const generation = useRef(0);
  const problemRef = useRef<HTMLParagraphElement>(null);
  // The publish button went disabled under the keyboard user's focus; take them to why it failed.
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  const check = useCallback(() => {
    // Only the newest answer counts: an older one may describe the report before a fix.
    const mine = ++generation.current;
    setChecking(true);
    setLoadError(null);
    api.preflight(reportId).then(
      (next) => {
        if (mine !== generation.current) return;
        setPreflight(next);
        // The warnings may be different ones now; what was acknowledged was the old list.
        setAcknowledged(false);
        setChecking(false);
      },
      (error: Error) => {
        if (mine !== generation.current) return;
        setLoadError(error.message);
        setChecking(false);
      },
    );
  }, [reportId]);
  useEffect(() => check(), [check]);

  const openSection = (sectionId: string) => {
    onClose();
    onOpenSection(sectionId);
  };

  const publish = async () => {
    setPublishing(true);
    setProblem(null);
    try {
      setPublished(await api.publish(reportId, note.trim(), acknowledged ? [...new Set(warnings.map((finding) => finding.rule))] : []));
      onPublished();
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 409) {
        setProblem(`${t('publishConflict')}${language === 'en' ? ' ' : ''}${error.message}`);
        check();
      } else {
        setProblem((error as Error).message);
      }
    } finally {
      setPublishing(false);
    }
  };

  const findings = preflight?.findings ?? [];
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  const notes = findings.filter((finding) => finding.severity === 'info');
  // A correction replaces a page the public may already have read, so it must say why.
  const isCorrection = preflight?.changes.sinceLastVersion != null;
  const blocked: MessageKey | null = !preflight?.ready
    ? 'blockedByChecks'
    : warnings.length > 0 && !acknowledged
      ? 'blockedByWarnings'
      : isCorrection && note.trim() === ''
        ? 'blockedByNote'
        : null;

  return (
    <ModalDialog title={t('preflightTitle')} onClose={onClose} canClose={!publishing} className="preflight-dialog" testId="publish-dialog">
      {published ? (
        <>
          <PublishResult published={published} />
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>{t('close')}</button>
          </div>
        </>
      ) : (
        <form
          className="preflight"
          aria-busy={checking}
          onSubmit={(event) => {
            event.preventDefault();
            if (blocked === null && !checking && !publishing) void publish();
          }}
        >
          <div className="preflight-status-line">
            <p
              className="preflight-status"
              role="status"
              data-testid="publish-status"
              data-ready={preflight ? String(preflight.ready) : undefined}
            >
              {preflight ? statusText(preflight, t, language) : checking ? t('preflightChecking') : ''}
            </p>
            <button type="button" onClick={check} disabled={checking || publishing}>{checking ? t('preflightChecking') : t('recheck')}</button>
          </div>
          {loadError && <p role="alert" className="form-error">{loadError}</p>}
          {preflight && (
            <>
              {preflight.unapproved.length > 0 && <UnapprovedSections sections={preflight.unapproved} onOpenSection={openSection} />}
              {preflight.overdue.length > 0 && <OverdueSections sections={preflight.overdue} onOpenSection={openSection} />}
              {errors.length > 0 && (
                <section className="preflight-group preflight-blocking">
                  <h3>{t('errorsHeading')}</h3>
                  <FindingList findings={errors} onOpenSection={openSection} />
                </section>
              )}
              {warnings.length > 0 && (
                <section className="preflight-group">
                  <h3>{t('warningsHeading')}</h3>
                  <FindingList findings={warnings} onOpenSection={openSection} />
                  <label className="preflight-ack">
                    <input type="checkbox" required data-testid="publish-ack" checked={acknowledged} onChange={(event) => setAcknowledged(event.target.checked)} />
                    {t('acknowledgeWarnings')}
                  </label>
                </section>
              )}
              {notes.length > 0 && (
                <details className="preflight-group preflight-notes">
                  <summary>{fillIn(t('infoHeading'), { n: notes.length })}</summary>
                  <FindingList findings={notes} onOpenSection={openSection} />
                </details>
              )}
              <ChangeList heading={t('changesSinceVersion')} changes={preflight.changes.sinceLastVersion} absent={t('neverPublished')} testId="changes-since-version" />
              <ChangeList heading={t('changesSinceYear')} changes={preflight.changes.sinceLastYear} absent={t('noLastYearReport')} testId="changes-since-year" />
              <div className="preflight-note">
                <label htmlFor={noteId}>
                  {t('publicationNote')}
                  {isCorrection && t('required')}
                </label>
                <textarea
                  id={noteId}
                  data-testid="publish-note"
                  value={note}
                  required={isCorrection}
                  aria-describedby={noteHintId}
                  onChange={(event) => setNote(event.target.value)}
                />
                <p id={noteHintId} className="muted small">{isCorrection ? t('noteRequiredHint') : t('noteOptionalHint')}</p>
              </div>
            </>
          )}
          {problem && <p role="alert" className="form-error" data-testid="publish-problem" tabIndex={-1} ref={problemRef}>{problem}</p>}
          {preflight && blocked && <p id={blockedId} className="muted small preflight-blocked">{t(blocked)}</p>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose} disabled={publishing}>{t('cancel')}</button>
            {preflight && (
              <button
                type="submit"
                className="primary"
                data-testid="publish-submit"
                disabled={blocked !== null || checking || publishing}
                aria-busy={publishing}
                aria-describedby={blocked ? blockedId : undefined}
              >
                {publishing ? t('publishing') : t('publishSubmit')}
              </button>
            )}
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
