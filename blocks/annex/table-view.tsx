import { NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { useContext, useMemo, useState, useSyncExternalStore, type ClipboardEvent, type KeyboardEvent } from 'react';
import { SectionViewContext } from '../section/view.js';
import { formatFigureCell } from './annex-figure-node.js';
import { cellValue } from './annex-data.js';
import { cellKindOf, splitTableId, type CellRef, type ColumnDefinition, type TableDefinition } from './definition.js';
import { findTable } from './formats/index.js';
import { formatCellValue, parseCellInput, splitPastedGrid } from './number-input.js';
import type { Finding } from './rules/finding.js';
import { layoutTable, type LayoutRow } from './table-layout.js';
import { AnnexViewContext, type AnnexSnapshot, type AnnexViewContextValue } from './view-context.js';

/** The section holding this node view: its permission is the table's. */
function sectionOfNode({ editor, getPos }: Pick<ReactNodeViewProps, 'editor' | 'getPos'>): string | null {
  const pos = getPos();
  if (typeof pos !== 'number') return null;
  const id: unknown = editor.state.doc.resolve(pos).node(1).attrs.sectionId;
  return typeof id === 'string' ? id : null;
}

const severityRank = { error: 0, warning: 1, info: 2 } as const;

function worst(findings: readonly Finding[]): Finding['severity'] | null {
  return findings.reduce<Finding['severity'] | null>((current, f) => (current === null || severityRank[f.severity] < severityRank[current] ? f.severity : current), null);
}

interface CellProps {
  cell: CellRef;
  colSpan: number;
  column: ColumnDefinition;
  table: TableDefinition;
  /** Position in the drawn grid, for keyboard moves: data row index and column index. */
  position: { row: number; column: number };
  snapshot: AnnexSnapshot;
  editable: boolean;
  context: AnnexViewContextValue;
  onPaste: (event: ClipboardEvent<HTMLInputElement>, position: { row: number; column: number }) => void;
}

/** Moves focus to the cell `dr` rows / `dc` columns away, skipping rows without that column. */
function moveFocus(from: HTMLInputElement, dr: number, dc: number): void {
  const grid = from.closest('table');
  if (!grid) return;
  const inputs = [...grid.querySelectorAll<HTMLInputElement>('input[data-row]')];
  if (dc !== 0) {
    inputs[inputs.indexOf(from) + dc]?.focus();
    return;
  }
  const row = Number(from.dataset.row);
  const column = from.dataset.column;
  const candidates = inputs.filter((input) => input.dataset.column === column && Math.sign(Number(input.dataset.row) - row) === Math.sign(dr));
  const next = dr > 0 ? candidates[0] : candidates[candidates.length - 1];
  next?.focus();
}

function AnnexCell({ cell, colSpan, column, table, position, snapshot, editable, context, onPaste }: CellProps) {
  const stored = cellValue(snapshot.tables, cell);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const key = formatFigureCell(cell);
  const findings = snapshot.byCell.get(key) ?? [];
  const severity = worst(findings);
  const suggestion = findings.find((f) => f.suggestion && formatFigureCell(f.suggestion.cell) === key)?.suggestion;
  const language = context.language;
  const kind = cellKindOf(table, column.id);

  // What the user types is a draft, judged as it is typed and stored only when the entry is
  // finished (the cell is left: Tab, Enter, an arrow key, a click elsewhere) — "12" on the way to
  // "123", or "3" on the way to "3.5", is never a value anyone else sees.
  const judge = (text: string) => {
    const parsed = parseCellInput(text, kind);
    setProblem(parsed.ok ? null : language === 'en' ? parsed.en : parsed.zh);
    return parsed;
  };

  /** Stores a finished, valid entry; an invalid one stays in the cell, marked, until fixed or undone (Escape). */
  const commit = () => {
    if (draft === null) return;
    const parsed = judge(draft);
    if (!parsed.ok) return;
    setDraft(null);
    if (parsed.value !== stored) context.model.setCells([{ ref: cell, value: parsed.value }]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    if (event.key === 'Enter' || (event.key === 'ArrowDown' && !event.nativeEvent.isComposing)) {
      event.preventDefault();
      moveFocus(input, event.shiftKey && event.key === 'Enter' ? -1 : 1, 0);
    } else if (event.key === 'ArrowUp' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      moveFocus(input, -1, 0);
    } else if (event.key === 'ArrowLeft' && atStart) {
      event.preventDefault();
      moveFocus(input, 0, -1);
    } else if (event.key === 'ArrowRight' && atEnd) {
      event.preventDefault();
      moveFocus(input, 0, 1);
    } else if (event.key === 'Escape') {
      setDraft(null);
      setProblem(null);
    }
  };

  const messages = [problem, ...findings.map((f) => (language === 'en' ? f.messageEn : f.message))].filter(Boolean).join('\n');
  return (
    <td colSpan={colSpan > 1 ? colSpan : undefined} className={`annex-cell${severity ? ` cell-${severity}` : ''}${problem ? ' cell-rejected' : ''}${stored === null ? ' cell-blank' : ''}`} title={messages || undefined}>
      <input
        type="text"
        inputMode="decimal"
        autoComplete="off"
        aria-label={`${table.title}：${table.rows.find((row) => row.id === cell.row)?.label ?? cell.row}，${column.label}`}
        aria-invalid={severity === 'error' || problem !== null}
        data-cell={key}
        data-row={position.row}
        data-column={position.column}
        readOnly={!editable}
        placeholder={editable ? context.labels.notFilled : ''}
        value={draft ?? formatCellValue(stored)}
        onBlur={commit}
        onChange={(event) => {
          setDraft(event.target.value);
          if (!(event.nativeEvent as InputEvent).isComposing) judge(event.target.value);
        }}
        onCompositionEnd={(event) => judge(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onPaste={(event) => onPaste(event, position)}
      />
      {problem && <span className="cell-problem" role="alert">{problem}</span>}
      {suggestion && (
        <button
          type="button"
          className="cell-suggestion"
          disabled={!editable}
          onClick={() => context.model.setCells([{ ref: cell, value: suggestion.value }])}
        >
          {context.labels.shouldBe.replace('{value}', String(suggestion.value))}
        </button>
      )}
    </td>
  );
}

function Header({ row }: { row: Extract<LayoutRow, { kind: 'header' }> }) {
  return (
    <tr>
      {row.cells.map((cell, index) => (
        <th key={index} scope={cell.columnId ? 'col' : 'colgroup'} colSpan={cell.colSpan} rowSpan={cell.rowSpan} className={index === 0 && cell.label.length > 12 ? 'annex-note' : undefined}>
          {cell.label}
        </th>
      ))}
    </tr>
  );
}

/**
 * An annex table in the report: the national layout with a number input per cell, the cells the
 * rules flag marked in place, the computed value offered where the format defines one, and
 * Excel/Word blocks pasted across cells. The shape is fixed; only numbers are edited.
 */
export function AnnexTableView(props: ReactNodeViewProps) {
  const context = useContext(AnnexViewContext);
  const sections = useContext(SectionViewContext);
  const tableId = String(props.node.attrs.tableId ?? '');
  const table = context ? findTable(context.model.format, tableId) : null;
  const layout = useMemo(() => (table ? layoutTable(table) : null), [table]);
  const subscribe = context?.model.subscribe ?? ((() => () => {}) as (listener: () => void) => () => void);
  const snapshot = useSyncExternalStore(subscribe, () => context?.model.getSnapshot() ?? null);
  const [pasteProblem, setPasteProblem] = useState<string | null>(null);
  const sectionId = sectionOfNode(props);
  const editable = sectionId !== null && (sections?.meta.get(sectionId)?.editable ?? false);

  if (!context || !table || !layout || !snapshot) {
    return (
      <NodeViewWrapper className="annex-table annex-table-unknown" data-annex-table={tableId}>
        {context?.labels.unknownTable.replace('{id}', tableId) ?? tableId}
      </NodeViewWrapper>
    );
  }
  const dataRows = layout.rows.filter((row): row is Extract<LayoutRow, { kind: 'data' }> => row.kind === 'data');
  const numberColumns = (row: Extract<LayoutRow, { kind: 'data' }>) => row.cells.flatMap((cell) => (cell.column ? [cell.column] : []));

  const paste = (event: ClipboardEvent<HTMLInputElement>, from: { row: number; column: number }) => {
    const grid = splitPastedGrid(event.clipboardData.getData('text/plain'));
    if (grid.length <= 1 && (grid[0]?.length ?? 0) <= 1) return;
    event.preventDefault();
    if (!editable) return;
    const targets = dataRows.slice(from.row).filter((row) => numberColumns(row).length > 0);
    const changes: Array<{ ref: CellRef; value: number | null }> = [];
    for (const [i, values] of grid.entries()) {
      const row = targets[i];
      const columns = row ? numberColumns(row).slice(from.column) : [];
      if (!row || values.length > columns.length) {
        setPasteProblem(context.labels.pasteTooLarge);
        return;
      }
      for (const [j, text] of values.entries()) {
        const column = columns[j]!;
        const parsed = parseCellInput(text, cellKindOf(table, column.id));
        if (!parsed.ok) {
          setPasteProblem(context.labels.pasteRejected.replace('{row}', row.row.label).replace('{value}', text).replace('{reason}', context.language === 'en' ? parsed.en : parsed.zh));
          return;
        }
        changes.push({ ref: { table: tableId, row: row.row.id, column: column.id }, value: parsed.value });
      }
    }
    setPasteProblem(null);
    context.model.setCells(changes);
  };

  const { unit } = splitTableId(tableId);
  const problems = snapshot.findings.filter((f) => f.severity === 'error' && f.cells.some((cell) => cell.table === tableId)).length;
  const fills = snapshot.findings.flatMap((f) => (f.rule === 'H1' && f.suggestion?.cell.table === tableId ? [{ ref: f.suggestion.cell, value: f.suggestion.value }] : []));
  let dataIndex = -1;
  return (
    <NodeViewWrapper className="annex-table" data-annex-table={tableId}>
      <table>
        <caption>
          <span className="annex-title">
            附表{table.id} {table.title}
            {unit !== null && `（${context.model.unitName(unit)}）`}
          </span>
          {problems > 0 && <span className="annex-problems">{context.labels.cellProblems.replace('{count}', String(problems))}</span>}
          {fills.length > 0 && editable && (
            <button type="button" className="annex-fill" onClick={() => context.model.setCells(fills)}>
              {context.labels.fillTotals}
            </button>
          )}
        </caption>
        <tbody>
          {layout.rows.map((row, index) => {
            if (row.kind === 'header') return <Header key={index} row={row} />;
            if (row.kind === 'caption') {
              return (
                <tr key={index} className="annex-caption-row">
                  <th scope="rowgroup" colSpan={layout.width}>{row.label}</th>
                </tr>
              );
            }
            dataIndex++;
            const rowIndex = dataIndex;
            let columnIndex = -1;
            return (
              <tr key={index} className={`annex-row depth-${row.row.depth ?? 0}${row.row.heading ? ' annex-heading-row' : ''}`}>
                <th scope="row">{row.row.label}</th>
                {row.cells.map((cell, c) => {
                  if (!cell.column) return <td key={c} className="annex-empty" colSpan={cell.colSpan} />;
                  columnIndex++;
                  return (
                    <AnnexCell
                      key={c}
                      cell={{ table: tableId, row: row.row.id, column: cell.column.id }}
                      colSpan={cell.colSpan}
                      column={cell.column}
                      table={table}
                      position={{ row: rowIndex, column: columnIndex }}
                      snapshot={snapshot}
                      editable={editable}
                      context={context}
                      onPaste={paste}
                    />
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {pasteProblem && <p className="annex-paste-problem" role="alert">{pasteProblem}</p>}
    </NodeViewWrapper>
  );
}
