import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type Accounts, type Role } from '../api.js';
import { useI18n, type MessageKey } from '../i18n.js';

const roleLabel: Record<Role, MessageKey> = { lead: 'roleLead', editor: 'roleEditor', viewer: 'roleViewer' };

/**
 * 部门与用户管理: the lead office's administrators add departments and users, reset passwords
 * (the new one is shown once, and its user must replace it) and deactivate users (signed out at once).
 */
export function AccountsPage() {
  const { t, language } = useI18n();
  const [accounts, setAccounts] = useState<Accounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [handOver, setHandOver] = useState<{ username: string; password: string } | null>(null);
  const [department, setDepartment] = useState({ name: '', nameEn: '' });
  const [user, setUser] = useState({ username: '', name: '', department: '', role: 'editor' as Role });

  const reload = useCallback(() => {
    api.accounts().then(setAccounts, (failure: Error) => setError(failure.message));
  }, []);
  useEffect(reload, [reload]);

  /** Runs an administrator's action: its error is shown, and the lists are read again either way. */
  const act = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      reload();
    }
  };

  const addDepartment = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await api.addDepartment(department.name, department.nameEn);
      setDepartment({ name: '', nameEn: '' });
    });
  };
  const addUser = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const { password } = await api.addUser({ ...user, department: user.department || accounts?.departments[0]?.name || '' });
      if (password) setHandOver({ username: user.username, password });
      setUser({ username: '', name: '', department: user.department, role: user.role });
    });
  };

  return (
    <main className="accounts-page" aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accountsTitle')}</h1>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {handOver && (
        <p className="notice" role="status" data-testid="password-hand-over">
          {handOver.username}：{t('newPasswordOnce')}
          <code>{handOver.password}</code>
        </p>
      )}

      <section aria-labelledby="departments-title">
        <h2 id="departments-title">{t('departments')}</h2>
        <ul className="department-list">
          {accounts?.departments.map((entry) => (
            <li key={entry.id}>
              <span className="presence-dot" style={{ background: entry.color }} aria-hidden="true" />
              {language === 'en' ? entry.nameEn : entry.name}
            </li>
          ))}
        </ul>
        <form onSubmit={addDepartment} className="inline-form">
          <label>
            {t('departmentName')}
            <input name="department-name" value={department.name} onChange={(e) => setDepartment({ ...department, name: e.target.value })} required />
          </label>
          <label>
            {t('departmentNameEn')}
            <input name="department-name-en" value={department.nameEn} onChange={(e) => setDepartment({ ...department, nameEn: e.target.value })} />
          </label>
          <button type="submit">{t('addDepartment')}</button>
        </form>
      </section>

      <section aria-labelledby="users-title">
        <h2 id="users-title">{t('users')}</h2>
        <table className="user-table">
          <thead>
            <tr>
              <th scope="col">{t('username')}</th>
              <th scope="col">{t('displayName')}</th>
              <th scope="col">{t('departmentName')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {accounts?.users.map((entry) => (
              <tr key={entry.username} data-testid={`user-${entry.username}`}>
                <td>{entry.username}</td>
                <td>{entry.name}</td>
                <td>{entry.department}</td>
                <td>{t(roleLabel[entry.role])}</td>
                <td>
                  {entry.deactivatedAt !== null ? (
                    <span className="muted">{t('deactivated')}</span>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => void act(async () => setHandOver({ username: entry.username, password: (await api.resetPassword(entry.username)).password }))}
                      >
                        {t('resetPassword')}
                      </button>
                      <button type="button" className="link-button" onClick={() => window.confirm(t('confirmDeactivate')) && void act(() => api.deactivate(entry.username).then(() => undefined))}>
                        {t('deactivate')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form onSubmit={addUser} className="inline-form">
          <label>
            {t('username')}
            <input name="new-username" value={user.username} onChange={(e) => setUser({ ...user, username: e.target.value })} required />
          </label>
          <label>
            {t('displayName')}
            <input name="new-name" value={user.name} onChange={(e) => setUser({ ...user, name: e.target.value })} required />
          </label>
          <label>
            {t('departmentName')}
            <select name="new-department" value={user.department} onChange={(e) => setUser({ ...user, department: e.target.value })}>
              {accounts?.departments.map((entry) => (
                <option key={entry.id} value={entry.name}>
                  {language === 'en' ? entry.nameEn : entry.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('role')}
            <select name="new-role" value={user.role} onChange={(e) => setUser({ ...user, role: e.target.value as Role })}>
              {(['editor', 'viewer', 'lead'] as const).map((role) => (
                <option key={role} value={role}>
                  {t(roleLabel[role])}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('addUser')}</button>
        </form>
      </section>
    </main>
  );
}
