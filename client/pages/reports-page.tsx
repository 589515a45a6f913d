import { useEffect, useState } from 'react';
import { api, type ReportSummary } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../router.js';

export function ReportsPage() {
  const { t } = useI18n();
  const [reports, setReports] = useState<ReportSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.reports().then(setReports, (e: Error) => setError(e.message));
  }, []);
  return (
    <main className="reports-page">
      <h1>{t('reports')}</h1>
      {error && <p role="alert" className="form-error">{error}</p>}
      {!reports && !error && <p className="muted">{t('loading')}</p>}
      {reports?.length === 0 && <p className="muted">{t('noReports')}</p>}
      <ul className="report-list">
        {reports?.map((report) => (
          <li key={report.id}>
            <a
              href={`/reports/${encodeURIComponent(report.id)}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/reports/${encodeURIComponent(report.id)}`);
              }}
            >
              {report.title}
            </a>
            <span className="muted">
              {t('year')} {report.year} · {t('format')} {report.format}
            </span>
          </li>
        ))}
      </ul>
    </main>
  );
}
