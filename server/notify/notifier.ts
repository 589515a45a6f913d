import { randomBytes } from 'node:crypto';
import { notificationText, type NotificationDetail, type NotificationKind, type NotificationView } from '../../blocks/notifications.js';
import type { Db } from '../db/database.js';
import { activeUsersOfDepartments, activeUsersOfDistrict, insertNotifications } from '../db/notifications.js';
import type { NotificationTable } from '../db/types.js';
import type { ReportEvents } from '../workflow/report-events.js';

/** Who is told: the people of some departments, some people by id, or everyone in the district. */
export type Audience = { departments: readonly string[] } | { users: readonly number[] } | { district: string };

export interface Notice {
  kind: NotificationKind;
  reportId: string;
  sectionId: string | null;
  detail: NotificationDetail;
  to: Audience;
  /** Who caused it: never told of their own doing. */
  except?: number;
  /** Told once per user under this key (a deadline's stage); by default every notice is new. */
  dedupe?: string;
  reminderId?: string;
}

/** Notifications stored and waiting to be pushed to the pages their users have open (`count` of them). */
export type Delivery = (() => void) & { readonly count: number };

export interface NotifierDeps {
  db: Db;
  events: ReportEvents;
  now: () => number;
}

/**
 * Tells users what concerns them. A notice is stored per recipient — in the caller's transaction
 * when it has one, so a notification exists exactly when what it tells of does — and pushed live
 * to the pages its users have open once that is committed; whoever is offline finds it at their
 * next login.
 */
export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Stores the notice's notifications in `db` (a transaction, say); the answer pushes them, to be called after it commits. */
  async record(db: Db, notice: Notice): Promise<Delivery> {
    const users = await recipients(db, notice.to);
    const now = this.deps.now();
    const rows: NotificationTable[] = [...new Set(users)]
      .filter((userId) => userId !== notice.except)
      .map((userId) => {
        const id = randomBytes(12).toString('base64url');
        return {
          id,
          user_id: userId,
          report_id: notice.reportId,
          section_id: notice.sectionId,
          kind: notice.kind,
          detail: JSON.stringify(notice.detail),
          dedupe: notice.dedupe ?? id,
          reminder_id: notice.reminderId ?? null,
          created_at: now,
          read_at: null,
        };
      });
    const stored = await insertNotifications(db, rows);
    const deliver = () => {
      for (const row of stored) this.deps.events.publishToUser(row.user_id, { type: 'notification', notification: notificationView(row) });
    };
    return Object.assign(deliver, { count: stored.length });
  }

  /** Stores and pushes at once, outside any transaction; answers how many were stored. */
  async send(notice: Notice): Promise<number> {
    const delivery = await this.record(this.deps.db, notice);
    delivery();
    return delivery.count;
  }
}

async function recipients(db: Db, audience: Audience): Promise<number[]> {
  if ('users' in audience) return [...audience.users];
  const users = 'departments' in audience ? await activeUsersOfDepartments(db, audience.departments) : await activeUsersOfDistrict(db, audience.district);
  return users.map((user) => user.id);
}

export function notificationView(row: NotificationTable): NotificationView {
  const detail = JSON.parse(row.detail) as NotificationDetail;
  return {
    id: row.id,
    kind: row.kind,
    reportId: row.report_id,
    sectionId: row.section_id,
    text: notificationText(row.kind, detail, 'zh'),
    detail,
    createdAt: Number(row.created_at),
    read: row.read_at !== null,
  };
}
