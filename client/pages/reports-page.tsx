import { useEffect, useState } from 'react';
import { DEFAULT_BODY_LEVEL, type BodyLevel } from '../../blocks/annex/body-level.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { LevelSelect } from '../annex/level-select.js';
import { ImportPanel } from '../import/import-panel.js';
import { AppLink } from '../app-link.js';
import { api, type Me, type ReportSummary } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../router.js';
import { ReportYearAndTitle } from '../report-fields.js';

/**
 * The lead office starts next year's report here: the format's parts and tables, or last year's
 * parts, owners, deadlines and text as a draft to rewrite — 上年结转 already filled from last
 * year's 结转下年度 either way.
 */
function NewReportForm({ reports, onError }: { reports: readonly ReportSummary[]; onError: (message: string) => void }) {
  const latest = reports[0];
  const { t } = useI18n();
  const [year, setYear] = useState(() => (latest ? latest.year + 1 : new Date().getFullYear() - 1));
  const [title, setTitle] = useState(() => latest?.title.replace(String(latest.year), String(latest.year + 1)) ?? '');
  const [level, setLevel] = useState<BodyLevel>(() => latest?.level ?? DEFAULT_BODY_LEVEL);
  const [fromLastYear, setFromLastYear] = useState(true);
  // Last year's report, if the district has it: the new one can start from its parts and text.
  const lastYear = reports.find((report) => report.year === year - 1);
  return (
    <form
      className="new-report-form"
      onSubmit={(event) => {
        event.preventDefault();
        api.createReport({ title, year, level, fromLastYear: Boolean(lastYear) && fromLastYear }).then(({ id }) => navigate(`/reports/${encodeURIComponent(id)}`), (error: Error) => onError(error.message));
      }}
    >
      <h2>{t('newReport')}</h2>
      <ReportYearAndTitle year={year} onYear={setYear} title={title} onTitle={setTitle} />
      <LevelSelect value={level} onChange={setLevel} />
      {lastYear && (
        <label className="checkbox-label">
          <input type="checkbox" data-testid="from-last-year" checked={fromLastYear} onChange={(event) => setFromLastYear(event.target.checked)} />
          {t('fromLastYear').replace('{title}', lastYear.title)}
        </label>
      )}
      <button type="submit">{t('create')}</button>
    </form>
  );
}

export function ReportsPage({ me }: { me: Me }) {
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
            <AppLink href={`/reports/${encodeURIComponent(report.id)}`}>{report.title}</AppLink>
            {report.archived && <span className="readonly-badge">{t('archived')}</span>}
            <span className="muted">
              {t('year')} {report.year} · {t('format')} {findFormat(report.format)?.title ?? report.format}
            </span>
          </li>
        ))}
      </ul>
      {me.role === 'lead' && reports && <NewReportForm reports={reports} onError={setError} />}
      {me.role === 'lead' && reports && <ImportPanel reports={reports} onError={setError} />}
    </main>
  );
}
