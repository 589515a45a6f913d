import { useState } from 'react';
import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import type { BodyLevel } from '../../blocks/annex/body-level.js';
import { findFormat, formatOfYear } from '../../blocks/annex/formats/index.js';
import { parseCellInput } from '../../blocks/annex/number-input.js';
import { api, type ReportAnnex, type SectionInfo } from '../api.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { LevelSelect } from './level-select.js';

type Unit = ReportAnnex['units'][number];

const KINDS: Array<[string, MessageKey]> = [
  ['government', 'unitGovernment'],
  ['department', 'unitDepartment'],
  ['township', 'unitTownship'],
];

/** A unit id from its section: stable, and what the unit's table ids ("B@<id>") are built from. */
function unitIdOf(sectionId: string): string {
  return sectionId.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+/, '').slice(0, 32) || 'unit';
}

/** The lead office declares the units of a district roll-up: each fills its own tables B and C in its section. */
function UnitsForm({ reportId, annex, sections, onError }: { reportId: string; annex: ReportAnnex; sections: SectionInfo[]; onError: (message: string) => void }) {
  const { t } = useI18n();
  const [units, setUnits] = useState<Unit[]>(annex.units);
  const update = (index: number, change: Partial<Unit>) => setUnits((current) => current.map((unit, i) => (i === index ? { ...unit, ...change } : unit)));
  const firstFree = sections.find((section) => !units.some((unit) => unit.sectionId === section.id));
  return (
    <form
      className="units-form"
      onSubmit={(event) => {
        event.preventDefault();
        api.setUnits(reportId, units).catch((error: Error) => onError(error.message));
      }}
    >
      <h3>{t('rollUpUnits')}</h3>
      <p className="muted">{t('rollUpHint')}</p>
      <table className="dashboard-table">
        <thead>
          <tr>
            <th scope="col">{t('unitName')}</th>
            <th scope="col">{t('unitKind')}</th>
            <th scope="col">{t('unitSection')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {units.map((unit, index) => (
            <tr key={index}>
              <td><input value={unit.name} required maxLength={60} onChange={(event) => update(index, { name: event.target.value })} /></td>
              <td>
                <select value={unit.kind} onChange={(event) => update(index, { kind: event.target.value })}>
                  {KINDS.map(([kind, label]) => <option key={kind} value={kind}>{t(label)}</option>)}
                </select>
              </td>
              <td>
                <select value={unit.sectionId} onChange={(event) => update(index, { sectionId: event.target.value, id: unitIdOf(event.target.value) })}>
                  {sections.map((section) => <option key={section.id} value={section.id}>{section.title}</option>)}
                </select>
              </td>
              <td><button type="button" onClick={() => setUnits((current) => current.filter((_, i) => i !== index))}>{t('removeUnit')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        disabled={!firstFree}
        onClick={() => firstFree && setUnits((current) => [...current, { id: unitIdOf(firstFree.id), name: firstFree.departmentName ?? firstFree.title, kind: 'department', sectionId: firstFree.id }])}
      >
        {t('addUnit')}
      </button>{' '}
      <button type="submit">{t('saveUnits')}</button>
    </form>
  );
}

/**
 * Last year's figures the cross-year rules need (Y1 carried forward, Y2 documents in force), typed
 * in when last year's report is not in the system.
 */
function LastYearForm({ reportId, annex, onError }: { reportId: string; annex: ReportAnnex; onError: (message: string) => void }) {
  const { t, language } = useI18n();
  const format = findFormat(formatOfYear(annex.year - 1));
  const tableB = format?.tables.find((table) => table.id === 'B');
  const forwardColumns = tableB?.rows.some((row) => row.id === 'forward') ? tableB.columns : [];
  const inForceRows = format?.format === 'gov-disclosure-2021' ? (['regulations', 'normative'] as const) : [];
  const [values, setValues] = useState<Record<string, string>>(() => {
    const initial: Record<string, string> = {};
    for (const column of forwardColumns) initial[`B/forward:${column.id}`] = String(annex.previous?.B?.forward?.[column.id] ?? '');
    for (const row of inForceRows) initial[`A/${row}:current`] = String(annex.previous?.A?.[row]?.current ?? '');
    return initial;
  });
  if (!format || (forwardColumns.length === 0 && inForceRows.length === 0)) return null;
  const save = () => {
    const tables: AnnexTables = {};
    for (const [key, text] of Object.entries(values)) {
      const [table, cell] = key.split('/') as [string, string];
      const [row, column] = cell.split(':') as [string, string];
      const parsed = parseCellInput(text, 'count');
      if (!parsed.ok) {
        onError(`${text}: ${language === 'en' ? parsed.en : parsed.zh}`);
        return;
      }
      ((tables[table] ??= {})[row] ??= {})[column] = parsed.value;
    }
    api.setPreviousAnnex(reportId, tables).catch((error: Error) => onError(error.message));
  };
  const field = (key: string, label: string) => (
    <label key={key}>
      {label}
      <input inputMode="numeric" value={values[key] ?? ''} onChange={(event) => setValues((current) => ({ ...current, [key]: event.target.value }))} />
    </label>
  );
  return (
    <form
      className="last-year-form"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <h3>{t('enterLastYear')}</h3>
      <fieldset>
        <legend>{t('lastYearForward')}</legend>
        {forwardColumns.map((column) => field(`B/forward:${column.id}`, column.label))}
      </fieldset>
      {inForceRows.length > 0 && (
        <fieldset>
          <legend>{t('lastYearInForce')}</legend>
          {inForceRows.map((row) => field(`A/${row}:current`, format.tables[0]!.rows.find((r) => r.id === row)!.label))}
        </fieldset>
      )}
      <button type="submit">{t('saveLastYear')}</button>
    </form>
  );
}

/** Where the cross-year rules take last year's figures from, in words. */
export function LastYearSource({ source }: { source: ReportAnnex['previousSource'] }) {
  const { t } = useI18n();
  return <>{source === 'entered' ? t('lastYearEntered') : source ? `${t('lastYearFrom')}《${source.title}》` : t('lastYearMissing')}</>;
}

/** Who writes the report, which decides rule A2; the findings follow once it is saved. */
function LevelForm({ reportId, annex, onError }: { reportId: string; annex: ReportAnnex; onError: (message: string) => void }) {
  const { t } = useI18n();
  const [level, setLevel] = useState<BodyLevel>(annex.level);
  return (
    <form
      className="level-form"
      onSubmit={(event) => {
        event.preventDefault();
        api.setReportLevel(reportId, level).catch((error: Error) => onError(error.message));
      }}
    >
      <LevelSelect value={level} onChange={setLevel} />
      <p className="muted">{t('reportLevelHint')}</p>
      <button type="submit" disabled={level === annex.level}>
        {t('saveLevel')}
      </button>
    </form>
  );
}

/** The lead office's annex settings: who writes the report, where last year's figures come from, and the roll-up's units. */
export function AnnexSettings({ reportId, annex, sections, onError }: { reportId: string; annex: ReportAnnex; sections: SectionInfo[]; onError: (message: string) => void }) {
  const { t } = useI18n();
  const source = annex.previousSource;
  return (
    <section className="annex-settings" aria-label={t('annexSettings')}>
      <h2>{t('annexSettings')}</h2>
      <LevelForm key={annex.level} reportId={reportId} annex={annex} onError={onError} />
      <p>
        <LastYearSource source={source} />
      </p>
      {(source === null || source === 'entered') && <LastYearForm reportId={reportId} annex={annex} onError={onError} />}
      {findFormat(annex.format)?.tables.some((table) => table.perUnit) && <UnitsForm key={annex.units.map((unit) => unit.id).join()} reportId={reportId} annex={annex} sections={sections} onError={onError} />}
    </section>
  );
}
