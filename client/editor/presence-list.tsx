import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { SectionInfo } from '../api.js';
import { useI18n } from '../i18n.js';

interface Participant {
  clientID: number;
  name: string;
  departmentName: string;
  color: string;
  sectionId: string | null;
  isSelf: boolean;
}

function readParticipants(awareness: Awareness): Participant[] {
  const participants: Participant[] = [];
  for (const [clientID, state] of awareness.getStates()) {
    const user = state.user as { name?: unknown; departmentName?: unknown; color?: unknown } | undefined;
    if (!user || typeof user.name !== 'string') continue;
    participants.push({
      clientID,
      name: user.name,
      departmentName: typeof user.departmentName === 'string' ? user.departmentName : '',
      color: typeof user.color === 'string' ? user.color : '#666',
      sectionId: typeof state.sectionId === 'string' ? state.sectionId : null,
      isSelf: clientID === awareness.clientID,
    });
  }
  return participants.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** Who is in the report and in which section, from the server-stamped presence. */
export function PresenceList({ awareness, sections }: { awareness: Awareness; sections: SectionInfo[] }) {
  const { t } = useI18n();
  const [participants, setParticipants] = useState(() => readParticipants(awareness));
  useEffect(() => {
    const refresh = () => setParticipants(readParticipants(awareness));
    refresh();
    awareness.on('change', refresh);
    return () => awareness.off('change', refresh);
  }, [awareness]);
  const titleOf = (sectionId: string | null) => sections.find((s) => s.id === sectionId)?.title;
  const others = participants.filter((p) => !p.isSelf);
  return (
    <section className="presence" aria-label={t('presence')}>
      <h2>{t('presence')}</h2>
      {others.length === 0 && <p className="muted">{t('nobodyElse')}</p>}
      <ul>
        {others.map((p) => (
          <li key={p.clientID} data-testid="presence-entry">
            <span className="presence-dot" style={{ background: p.color }} aria-hidden="true" />
            <span className="presence-name">{p.name}</span>
            <span className="presence-department">{p.departmentName}</span>
            {titleOf(p.sectionId) && (
              <span className="presence-section">
                {t('inSection')} {titleOf(p.sectionId)}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
