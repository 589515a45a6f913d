import { useSyncExternalStore } from 'react';
import { formatFigureCell } from '../../blocks/annex/annex-figure-node.js';
import { RULES, type Finding, type Severity } from '../../blocks/annex/rules/finding.js';
import type { AnnexViewModel } from '../../blocks/annex/view-context.js';
import type { ReportAnnex } from '../api.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { LastYearSource } from './annex-settings.js';

const severityLabel: Record<Severity, MessageKey> = { error: 'severityError', warning: 'severityWarning', info: 'severityInfo' };

/** Takes the reader to what a finding is about: the first cell it names, or the text it quotes. */
function reveal(finding: Finding): void {
  const cell = finding.cells[0];
  const input = cell ? document.querySelector<HTMLInputElement>(`input[data-cell="${CSS.escape(formatFigureCell(cell))}"]`) : null;
  if (input) {
    input.scrollIntoView({ block: 'center', behavior: 'smooth' });
    input.focus({ preventScroll: true });
    return;
  }
  if (finding.sectionId) document.querySelector(`[data-section-id="${CSS.escape(finding.sectionId)}"]`)?.scrollIntoView({ behavior: 'smooth' });
}

/** The whole report's findings, live: what rule, which cells, expected against actual, and what to do. */
export function FindingsPanel({ model, previousSource, onClose }: { model: AnnexViewModel; previousSource: ReportAnnex['previousSource']; onClose: () => void }) {
  const { t, language } = useI18n();
  const { findings } = useSyncExternalStore(model.subscribe, model.getSnapshot);
  return (
    <aside className="findings-panel" aria-label={t('findings')} data-testid="findings-panel">
      <header>
        <h2>{t('findings')}</h2>
        <button type="button" onClick={onClose} aria-label={t('close')}>×</button>
      </header>
      <p className="muted"><LastYearSource source={previousSource} /></p>
      {findings.length === 0 ? (
        <p className="findings-empty">{t('noFindings')}</p>
      ) : (
        <ol className="findings">
          {findings.map((finding, index) => (
            <li key={index} className={`finding finding-${finding.severity}`} data-rule={finding.rule} data-severity={finding.severity}>
              <button type="button" className="finding-jump" onClick={() => reveal(finding)}>
                <span className="finding-rule" title={language === 'en' ? RULES[finding.rule]?.en : RULES[finding.rule]?.zh}>{finding.rule}</span>
                <span className="finding-severity">{t(severityLabel[finding.severity])}</span>
              </button>
              <p className="finding-message">{language === 'en' ? finding.messageEn : finding.message}</p>
              {(finding.expected !== null || finding.actual !== null) && (
                <p className="finding-values muted">
                  {t('expected')} {finding.expected ?? '—'} · {t('actual')} {finding.actual ?? '—'}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
