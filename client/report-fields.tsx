import { REPORT_YEARS } from '../blocks/annex/formats/index.js';
import { contentLimits } from '../blocks/content-limits.js';
import { useI18n } from './i18n.js';

/** The year a report is of and its title, as every form that makes a report asks for them. */
export function ReportYearAndTitle({ year, onYear, title, onTitle }: { year: number; onYear: (year: number) => void; title: string; onTitle: (title: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t('year')}
        <input type="number" min={REPORT_YEARS.first} max={REPORT_YEARS.last} value={year} onChange={(event) => onYear(Number(event.target.value))} required />
      </label>
      <label>
        {t('newReportTitle')}
        <input value={title} onChange={(event) => onTitle(event.target.value)} required maxLength={contentLimits.maxTitleLength} />
      </label>
    </>
  );
}
