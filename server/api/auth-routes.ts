import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { closeSession } from '../auth/session-end.js';
import { requireSession } from '../auth/session-middleware.js';
import { SESSION_COOKIE, type SessionStore } from '../auth/sessions.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { findUserByUsername } from '../db/users.js';
import type { ReportEvents } from '../workflow/report-events.js';
import { clientAddress, type AppEnv } from './app-env.js';
import { Accounts } from '../admin/accounts.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { refuse } from '../../blocks/errors.js';
import { readJsonObject } from './read-json.js';

export interface AuthRoutesDeps {
  db: Db;
  sessions: SessionStore;
  rooms: RoomRegistry;
  /** Its event streams end at logout, as its sockets do. */
  events: ReportEvents;
  cookieSecure: boolean;
  throttle: LoginThrottle;
  trustProxy: boolean;
  /** Each login's outcome, for counting. */
  onLogin?(result: 'ok' | 'wrong' | 'throttled' | 'deactivated'): void;
}

/** Compared against when the username is unknown, so timing does not reveal which usernames exist. */
const decoyHash = hashPassword('decoy-password-never-matches');

export function createAuthRoutes({ db, sessions, rooms, events, cookieSecure, throttle, trustProxy, onLogin }: AuthRoutesDeps) {
  const accounts = new Accounts(db, sessions.clock);
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const body = await readJsonObject(c);
      const { username, password } = body;
      if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '') {
        throw refuse('credentials-required', {});
      }
      // Refused before hashing: a guesser past the limit costs the server nothing.
      const address = clientAddress(c, trustProxy);
      const wait = throttle.waitSeconds(username, address);
      if (wait > 0) {
        onLogin?.('throttled');
        throw refuse('too-many-attempts', { seconds: wait });
      }
      const user = await findUserByUsername(db, username.trim());
      const valid = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
      if (!user || !valid) {
        throttle.failed(username, address);
        onLogin?.('wrong');
        throw refuse('wrong-credentials', {});
      }
      throttle.succeeded(username);
      // Said only to someone who knows the password: it reveals nothing to a guesser.
      if (user.deactivated_at !== null) {
        onLogin?.('deactivated');
        throw refuse('account-deactivated', {});
      }
      onLogin?.('ok');
      const { token, expiresAt } = await sessions.create(user.id);
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: cookieSecure,
        path: '/',
        expires: new Date(expiresAt),
      });
      return c.json({ username: user.username, name: user.name, department: user.department_id, role: user.role, mustChangePassword: user.must_change_password === 1 });
    })
    .post('/logout', async (c) => {
      const sessionId = await sessions.destroy(getCookie(c, SESSION_COOKIE));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      if (sessionId) closeSession({ rooms, events }, sessionId, 'logged-out');
      return c.json({ ok: true });
    })
    .post('/me/password', async (c) => {
      const session = requireSession(c, { duringPasswordChange: true });
      const body = await readJsonObject(c);
      await accounts.changeOwnPassword(session.user.id, session.id, { current: body.current, next: body.next });
      return c.json({ ok: true });
    })
    .get('/me', (c) => {
      const { user } = requireSession(c, { duringPasswordChange: true });
      return c.json({
        mustChangePassword: user.mustChangePassword === 1,
        id: user.id,
        username: user.username,
        name: user.name,
        department: user.departmentId,
        departmentName: user.departmentName,
        departmentNameEn: user.departmentNameEn,
        color: user.departmentColor,
        role: user.role,
      });
    });
}
