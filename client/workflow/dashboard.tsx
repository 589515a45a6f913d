import { useRef, useState } from 'react';
import { maySubmit } from '../../blocks/section/permissions.js';
import type { ReminderView } from '../../blocks/notifications.js';
import { api, writerOf, type Department, type Me, type SectionAction, type SectionInfo } from '../api.js';
import { useI18n } from '../i18n.js';
import { fillIn } from '../publish/format.js';

interface DashboardProps {
  reportId: string;
  me: Me;
  sections: SectionInfo[];
  departments: Department[];
  onOpenSection(sectionId: string): void;
  onError(message: string): void;
  /** Tells the user something went as asked (a reminder sent). */
  onNotice(message: string): void;
}

function formatTime(at: number | null, language: string): string {
  if (at === null) return '—';
  return new Date(at).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/**
 * The report at a glance. The lead office assigns, schedules, reviews, locks and arranges
 * sections here; a department sees its own sections, what is expected and by when, and submits.
 */
export function Dashboard({ reportId, me, sections, departments, onOpenSection, onError, onNotice }: DashboardProps) {
  const { t, language } = useI18n();
  const isLead = me.role === 'lead';
  const [returning, setReturning] = useState<string | null>(null);
  const [returnComment, setReturnComment] = useState('');
  const [newTitle, setNewTitle] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      onError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const act = (sectionId: string, action: SectionAction) => run(() => api.sectionAction(reportId, sectionId, action));
  const departmentName = (id: string | null) => {
    const department = departments.find((d) => d.id === id);
    return department ? (language === 'en' ? department.nameEn : department.name) : t('unassigned');
  };

  const shown = isLead ? sections : sections.filter((s) => s.department === me.department);
  const overdue = (s: SectionInfo) => s.deadline !== null && s.state !== 'approved' && s.deadline < new Date().toISOString().slice(0, 10);

  return (
    <section className="dashboard" aria-label={t('dashboard')}>
      <h2>{isLead ? t('dashboard') : t('mySections')}</h2>
      {!isLead && shown.length === 0 && <p className="muted">{t('noSectionsAssigned')}</p>}
      <table className="dashboard-table">
        <thead>
          <tr>
            <th scope="col">{t('section')}</th>
            <th scope="col">{t('department')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('deadline')}</th>
            <th scope="col">{t('lastEdit')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s, index) => (
            <tr key={s.id} data-testid={`dashboard-row-${s.id}`} className={overdue(s) ? 'is-overdue' : undefined}>
              <th scope="row" className={`level-${s.level}`}>
                <button type="button" className="link-button" onClick={() => onOpenSection(s.id)}>{s.title}</button>
              </th>
              <td>
                {isLead ? (
                  <select
                    aria-label={`${t('assignTo')} ${s.title}`}
                    data-testid={`assign-${s.id}`}
                    value={s.department ?? ''}
                    disabled={busy}
                    onChange={(event) => void run(() => api.assign(reportId, s.id, event.target.value))}
                  >
                    {s.department === null && <option value="">{t('unassigned')}</option>}
                    {departments.map((d) => (
                      <option key={d.id} value={d.id}>{language === 'en' ? d.nameEn : d.name}</option>
                    ))}
                  </select>
                ) : (
                  departmentName(s.department)
                )}
              </td>
              <td>
                <span className={`state-badge state-${s.state}`} data-testid={`state-${s.id}`}>{t(stateKey[s.state])}</span>
                {s.locked && <span className="state-badge state-locked" data-testid={`locked-${s.id}`}>{t('locked')}</span>}
                {s.returnReason && (
                  <span className="return-reason" data-testid={`return-reason-${s.id}`}>
                    {t('returnReason')}：{s.returnReason}
                  </span>
                )}
              </td>
              <td>
                {isLead ? (
                  <input
                    type="date"
                    aria-label={`${t('deadline')} ${s.title}`}
                    value={s.deadline ?? ''}
                    disabled={busy}
                    onChange={(event) => void run(() => api.setDeadline(reportId, s.id, event.target.value || null))}
                  />
                ) : (
                  <span className={overdue(s) ? 'overdue' : undefined}>{s.deadline ?? '—'}{overdue(s) ? ` · ${t('overdue')}` : ''}</span>
                )}
              </td>
              <td className="muted">{s.lastEditedBy ? `${s.lastEditedBy} · ${formatTime(s.lastEditedAt, language)}` : '—'}</td>
              <td className="dashboard-actions">
                {!isLead && (s.state === 'draft' || s.state === 'returned') && !s.locked && maySubmit(writerOf(me), { departmentId: s.department, locked: s.locked }) && (
                  <button type="button" data-testid={`submit-${s.id}`} disabled={busy} onClick={() => void act(s.id, 'submit')}>{t('submit')}</button>
                )}
                {isLead && (
                  <>
                    {s.state !== 'approved' && (
                      <button type="button" data-testid={`approve-${s.id}`} disabled={busy} onClick={() => void act(s.id, 'approve')}>{t('approve')}</button>
                    )}
                    {(s.state === 'submitted' || s.state === 'approved') && (
                      <button type="button" data-testid={`return-${s.id}`} disabled={busy} onClick={() => { setReturning(s.id); setReturnComment(''); }}>{t('returnSection')}</button>
                    )}
                    <button type="button" data-testid={`${s.locked ? 'unlock' : 'lock'}-${s.id}`} disabled={busy} onClick={() => void act(s.id, s.locked ? 'unlock' : 'lock')}>
                      {s.locked ? t('unlock') : t('lock')}
                    </button>
                    <button type="button" aria-label={`${t('moveUp')} ${s.title}`} disabled={busy || index === 0} onClick={() => void run(() => api.moveSection(reportId, s.id, index - 1))}>↑</button>
                    <button type="button" aria-label={`${t('moveDown')} ${s.title}`} disabled={busy || index === shown.length - 1} onClick={() => void run(() => api.moveSection(reportId, s.id, index + 1))}>↓</button>
                    <button type="button" disabled={busy} onClick={() => {
                      const title = window.prompt(t('retitle'), s.title);
                      if (title && title !== s.title) void run(() => api.retitleSection(reportId, s.id, title));
                    }}>{t('retitle')}</button>
                    <button type="button" className="danger" disabled={busy || s.locked} onClick={() => {
                      if (window.confirm(`${t('removeConfirm')}「${s.title}」`)) void run(() => api.removeSection(reportId, s.id));
                    }}>{t('remove')}</button>
                  </>
                )}
                {returning === s.id && (
                  <form
                    className="return-form"
                    onSubmit={(event) => {
                      event.preventDefault();
                      void run(async () => {
                        await api.returnSection(reportId, s.id, returnComment);
                        setReturning(null);
                      });
                    }}
                  >
                    <label>
                      {t('returnComment')}
                      <textarea data-testid={`return-comment-${s.id}`} required value={returnComment} onChange={(event) => setReturnComment(event.target.value)} />
                    </label>
                    <button type="submit" data-testid={`confirm-return-${s.id}`} disabled={busy || returnComment.trim() === ''}>{t('confirmReturn')}</button>
                    <button type="button" onClick={() => setReturning(null)}>{t('cancel')}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {isLead && <Reminders reportId={reportId} departmentName={departmentName} late={sections.some(overdue)} onError={onError} onNotice={onNotice} />}
      {isLead && (
        <form
          className="add-section-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              await api.addSection(reportId, { title: newTitle, level: 1, after: null, department: null });
              setNewTitle('');
            });
          }}
        >
          <label>
            {t('newSectionTitle')}
            <input value={newTitle} onChange={(event) => setNewTitle(event.target.value)} required maxLength={200} />
          </label>
          <button type="submit" disabled={busy || newTitle.trim() === ''}>{t('addSection')}</button>
        </form>
      )}
    </section>
  );
}

