import { NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { useContext, useSyncExternalStore } from 'react';
import { figureText, parseFigureCell, type FigureAttrs } from './annex-figure-node.js';
import { cellLabel } from './definition.js';
import { findTable } from './formats/index.js';
import { AnnexViewContext, type AnnexViewModel } from './view-context.js';

const noModel: Pick<AnnexViewModel, 'subscribe'> = { subscribe: () => () => {} };

function describe(model: AnnexViewModel | undefined, cell: string | null | undefined): string {
  const ref = parseFigureCell(cell);
  if (!ref || !model) return String(cell ?? '');
  const table = findTable(model.format, ref.table);
  return table ? `附表${ref.table}${cellLabel(table, ref)}` : String(cell);
}

/** A linked figure in the text: the live table value, marked so readers see it is linked. */
export function AnnexFigureView({ node, selected }: ReactNodeViewProps) {
  const context = useContext(AnnexViewContext);
  const snapshot = useSyncExternalStore(context?.model.subscribe ?? noModel.subscribe, () => context?.model.getSnapshot() ?? null);
  const attrs = node.attrs as FigureAttrs;
  const text = snapshot ? figureText(attrs, snapshot.tables) : '';
  const title = attrs.of ? `${describe(context?.model, attrs.cell)} ÷ ${describe(context?.model, attrs.of)}` : describe(context?.model, attrs.cell);
  return (
    <NodeViewWrapper
      as="span"
      className={`annex-figure${text === '' ? ' annex-figure-blank' : ''}${selected ? ' is-selected' : ''}`}
      data-annex-figure=""
      data-cell={attrs.cell}
      title={title}
    >
      {text === '' ? `［${context?.labels.notFilled ?? '未填'}］` : text}
    </NodeViewWrapper>
  );
}
