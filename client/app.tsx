import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { mayChangeStructure } from '../blocks/section/permissions.js';
import { api, writerOf, type Me } from './api.js';
import { AppLink } from './app-link.js';
import { I18nProvider, useI18n } from './i18n.js';
import { NotificationBell } from './notifications/notification-bell.js';
import { AccountsPage } from './pages/accounts-page.js';
import { ChoosePasswordPage } from './pages/choose-password-page.js';
import { LoginPage } from './pages/login-page.js';
import { ReportsPage } from './pages/reports-page.js';
import { matchRoute, navigate, usePathname } from './router.js';

// The editor (Tiptap, Yjs, the annex tables) is its own download, fetched when a report is opened:
// the login page and the report list load without it.
const ReportPage = lazy(() => import('./pages/report-page.js').then((module) => ({ default: module.ReportPage })));

function TopBar({ me, onLogout }: { me: Me | null; onLogout: () => void }) {
  const { t, language, setLanguage } = useI18n();
  return (
    <header className="top-bar">
      <AppLink className="brand" href="/">
        {t('appTitle')}
      </AppLink>
      <span className="spacer" />
      {me && (
        <span className="who" data-testid="current-user">
          <span className="presence-dot" style={{ background: me.color }} aria-hidden="true" />
          {me.name} · {language === 'en' ? me.departmentNameEn : me.departmentName}
        </span>
      )}
      {me && !me.mustChangePassword && <NotificationBell />}
      {me && mayChangeStructure(writerOf(me)) && !me.mustChangePassword && (
        <AppLink className="link-button" href="/admin">
          {t('accountsTitle')}
        </AppLink>
      )}
      <button type="button" className="link-button" onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
        {t('switchLanguage')}
      </button>
      {me && (
        <button type="button" className="link-button" onClick={onLogout}>
          {t('logout')}
        </button>
      )}
    </header>
  );
}

function Shell() {
  const { t } = useI18n();
  const pathname = usePathname();
  const route = matchRoute(pathname);
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, []);

  useEffect(() => {
    if (me === null && route.page !== 'login') navigate(`/login?next=${encodeURIComponent(pathname)}`, { replace: true });
  }, [me, route.page, pathname]);

  const sessionEnded = useCallback(() => setMe(null), []);
  const logout = useCallback(async () => {
    await api.logout().catch(() => undefined);
    setMe(null);
  }, []);
  const loggedIn = useCallback((next: Me) => {
    setMe(next);
    const target = new URLSearchParams(window.location.search).get('next');
    navigate(target && target.startsWith('/') && !target.startsWith('//') ? target : '/', { replace: true });
  }, []);

  let page;
  if (me === undefined) page = <p className="muted">{t('loading')}</p>;
  else if (me === null || route.page === 'login') page = <LoginPage onLoggedIn={loggedIn} />;
  else if (me.mustChangePassword) page = <ChoosePasswordPage me={me} onChosen={() => setMe({ ...me, mustChangePassword: false })} />;
  else if (route.page === 'accounts') page = <AccountsPage />;
  else if (route.page === 'report') {
    page = (
      <Suspense fallback={<p className="muted">{t('loading')}</p>}>
        <ReportPage key={route.reportId} reportId={route.reportId} me={me} onSessionEnded={sessionEnded} />
      </Suspense>
    );
  }
  else page = <ReportsPage me={me} />;

  return (
    <>
      <TopBar me={me ?? null} onLogout={logout} />
      {page}
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}