interface RemindersProps {
  reportId: string;
  departmentName(id: string): string;
  /** Some section is past its deadline and not approved: there is someone to remind. */
  late: boolean;
  onError(message: string): void;
  onNotice(message: string): void;
}

/** 催办: remind the late departments, and see who of their people has read each reminder. */
function Reminders({ reportId, departmentName, late, onError, onNotice }: RemindersProps) {
  const { t, language } = useI18n();
  const [sent, setSent] = useState<ReminderView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => void api.reminders(reportId).then(setSent, (error: Error) => onError(error.message));
  // The departments may arrive while the reminder is sent (right after the page loads): the notice
  // names them as they are known when the answer comes, not when the button was pressed.
  const latestDepartmentName = useRef(departmentName);
  latestDepartmentName.current = departmentName;

  const remind = async () => {
    const message = window.prompt(t('remindMessage'), '');
    if (message === null) return;
    setBusy(true);
    try {
      const result = await api.sendReminder(reportId, message.trim() ? { message: message.trim() } : {});
      onNotice(fillIn(t('remindSent'), { departments: result.departments.map((id) => latestDepartmentName.current(id)).join('、'), recipients: result.recipients }));
      load();
    } catch (error) {
      onError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="reminders">
      <button type="button" data-testid="send-reminder" disabled={busy || !late} onClick={() => void remind()}>{t('remind')}</button>
      <details onToggle={(event) => (event.currentTarget.open ? load() : undefined)}>
        <summary>{t('reminders')}</summary>
        {sent?.map((reminder) => (
          <div key={reminder.id} data-testid="reminder">
            <p>
              {formatTime(reminder.createdAt, language)} · {reminder.sentBy} → {reminder.departments.map(departmentName).join('、')}
              {reminder.message ? `：${reminder.message}` : ''}
            </p>
            <ul>
              {reminder.recipients.map((recipient) => (
                <li key={`${recipient.department}-${recipient.name}`}>
                  {recipient.name}（{departmentName(recipient.department)}）· {recipient.readAt === null ? t('notReadBy') : `${t('readBy')} ${formatTime(recipient.readAt, language)}`}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </details>
    </div>
  );
}

export const stateKey = { draft: 'stateDraft', submitted: 'stateSubmitted', approved: 'stateApproved', returned: 'stateReturned' } as const;
