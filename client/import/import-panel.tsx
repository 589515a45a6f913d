import { useState } from 'react';
import { columnsOfRow, type TableDefinition } from '../../blocks/annex/definition.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import type { ImportPreview } from '../../blocks/import/report-import.js';
import { IMPORT_FILE_TYPES, MAX_IMPORT_BYTES } from '../../blocks/import/source.js';
import { unreadMessage } from '../../blocks/import/unread-text.js';
import { api, type ReportSummary } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../router.js';
import { ReportYearAndTitle } from '../report-fields.js';

/**
 * The lead office brings in a report its district published before (the portal page, its DOCX or
 * PDF, or its text): it sees every figure read, every cell that could not be read and the rules'
 * findings, then keeps it as that year's archived report, or as last year's figures of a report
 * being written.
 */
export function ImportPanel({ reports, onError }: { reports: readonly ReportSummary[]; onError: (message: string) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [year, setYear] = useState('');
  const [reading, setReading] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);

  const read = () => {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) return onError(t('importTooLarge'));
    setReading(true);
    api
      .importPreview(file, /^\d{4}$/.test(year) ? Number(year) : null)
      .then(setPreview, (error: Error) => onError(error.message))
      .finally(() => setReading(false));
  };

  return (
    <section className="import-panel" aria-labelledby="import-heading">
      <h2 id="import-heading">{t('importReport')}</h2>
      <p className="muted">{t('importHint')}</p>
      <form
        className="import-form"
        onSubmit={(event) => {
          event.preventDefault();
          read();
        }}
      >
        <label>
          {t('importFile')}
          <input type="file" data-testid="import-file" accept={IMPORT_FILE_TYPES.join(',')} onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setPreview(null);
          }} required />
        </label>
        <label>
          {t('importYear')}
          <input inputMode="numeric" pattern="\d{4}" placeholder={t('importYearAuto')} value={year} onChange={(event) => setYear(event.target.value)} />
        </label>
        <button type="submit" disabled={!file || reading}>{reading ? t('importReading') : t('importRead')}</button>
      </form>
      {preview && <ImportPreviewView preview={preview} reports={reports} onError={onError} onDone={() => setPreview(null)} />}
    </section>
  );
}

function ImportPreviewView({ preview, reports, onError, onDone }: { preview: ImportPreview; reports: readonly ReportSummary[]; onError: (message: string) => void; onDone: () => void }) {
  const { t, language } = useI18n();
  const format = findFormat(preview.format)!;
  const [year, setYear] = useState(preview.year ?? new Date().getFullYear() - 1);
  const [title, setTitle] = useState(preview.title);
  const unreadCells = new Set(preview.unread.map((cell) => `${cell.table}:${cell.row}:${cell.column}`));
  // The report of the year after, being written, can take these figures as its last year's.
  const nextYear = reports.find((report) => report.year === year + 1 && !report.archived);
  const yearTaken = reports.some((report) => report.year === year);
  const errors = preview.findings.filter((finding) => finding.severity === 'error').length;

  return (
    <div className="import-preview" data-testid="import-preview">
      <h3>{t('importPreview')}</h3>
      <dl className="import-summary">
        <dt>{t('format')}</dt>
        <dd data-testid="import-format">{format.title}</dd>
        <dt>{t('importRead')}</dt>
        <dd>
          {t('importCounts')
            .replace('{tables}', String(Object.keys(preview.tables).length))
            .replace('{unread}', String(preview.unread.length))
            .replace('{findings}', String(preview.findings.length))
            .replace('{errors}', String(errors))}
          {preview.traditional && ` ${t('importTraditional')}`}
        </dd>
      </dl>
      <h4>{t('importSections')}</h4>
      <ol className="import-sections">
        {preview.sections.map((section, index) => (
          <li key={index}>
            <strong>{section.title}</strong>
            {section.tables.length > 0 && <span className="muted"> · {section.tables.map((id) => `${t('annexTable')}${id}`).join(' ')}</span>}
            <span className="muted import-excerpt">{section.text.slice(0, 80)}</span>
          </li>
        ))}
      </ol>
      {format.tables.map((table) =>
        preview.tables[table.id] ? <PreviewTable key={table.id} table={table} values={preview.tables[table.id]!} unread={unreadCells} /> : null,
      )}
      {preview.unread.length > 0 && (
        <>
          <h4>{t('importUnread')}</h4>
          <ul className="import-unread" data-testid="import-unread">
            {preview.unread.map((cell, index) => <li key={index}>{unreadMessage(cell, format, language)}</li>)}
          </ul>
        </>
      )}
      {preview.findings.length > 0 && (
        <>
          <h4>{t('findings')}</h4>
          <ul className="import-findings">
            {preview.findings.map((finding, index) => (
              <li key={index} className={`finding finding-${finding.severity}`}>
                <strong>{finding.rule}</strong> {language === 'en' ? finding.messageEn : finding.message}
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="import-keep"
        onSubmit={(event) => {
          event.preventDefault();
          api
            .createArchive({ title, year, format: preview.format, level: preview.level, sections: preview.sections, tables: preview.tables })
            .then(({ id }) => navigate(`/reports/${encodeURIComponent(id)}`), (error: Error) => onError(error.message));
        }}
      >
        <ReportYearAndTitle year={year} onYear={setYear} title={title} onTitle={setTitle} />
        <button type="submit" data-testid="import-keep-archive" disabled={yearTaken} title={yearTaken ? t('importYearTaken') : undefined}>{t('importKeepArchive')}</button>
        {nextYear && (
          <button
            type="button"
            data-testid="import-keep-previous"
            onClick={() => api.setPreviousAnnex(nextYear.id, preview.tables).then(onDone, (error: Error) => onError(error.message))}
          >
            {t('importKeepPrevious').replace('{title}', nextYear.title)}
          </button>
        )}
        <button type="button" onClick={onDone}>{t('cancel')}</button>
      </form>
    </div>
  );
}

/** A table as read: every cell's value, "?" where it could not be read. */
function PreviewTable({ table, values, unread }: { table: TableDefinition; values: Record<string, Record<string, number | null>>; unread: ReadonlySet<string> }) {
  const { t } = useI18n();
  return (
    <table className="import-table" data-testid={`import-table-${table.id}`}>
      <caption>{t('annexTable')}{table.id} {table.title}</caption>
      <tbody>
        {table.rows.map((row) => {
          const columns = columnsOfRow(table, row);
          if (columns.length === 0) return null;
          return (
            <tr key={row.id}>
              <th scope="row">{row.label}</th>
              {columns.map((column) => {
                const missing = unread.has(`${table.id}:${row.id}:${column.id}`);
                const value = values[row.id]?.[column.id] ?? null;
                return (
                  <td key={column.id} className={missing ? 'unread' : undefined} title={column.label}>
                    {missing ? '?' : value === null ? '' : String(value)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
