import { NodeViewContent, NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { createContext, memo, useContext, useSyncExternalStore } from 'react';
import { AnnexViewContext } from '../annex/view-context.js';

export type SectionReviewState = 'draft' | 'submitted' | 'approved' | 'returned';

/** What the database says about a section; shown on its header, never stored in the document. */
export interface SectionMeta {
  departmentName: string | null;
  color: string | null;
  state: SectionReviewState;
  locked: boolean;
  deadline: string | null;
  /** Whether this user may write here; everything else is visible but read-only. */
  editable: boolean;
}

export interface SectionViewContextValue {
  meta: ReadonlyMap<string, SectionMeta>;
  labels: { states: Record<SectionReviewState, string>; unassigned: string; locked: string; readOnly: string; deadline: string; sameAsLastYear: string };
}

export const SectionViewContext = createContext<SectionViewContextValue | null>(null);

const noAnnex = () => () => undefined;

/** How much of the section is still last year's text (rule D1), while it is 雷同; null otherwise. */
function useSameAsLastYear(sectionId: string): number | null {
  const annex = useContext(AnnexViewContext);
  return useSyncExternalStore(annex?.model.subscribe ?? noAnnex, () => {
    const finding = annex?.model.getSnapshot().findings.find((candidate) => candidate.rule === 'D1' && candidate.sectionId === sectionId);
    return finding?.actual ?? null;
  });
}

function SectionHeader({ sectionId, title, level }: { sectionId: string; title: string; level: number }) {
  const context = useContext(SectionViewContext);
  const sameAsLastYear = useSameAsLastYear(sectionId);
  const meta = context?.meta.get(sectionId);
  const Heading = level === 2 ? 'h3' : 'h2';
  return (
    <header className="report-section-header" contentEditable={false} suppressContentEditableWarning>
      <Heading className="report-section-title">{title}</Heading>
      {context && (
        <span className="report-section-badges">
          <span className="department-badge" style={{ borderColor: meta?.color ?? undefined, color: meta?.color ?? undefined }}>
            {meta?.departmentName ?? context.labels.unassigned}
          </span>
          <span className={`state-badge state-${meta?.state ?? 'draft'}`}>{context.labels.states[meta?.state ?? 'draft']}</span>
          {meta?.locked && <span className="state-badge state-locked">{context.labels.locked}</span>}
          {meta?.deadline && <span className="deadline-badge">{context.labels.deadline} {meta.deadline}</span>}
          {!meta?.editable && <span className="readonly-badge" data-testid="readonly-badge">{context.labels.readOnly}</span>}
          {sameAsLastYear !== null && (
            <span className="same-as-last-year-badge" data-testid="same-as-last-year">{context.labels.sameAsLastYear.replace('{percent}', String(sameAsLastYear))}</span>
          )}
        </span>
      )}
    </header>
  );
}

const MemoSectionHeader = memo(SectionHeader);

/** The editor's drawing of a report section: a non-editable header over the editable body. */
export function SectionView({ node }: ReactNodeViewProps) {
  const { sectionId, title, level } = node.attrs as { sectionId: string; title: string; level: number };
  const editable = useContext(SectionViewContext)?.meta.get(sectionId)?.editable ?? false;
  return (
    <NodeViewWrapper
      as="section"
      className={`report-section level-${level}${editable ? '' : ' is-readonly'}`}
      data-section-id={sectionId}
      data-editable={editable ? 'true' : 'false'}
    >
      <MemoSectionHeader sectionId={sectionId} title={title} level={level} />
      <NodeViewContent className="report-section-body" contentEditable={editable} suppressContentEditableWarning />
    </NodeViewWrapper>
  );
}
