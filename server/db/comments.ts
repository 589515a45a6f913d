import type { Db } from './database.js';
import type { CommentKind } from './types.js';

export interface NewComment {
  id: string;
  reportId: string;
  sectionId: string;
  threadId: string | null;
  userId: number;
  kind: CommentKind;
  body: string;
  anchor: string | null;
  quote: string | null;
  now: number;
}

export async function insertComment(db: Db, comment: NewComment) {
  await db
    .insertInto('comments')
    .values({
      id: comment.id,
      report_id: comment.reportId,
      section_id: comment.sectionId,
      thread_id: comment.threadId,
      user_id: comment.userId,
      kind: comment.kind,
      body: comment.body,
      anchor: comment.anchor,
      quote: comment.quote,
      resolved_at: null,
      resolved_by: null,
      created_at: comment.now,
    })
    .execute();
}

export async function findComment(db: Db, reportId: string, commentId: string) {
  return db.selectFrom('comments').selectAll().where('report_id', '=', reportId).where('id', '=', commentId).executeTakeFirst();
}

export async function resolveThread(db: Db, reportId: string, threadId: string, userId: number, now: number) {
  await db
    .updateTable('comments')
    .set({ resolved_at: now, resolved_by: userId })
    .where('report_id', '=', reportId)
    .where((eb) => eb.or([eb('id', '=', threadId), eb('thread_id', '=', threadId)]))
    .execute();
}

export async function listComments(db: Db, reportId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'c.id',
      'c.section_id as sectionId',
      'c.thread_id as threadId',
      'c.kind',
      'c.body',
      'c.anchor',
      'c.quote',
      'c.resolved_at as resolvedAt',
      'c.created_at as at',
      'u.name as userName',
      'd.id as departmentId',
      'd.color as color',
    ])
    .where('c.report_id', '=', reportId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** The comments of a section that are anchored to its text. */
export async function listAnchoredComments(db: Db, reportId: string, sectionId: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'anchor'])
    .where('report_id', '=', reportId)
    .where('section_id', '=', sectionId)
    .where('anchor', 'is not', null)
    .execute();
}

export async function setCommentAnchor(db: Db, reportId: string, commentId: string, anchor: string) {
  await db.updateTable('comments').set({ anchor }).where('report_id', '=', reportId).where('id', '=', commentId).execute();
}

/** Each section's latest return reason, by section id. */
export async function latestReturnReasons(db: Db, reportId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('comments')
    .select(['section_id', 'body'])
    .where('report_id', '=', reportId)
    .where('kind', '=', 'return')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return new Map(rows.map((row) => [row.section_id, row.body]));
}
