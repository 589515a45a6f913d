import type { Insertable } from 'kysely';
import type { Db } from './database.js';
import type { NotificationTable, ReminderTable } from './types.js';

/** Stores notifications; one a user already has under the same `dedupe` is left out. Answers those stored. */
export async function insertNotifications(db: Db, rows: ReadonlyArray<Insertable<NotificationTable>>) {
  if (rows.length === 0) return [];
  return db
    .insertInto('notifications')
    .values([...rows])
    .onConflict((conflict) => conflict.columns(['user_id', 'dedupe']).doNothing())
    .returningAll()
    .execute();
}

export async function listNotifications(db: Db, userId: number, limit: number) {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('unread')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(row?.unread ?? 0);
}

/** Marks one of the user's notifications read (the first time only); false when the user has no such notification. */
export async function markNotificationRead(db: Db, userId: number, id: string, now: number): Promise<boolean> {
  const mine = await db.selectFrom('notifications').select('read_at').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!mine) return false;
  if (mine.read_at === null) await db.updateTable('notifications').set({ read_at: now }).where('id', '=', id).where('read_at', 'is', null).execute();
  return true;
}

export async function markAllNotificationsRead(db: Db, userId: number, now: number): Promise<number> {
  const result = await db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The users who may log in, of these departments. */
export async function activeUsersOfDepartments(db: Db, departmentIds: readonly string[]) {
  if (departmentIds.length === 0) return [];
  return db.selectFrom('users').select(['id', 'department_id']).where('department_id', 'in', [...departmentIds]).where('deactivated_at', 'is', null).execute();
}

/** The users who may log in, in the district, with the names they are known by. */
export async function activeUsersOfDistrict(db: Db, districtId: string) {
  return db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select(['users.id', 'users.department_id', 'users.name', 'users.username'])
    .where('departments.district_id', '=', districtId)
    .where('users.deactivated_at', 'is', null)
    .execute();
}

export async function insertReminder(db: Db, reminder: Insertable<ReminderTable>) {
  await db.insertInto('reminders').values(reminder).execute();
}

/** A report's reminders, newest first, each with every recipient and when they read it. */
export async function listReminders(db: Db, reportId: string) {
  const reminders = await db
    .selectFrom('reminders')
    .innerJoin('users', 'users.id', 'reminders.sent_by')
    .select(['reminders.id', 'reminders.departments', 'reminders.message', 'reminders.created_at', 'users.name as sent_by_name'])
    .where('reminders.report_id', '=', reportId)
    .orderBy('reminders.created_at', 'desc')
    .execute();
  if (reminders.length === 0) return [];
  const receipts = await db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select(['notifications.reminder_id', 'users.name', 'users.department_id', 'departments.name as department_name', 'notifications.read_at'])
    .where(
      'notifications.reminder_id',
      'in',
      reminders.map((reminder) => reminder.id),
    )
    .orderBy('users.name')
    .execute();
  return reminders.map((reminder) => ({ ...reminder, receipts: receipts.filter((receipt) => receipt.reminder_id === reminder.id) }));
}

/** Who may be named with @ in a comment: the district's departments and the people who may log in, with their names. */
export async function mentionableOfDistrict(db: Db, districtId: string) {
  const [district, departments, users] = await Promise.all([
    db.selectFrom('districts').select('name').where('id', '=', districtId).executeTakeFirst(),
    db.selectFrom('departments').select(['id', 'name', 'name_en']).where('district_id', '=', districtId).execute(),
    activeUsersOfDistrict(db, districtId),
  ]);
  return { districtName: district?.name ?? '', departments, users };
}

/** The people who wrote in a comment thread. */
export async function authorsOfThread(db: Db, reportId: string, threadId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('comments')
    .select('user_id')
    .distinct()
    .where('report_id', '=', reportId)
    .where((eb) => eb.or([eb('id', '=', threadId), eb('thread_id', '=', threadId)]))
    .execute();
  return rows.map((row) => row.user_id);
}

/** Sections not yet approved whose deadline falls in [from, to], of reports still being written, with their department. */
export async function sectionsDueBetween(db: Db, from: number, to: number, reportId?: string) {
  let query = db
    .selectFrom('sections')
    .innerJoin('reports', 'reports.id', 'sections.report_id')
    .select(['sections.report_id', 'sections.section_id', 'sections.department_id', 'sections.deadline'])
    .where('sections.deadline', 'is not', null)
    .where('sections.deadline', '>=', from)
    .where('sections.deadline', '<=', to)
    .where('sections.state', '!=', 'approved')
    .where('sections.department_id', 'is not', null)
    .where('reports.archived', '=', 0);
  if (reportId) query = query.where('sections.report_id', '=', reportId);
  const rows = await query.execute();
  return rows.map((row) => ({ reportId: row.report_id, sectionId: row.section_id, departmentId: row.department_id!, deadline: Number(row.deadline) }));
}

/** Which of these dedupe keys some notification already carries. */
export async function storedDedupeKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('notifications').select('dedupe').distinct().where('dedupe', 'in', [...keys]).execute();
  return new Set(rows.map((row) => row.dedupe));
}
