import { useEffect, useMemo, useState } from 'react';
import { SectionViewContext, type SectionMeta, type SectionViewContextValue } from '../../blocks/section/view.js';
import { api, type Me, type SectionInfo } from '../api.js';
import { CollabSession, type CollabConnection, type ConnectionStatus, type SessionNotice } from '../collab/collab-session.js';
import { PresenceList } from '../editor/presence-list.js';
import { ReportEditor } from '../editor/report-editor.js';
import { useI18n, type MessageKey } from '../i18n.js';

const noticeText: Record<SessionNotice['kind'], MessageKey> = {
  refused: 'refusedEdit',
  'session-ended': 'sessionEnded',
  'server-error': 'serverError',
};

export function ReportPage({ reportId, me, onSessionEnded }: { reportId: string; me: Me; onSessionEnded: () => void }) {
  const { t, language } = useI18n();
  const [sections, setSections] = useState<SectionInfo[]>([]);
  const [connection, setConnection] = useState<CollabConnection | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [notice, setNotice] = useState<SessionNotice | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.sections(reportId).then(setSections, (e: Error) => setLoadError(e.message));
    const session = new CollabSession(reportId, {
      onConnection: setConnection,
      onStatus: setStatus,
      onNotice: (next) => {
        setNotice(next);
        if (next.kind === 'session-ended') onSessionEnded();
      },
    });
    return () => session.destroy();
  }, [reportId, onSessionEnded]);

  const sectionContext = useMemo<SectionViewContextValue>(() => {
    const meta = new Map<string, SectionMeta>(
      sections.map((s) => [
        s.id,
        { departmentName: language === 'en' ? s.departmentNameEn : s.departmentName, color: s.color, state: s.state, locked: s.locked },
      ]),
    );
    return {
      meta,
      labels: {
        states: { draft: t('stateDraft'), submitted: t('stateSubmitted'), approved: t('stateApproved'), returned: t('stateReturned') },
        unassigned: t('unassigned'),
        locked: t('locked'),
      },
    };
  }, [sections, language, t]);

  if (loadError) return <main className="report-page"><p role="alert" className="form-error">{loadError}</p></main>;

  return (
    <main className="report-page">
      <div className="report-status" data-status={status} role="status">
        {t(status)}
      </div>
      {notice && (
        <div className="notice" role="alert">
          {t(noticeText[notice.kind])}
          {notice.reason}
          <button type="button" onClick={() => setNotice(null)} aria-label="×">×</button>
        </div>
      )}
      <div className="report-layout">
        <nav className="outline" aria-label={t('outline')}>
          <h2>{t('outline')}</h2>
          <ol>
            {sections.map((s) => (
              <li key={s.id} className={`outline-level-${s.level}`}>
                <a href={`#section-${s.id}`} onClick={(event) => {
                  event.preventDefault();
                  document.querySelector(`[data-section-id="${CSS.escape(s.id)}"]`)?.scrollIntoView({ behavior: 'smooth' });
                }}>{s.title}</a>
                <span className="outline-department" style={{ color: s.color ?? undefined }}>
                  {(language === 'en' ? s.departmentNameEn : s.departmentName) ?? t('unassigned')}
                </span>
              </li>
            ))}
          </ol>
        </nav>
        <SectionViewContext.Provider value={sectionContext}>
          {connection ? <ReportEditor key={connection.doc.clientID} connection={connection} me={me} /> : <p className="muted editor-placeholder">{t('loading')}</p>}
        </SectionViewContext.Provider>
        {connection && <PresenceList awareness={connection.provider.awareness} sections={sections} />}
      </div>
    </main>
  );
}
