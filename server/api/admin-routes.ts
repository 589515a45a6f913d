import { Hono } from 'hono';
import { Accounts } from '../admin/accounts.js';
import { closeSession } from '../auth/session-end.js';
import { requireSession } from '../auth/session-middleware.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { requireLead } from '../workflow/lead-office.js';
import type { ReportEvents } from '../workflow/report-events.js';
import type { AppEnv } from './app-env.js';
import { readJsonObject } from './read-json.js';

export interface AdminRoutesDeps {
  db: Db;
  rooms: RoomRegistry;
  events: ReportEvents;
  now: () => number;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * 部门与用户管理: the lead office's administrators keep departments and users from the browser,
 * through the same `Accounts` as the command line. Sessions a change ends close here at once.
 */
export function createAdminRoutes({ db, rooms, events, now }: AdminRoutesDeps) {
  const accounts = new Accounts(db, now);
  const endSessions = (sessionIds: readonly string[]) => {
    for (const sessionId of sessionIds) closeSession({ rooms, events }, sessionId, 'revoked');
  };
  const administrator = (c: Parameters<typeof requireSession>[0]) => {
    const { user } = requireSession(c);
    requireLead(user, 'accounts');
    return { userId: user.id };
  };
  return new Hono<AppEnv>()
    .get('/accounts', async (c) => {
      administrator(c);
      return c.json({ departments: await accounts.listDepartments(), users: await accounts.listUsers() });
    })
    .post('/departments', async (c) => {
      const actor = administrator(c);
      const body = await readJsonObject(c);
      return c.json(await accounts.addDepartment(actor, { name: text(body.name) ?? '', nameEn: text(body.nameEn), color: text(body.color) }), 201);
    })
    .post('/users', async (c) => {
      const actor = administrator(c);
      const body = await readJsonObject(c);
      const input = { username: text(body.username) ?? '', name: text(body.name) ?? '', department: text(body.department) ?? '', role: text(body.role) ?? '', password: text(body.password) };
      const { id, password, generated } = await accounts.addUser(actor, input);
      // A generated password is shown once, to the administrator who hands it over.
      return c.json({ id, ...(generated ? { password } : {}) }, 201);
    })
    .post('/users/:username/reset-password', async (c) => {
      const actor = administrator(c);
      const body = await readJsonObject(c);
      const { password, generated, endedSessions } = await accounts.resetPassword(actor, { username: c.req.param('username'), password: text(body.password) });
      endSessions(endedSessions);
      return c.json(generated ? { password } : { ok: true });
    })
    .post('/users/:username/deactivate', async (c) => {
      const actor = administrator(c);
      const { endedSessions } = await accounts.deactivate(actor, c.req.param('username'));
      endSessions(endedSessions);
      return c.json({ ok: true });
    });
}
