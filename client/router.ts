import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(path: string, { replace = false } = {}) {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type Route = { page: 'login' } | { page: 'reports' } | { page: 'accounts' } | { page: 'report'; reportId: string };

export function matchRoute(pathname: string): Route {
  const report = /^\/reports\/([^/]+)\/?$/.exec(pathname);
  if (report) return { page: 'report', reportId: decodeURIComponent(report[1]!) };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/admin') return { page: 'accounts' };
  return { page: 'reports' };
}
