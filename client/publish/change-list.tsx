import { useId } from 'react';
import type { CellChange, ReportChanges } from '../api.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { fillIn, formatDateTime } from './format.js';

type SectionChange = ReportChanges['sections'][number];
type DiffPart = SectionChange['parts'][number];

/** Characters of unchanged text kept on each side of a change, enough to recognise where it is. */
const CONTEXT = 20;

const statusLabel: Record<SectionChange['status'], MessageKey> = { added: 'sectionAdded', removed: 'sectionRemoved', changed: 'sectionChanged' };

/**
 * Unchanged text shortened to the context around the changes next to it: the start of a run
 * follows a change before it, its end leads into a change after it.
 */
function elideSame(text: string, hasBefore: boolean, hasAfter: boolean): string {
  const chars = Array.from(text);
  if (chars.length <= 2 * CONTEXT + 1) return text;
  const head = hasBefore ? chars.slice(0, CONTEXT).join('') : '';
  const tail = hasAfter ? chars.slice(-CONTEXT).join('') : '';
  return `${head}…${tail}`;
}

function SectionDiff({ parts }: { parts: DiffPart[] }) {
  const { t } = useI18n();
  return (
    <p className="diff">
      {parts.map((part, index) =>
        part.kind === 'added' ? (
          <ins key={index}><span className="visually-hidden">{t('diffAdded')}</span>{part.text}</ins>
        ) : part.kind === 'removed' ? (
          <del key={index}><span className="visually-hidden">{t('diffRemoved')}</span>{part.text}</del>
        ) : (
          <span key={index} className="diff-same">{elideSame(part.text, index > 0, index < parts.length - 1)}</span>
        ),
      )}
    </p>
  );
}

function formatValue(value: number | null, blank: string): string {
  return value === null ? blank : String(value);
}

/** Annex cells that differ, before and after: the pre-flight's change lists and a section's history compare. */
export function ChangedCells({ cells }: { cells: readonly CellChange[] }) {
  const { t } = useI18n();
  return (
    <table className="change-cells">
      <caption>{t('changedCells')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('cell')}</th>
          <th scope="col">{t('valueBefore')}</th>
          <th scope="col" aria-hidden="true" />
          <th scope="col">{t('valueAfter')}</th>
        </tr>
      </thead>
      <tbody>
        {cells.map((cell, index) => (
          <tr key={index}>
            <th scope="row">{cell.label}</th>
            <td>{formatValue(cell.before, t('notFilled'))}</td>
            <td aria-hidden="true">→</td>
            <td>{formatValue(cell.after, t('notFilled'))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ChangeListProps {
  heading: string;
  changes: ReportChanges | null;
  /** What to say when there is nothing to compare against. */
  absent: string;
  testId: string;
}

function Changes({ changes }: { changes: ReportChanges }) {
  const { t, language } = useI18n();
  const { against } = changes;
  return (
    <>
      <p className="muted">
        {against.kind === 'version'
          ? fillIn(t('againstVersion'), { n: against.version, at: formatDateTime(against.publishedAt, language) })
          : fillIn(t('againstYear'), { title: against.title, year: against.year })}
      </p>
      {changes.sections.length === 0 && changes.cells.length === 0 && <p>{t('noChanges')}</p>}
      {changes.sections.map((section) => (
        <details key={section.id} className={`change change-${section.status}`} data-section-id={section.id}>
          <summary>
            <span className="change-title">{section.title}</span>
            <span className="change-counts">{fillIn(t('charCounts'), { added: section.added, removed: section.removed })}</span>
            <span className="change-status">{t(statusLabel[section.status])}</span>
          </summary>
          <SectionDiff parts={section.parts} />
        </details>
      ))}
      {changes.unchangedSections > 0 && <p className="muted">{fillIn(t('unchangedSections'), { n: changes.unchangedSections })}</p>}
      {changes.cells.length > 0 && <ChangedCells cells={changes.cells} />}
    </>
  );
}

/** How the report differs from what it is compared with: each changed section's text, then the annex cells. */
export function ChangeList({ heading, changes, absent, testId }: ChangeListProps) {
  const headingId = useId();
  return (
    <section className="preflight-group change-list" aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId}>{heading}</h3>
      {changes ? <Changes changes={changes} /> : <p className="muted">{absent}</p>}
    </section>
  );
}
