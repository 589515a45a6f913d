import { BODY_LEVELS, type BodyLevel } from '../../blocks/annex/body-level.js';
import { useI18n, type MessageKey } from '../i18n.js';

const LEVEL_NAMES: Record<BodyLevel, MessageKey> = { province: 'levelProvince', city: 'levelCity', county: 'levelCounty' };

/** Who writes the report: a province, a city divided into districts, or a county or district. */
export function LevelSelect({ value, onChange }: { value: BodyLevel; onChange: (level: BodyLevel) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('reportLevel')}
      <select value={value} onChange={(event) => onChange(event.target.value as BodyLevel)}>
        {BODY_LEVELS.map((level) => (
          <option key={level} value={level}>
            {t(LEVEL_NAMES[level])}
          </option>
        ))}
      </select>
    </label>
  );
}
