import type { Editor } from '@tiptap/core';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { ANNEX_FIGURE_NODE, figureText, formatFigureCell } from '../../blocks/annex/annex-figure-node.js';
import { columnsOfRow, splitTableId, type CellRef } from '../../blocks/annex/definition.js';
import { findTable } from '../../blocks/annex/formats/index.js';
import type { AnnexViewModel } from '../../blocks/annex/view-context.js';
import { useI18n } from '../i18n.js';

/** Picks one cell of the report's tables: table, then row, then column. */
function CellChooser({ model, value, onChange, label }: { model: AnnexViewModel; value: CellRef; onChange: (ref: CellRef) => void; label: string }) {
  const { t } = useI18n();
  const snapshot = useSyncExternalStore(model.subscribe, model.getSnapshot);
  const tableIds = Object.keys(snapshot.tables);
  const table = findTable(model.format, value.table);
  const rows = table ? table.rows.filter((row) => columnsOfRow(table, row).length > 0) : [];
  const row = rows.find((candidate) => candidate.id === value.row) ?? rows[0];
  const columns = table && row ? columnsOfRow(table, row) : [];
  const tableName = (id: string) => {
    const { base, unit } = splitTableId(id);
    return `附表${base} ${findTable(model.format, id)?.title ?? ''}${unit ? `（${model.unitName(unit)}）` : ''}`;
  };
  const pick = (tableId: string, rowId?: string, columnId?: string) => {
    const nextTable = findTable(model.format, tableId);
    if (!nextTable) return;
    const nextRows = nextTable.rows.filter((candidate) => columnsOfRow(nextTable, candidate).length > 0);
    const nextRow = nextRows.find((candidate) => candidate.id === rowId) ?? nextRows[0]!;
    const nextColumns = columnsOfRow(nextTable, nextRow);
    const nextColumn = nextColumns.find((candidate) => candidate.id === columnId) ?? nextColumns[nextColumns.length - 1]!;
    onChange({ table: tableId, row: nextRow.id, column: nextColumn.id });
  };
  return (
    <fieldset className="cell-chooser">
      <legend>{label}</legend>
      <label>
        {t('figureTable')}
        <select value={value.table} onChange={(event) => pick(event.target.value)}>
          {tableIds.map((id) => <option key={id} value={id}>{tableName(id)}</option>)}
        </select>
      </label>
      <label>
        {t('figureRow')}
        <select value={row?.id ?? ''} onChange={(event) => pick(value.table, event.target.value, value.column)}>
          {rows.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.label}</option>)}
        </select>
      </label>
      <label>
        {t('figureColumn')}
        <select value={value.column} onChange={(event) => pick(value.table, value.row, event.target.value)}>
          {columns.map((column) => <option key={column.id} value={column.id}>{[column.group, column.subgroup, column.label].filter(Boolean).join(' · ')}</option>)}
        </select>
      </label>
    </fieldset>
  );
}

/**
 * Inserts a linked figure at the caret: a table value, or a percentage of two, which the text then
 * shows live. Nothing typed by hand can drift from the tables this way.
 */
export function FigurePicker({ editor, model, onClose }: { editor: Editor; model: AnnexViewModel; onClose: () => void }) {
  const { t } = useI18n();
  const snapshot = useSyncExternalStore(model.subscribe, model.getSnapshot);
  const first = useMemo<CellRef>(() => {
    const table = snapshot.tables.B ? 'B' : Object.keys(snapshot.tables)[0] ?? 'B';
    return table === 'B' ? { table, row: 'new', column: 'total' } : { table, row: '', column: '' };
  }, [snapshot.tables]);
  const [cell, setCell] = useState<CellRef>(first);
  const [percent, setPercent] = useState(false);
  const [denominator, setDenominator] = useState<CellRef>({ table: 'B', row: 'total', column: 'total' });
  const [decimals, setDecimals] = useState(1);
  const attrs = { cell: formatFigureCell(cell), of: percent ? formatFigureCell(denominator) : null, decimals };
  const preview = figureText(attrs, snapshot.tables);
  const insert = () => {
    editor.chain().focus().insertContent({ type: ANNEX_FIGURE_NODE, attrs }).run();
    onClose();
  };
  return (
    <div className="dialog-backdrop" role="presentation" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="dialog figure-picker" role="dialog" aria-modal="true" aria-label={t('figureDialog')}>
        <h2>{t('figureDialog')}</h2>
        <CellChooser model={model} value={cell} onChange={setCell} label={t('figureTable')} />
        <label className="checkbox">
          <input type="checkbox" checked={percent} onChange={(event) => setPercent(event.target.checked)} />
          {t('figurePercent')}
        </label>
        {percent && (
          <>
            <CellChooser model={model} value={denominator} onChange={setDenominator} label={t('figureDenominator')} />
            <label>
              {t('figureDecimals')}
              <select value={decimals} onChange={(event) => setDecimals(Number(event.target.value))}>
                {[0, 1, 2, 3, 4].map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            </label>
          </>
        )}
        <p>
          {t('figurePreview')}: <strong data-testid="figure-preview">{preview === '' ? `［${t('notFilled')}］` : preview}</strong>
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>{t('cancel')}</button>
          <button type="button" className="primary" onClick={insert}>{t('insert')}</button>
        </div>
      </div>
    </div>
  );
}
