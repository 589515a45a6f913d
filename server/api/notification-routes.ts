import { Hono } from 'hono';
import { refuse } from '../../blocks/errors.js';
import { requireSession } from '../auth/session-middleware.js';
import type { Db } from '../db/database.js';
import { countUnread, listNotifications, markAllNotificationsRead, markNotificationRead } from '../db/notifications.js';
import { notificationView } from '../notify/notifier.js';
import type { Reminders } from '../notify/reminders.js';
import type { ReportEvents } from '../workflow/report-events.js';
import type { AppEnv } from './app-env.js';
import { sessionEventStream } from './event-stream.js';
import { readJsonObject } from './read-json.js';
import { findVisibleReport } from './report-routes.js';

export interface NotificationRoutesDeps {
  db: Db;
  events: ReportEvents;
  now: () => number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** Stands for every notification in `POST /api/notifications/:id/read`; never a notification's id (those are 16 characters). */
const ALL = 'all';

/** A user's own notifications: the list (newest first), reading them, and their live stream. */
export function createNotificationRoutes({ db, events, now }: NotificationRoutesDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const session = requireSession(c);
      const asked = Number(c.req.query('limit') ?? DEFAULT_LIMIT);
      const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_LIMIT) : DEFAULT_LIMIT;
      const [rows, unread] = await Promise.all([listNotifications(db, session.user.id, limit), countUnread(db, session.user.id)]);
      // The unread count covers every notification, also those past the page.
      c.header('X-Unread-Count', String(unread));
      return c.json(rows.map(notificationView));
    })
    // `all` for every one of the user's notifications: a path of its own beside `:id` would not fit the app's router.
    .post('/:id/read', async (c) => {
      const session = requireSession(c);
      const id = c.req.param('id');
      if (id === ALL) return c.json({ read: await markAllNotificationsRead(db, session.user.id, now()) });
      if (!(await markNotificationRead(db, session.user.id, id, now()))) throw refuse('notification-not-found', { notification: id });
      return c.json({ ok: true });
    })
    .get('/events', (c) => {
      const session = requireSession(c);
      return sessionEventStream(c, session, now, (stream) => events.subscribeUser(session.user.id, stream));
    });
}

/** 催办: the lead office's reminders of a report, and who has read them. */
export function createReminderRoutes({ db, reminders }: { db: Db; reminders: Reminders }) {
  return new Hono<AppEnv>()
    .post('/:id/reminders', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      return c.json(await reminders.send(session.user, report, await readJsonObject(c)), 201);
    })
    .get('/:id/reminders', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      return c.json(await reminders.list(session.user, report));
    });
}
