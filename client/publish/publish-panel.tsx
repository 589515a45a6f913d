import { useCallback, useEffect, useId, useState } from 'react';
import { api, type Me, type Publication } from '../api.js';
import { useI18n } from '../i18n.js';
import { PreflightDialog } from './preflight-dialog.js';
import { PublicationsList } from './publications-list.js';

interface PublishPanelProps {
  reportId: string;
  me: Me;
  /** Bumped when the server says the publications or their push changed (its `publications` event). */
  revision: number;
  onOpenSection(sectionId: string): void;
  onError(message: string): void;
}

/**
 * The report's publications on its dashboard. Everyone who can see the report sees the published
 * versions; only the lead office publishes.
 */
export function PublishPanel({ reportId, me, revision, onOpenSection, onError }: PublishPanelProps) {
  const { t } = useI18n();
  const headingId = useId();
  const [publications, setPublications] = useState<Publication[] | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);

  const refresh = useCallback(() => {
    api.publications(reportId).then(setPublications, (error: Error) => onError(error.message));
  }, [reportId, onError]);
  useEffect(() => refresh(), [refresh, revision]);
  const redeliver = (publicationId: string) => {
    api.redeliver(reportId, publicationId).then(refresh, (error: Error) => onError(error.message));
  };

  return (
    <section className="publish-panel" aria-labelledby={headingId}>
      <header className="publish-panel-header">
        <h2 id={headingId}>{t('publishArea')}</h2>
        {me.role === 'lead' && (
          <button type="button" className="primary" data-testid="publish-open" aria-haspopup="dialog" onClick={() => setDialogOpen(true)}>
            {t('publishOpen')}
          </button>
        )}
      </header>
      <h3>{t('publications')}</h3>
      {publications === null ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <div className="publications" data-testid="publications-list">
          {publications.length === 0 ? <p className="muted">{t('noPublications')}</p> : <PublicationsList publications={publications} onRedeliver={me.role === 'lead' ? redeliver : null} />}
        </div>
      )}
      {dialogOpen && <PreflightDialog reportId={reportId} onClose={() => setDialogOpen(false)} onOpenSection={onOpenSection} onPublished={refresh} />}
    </section>
  );
}
