import type { Db } from './database.js';

export async function insertSession(db: Db, session: { id: string; userId: number; now: number; expiresAt: number }) {
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: session.userId, created_at: session.now, expires_at: session.expiresAt })
    .execute();
}

export async function findLiveSession(db: Db, id: string, now: number) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Db, now: number) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
