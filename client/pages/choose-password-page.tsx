import { useState, type FormEvent } from 'react';
import { passwordPolicy, passwordWeakness } from '../../blocks/password-policy.js';
import { describeError } from '../../blocks/errors.js';
import { ApiRequestError, api, type Me } from '../api.js';
import { useI18n } from '../i18n.js';

/** A user whose password an administrator set chooses their own, under the policy the server applies. */
export function ChoosePasswordPage({ me, onChosen }: { me: Me; onChosen: () => void }) {
  const { t, language } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (next !== repeated) return setError(t('passwordsDiffer'));
    const weakness = passwordWeakness(next, me.username);
    if (weakness) return setError(describeError('weak-password', { reason: weakness, min: passwordPolicy.minLength }, language));
    setBusy(true);
    try {
      await api.changePassword(current, next);
      onChosen();
    } catch (caught) {
      setError(caught instanceof ApiRequestError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="choose-password-title">
        <h1 id="choose-password-title">{t('choosePasswordTitle')}</h1>
        <p className="muted">{t('choosePasswordWhy')}</p>
        <label>
          {t('currentPassword')}
          <input name="current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label>
          {t('newPassword')}
          <input name="next" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        </label>
        <label>
          {t('repeatPassword')}
          <input name="repeated" type="password" autoComplete="new-password" value={repeated} onChange={(e) => setRepeated(e.target.value)} required />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('savePassword')}
        </button>
      </form>
    </main>
  );
}
