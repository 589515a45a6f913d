import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { refuse } from '../../blocks/errors.js';
import type { AppEnv } from '../api/app-env.js';
import { SESSION_COOKIE, type AuthenticatedSession, type SessionStore } from './sessions.js';

/** Reads the session cookie (if any) so later handlers can ask who is calling. */
export function loadSession(sessions: SessionStore): MiddlewareHandler<AppEnv> {
  return async function loadSessionMiddleware(c, next) {
    c.set('session', await sessions.authenticate(getCookie(c, SESSION_COOKIE)));
    await next();
  };
}

/**
 * The caller's session, or a 401. A user whose password was set by an administrator may do
 * nothing but choose their own (`duringPasswordChange`: the routes that lets them do it).
 */
export function requireSession(c: Context<AppEnv>, { duringPasswordChange = false } = {}): AuthenticatedSession {
  const session = c.get('session');
  if (!session) throw refuse('login-required', {});
  if (session.user.mustChangePassword === 1 && !duringPasswordChange) throw refuse('password-change-required', {});
  return session;
}
