import { useSyncExternalStore } from 'react';
import type { AnnexViewModel } from '../../blocks/annex/view-context.js';
import { useI18n } from '../i18n.js';

/** The findings count in the report's toolbar, live; opens the findings panel. */
export function FindingsBadge({ model, pressed, onToggle }: { model: AnnexViewModel; pressed: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  const { findings } = useSyncExternalStore(model.subscribe, model.getSnapshot);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  return (
    <button type="button" className={`findings-badge${errors > 0 ? ' has-errors' : ''}`} aria-pressed={pressed} data-testid="findings-toggle" onClick={onToggle}>
      {t('findings')} <span data-testid="findings-errors">{errors}</span> {t('severityError')} · {warnings} {t('severityWarning')}
    </button>
  );
}
