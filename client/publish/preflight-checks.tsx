import { useId } from 'react';
import { RULES, type Finding } from '../../blocks/annex/rules/finding.js';
import type { Preflight } from '../api.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { fillIn } from './format.js';

const stateLabel: Record<string, MessageKey> = {
  draft: 'stateDraft',
  submitted: 'stateSubmitted',
  approved: 'stateApproved',
  returned: 'stateReturned',
  locked: 'locked',
};

/** A review state in words; a state this client does not know yet is shown as the server names it. */
function useStateText(): (state: string) => string {
  const { t } = useI18n();
  return (state) => {
    const key = stateLabel[state];
    return key ? t(key) : state;
  };
}

/** Whole days from a "YYYY-MM-DD" deadline to today, at least one: the server already judged it past. */
function daysOverdue(deadline: string): number {
  const [year, month, day] = deadline.split('-').map(Number) as [number, number, number];
  const today = new Date();
  const elapsed = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()) - Date.UTC(year, month - 1, day);
  return Math.max(1, Math.round(elapsed / 86_400_000));
}

/** The sections not yet approved: each opens the section, where the lead office can review it. */
export function UnapprovedSections({ sections, onOpenSection }: { sections: Preflight['unapproved']; onOpenSection(sectionId: string): void }) {
  const { t } = useI18n();
  const stateText = useStateText();
  const headingId = useId();
  return (
    <section className="preflight-group preflight-blocking" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('unapprovedSections')}</h3>
      <ul className="preflight-sections">
        {sections.map((section) => (
          <li key={section.id} data-testid={`preflight-unapproved-${section.id}`}>
            <button type="button" className="link-button" onClick={() => onOpenSection(section.id)}>{section.title}</button>
            <span className={`state-badge state-${section.state}`}>{stateText(section.state)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OverdueSections({ sections, onOpenSection }: { sections: Preflight['overdue']; onOpenSection(sectionId: string): void }) {
  const { t } = useI18n();
  const stateText = useStateText();
  const headingId = useId();
  return (
    <section className="preflight-group" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('overdueSections')}</h3>
      <ul className="preflight-sections">
        {sections.map((section) => (
          <li key={section.id}>
            <button type="button" className="link-button" onClick={() => onOpenSection(section.id)}>{section.title}</button>
            <span className="overdue">{fillIn(t('overdueBy'), { deadline: section.deadline, days: daysOverdue(section.deadline) })}</span>
            <span className={`state-badge state-${section.state}`}>{stateText(section.state)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Findings of one severity: what is wrong, by which rule, and where, when the finding names a section. */
export function FindingList({ findings, onOpenSection }: { findings: Finding[]; onOpenSection(sectionId: string): void }) {
  const { t, language } = useI18n();
  return (
    <ol className="findings">
      {findings.map((finding, index) => {
        const sectionId = finding.sectionId;
        const ruleName = language === 'en' ? RULES[finding.rule]?.en : RULES[finding.rule]?.zh;
        return (
          <li key={index} className={`finding finding-${finding.severity}`} data-rule={finding.rule} data-severity={finding.severity}>
            <p className="finding-message">{language === 'en' ? finding.messageEn : finding.message}</p>
            {finding.excerpt && <q className="finding-excerpt">{finding.excerpt}</q>}
            <p className="finding-values muted">
              {t('rule')} {finding.rule}
              {ruleName && `${language === 'en' ? ': ' : '：'}${ruleName}`}
              {(finding.expected !== null || finding.actual !== null) && ` · ${t('expected')} ${finding.expected ?? '—'} · ${t('actual')} ${finding.actual ?? '—'}`}
            </p>
            {sectionId && (
              <button type="button" className="link-button finding-section" onClick={() => onOpenSection(sectionId)}>{t('goToSection')}</button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
