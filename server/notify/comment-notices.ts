import { excerpt } from '../../blocks/notifications.js';
import type { Db } from '../db/database.js';
import { authorsOfThread, mentionableOfDistrict } from '../db/notifications.js';
import type { Report } from '../db/types.js';
import type { UserWithDepartment } from '../db/users.js';
import type { Notice } from './notifier.js';

export interface NewCommentFacts {
  report: Report;
  sectionId: string;
  sectionTitle: string;
  /** The thread the comment answers; null for a new thread. */
  threadId: string | null;
  author: UserWithDepartment;
  text: string;
}

/**
 * Who hears of a comment: everyone it names — @部门 (a department's Chinese name, with or without
 * the district's, or its English name) or
 * @person (their name or username) — and, for a reply, everyone who wrote in the thread before.
 * Each person is told once, a mention before a reply; the author never.
 */
export async function noticesOfComment(db: Db, facts: NewCommentFacts): Promise<Notice[]> {
  const { districtName, departments, users } = await mentionableOfDistrict(db, facts.report.district_id);
  const named = (name: string) => name !== '' && mentions(facts.text, name);
  // 示范区财政局 is @财政局 inside its own district.
  const shortName = (name: string) => (districtName !== '' && name.startsWith(districtName) ? name.slice(districtName.length) : '');
  const namedDepartments = departments.filter((department) => named(department.name) || named(shortName(department.name)) || named(department.name_en)).map((department) => department.id);
  const mentioned = new Set(users.filter((user) => named(user.name) || named(user.username) || namedDepartments.includes(user.department_id)).map((user) => user.id));
  const replied = facts.threadId ? (await authorsOfThread(db, facts.report.id, facts.threadId)).filter((userId) => !mentioned.has(userId)) : [];
  const detail = { reportTitle: facts.report.title, sectionTitle: facts.sectionTitle, by: `${facts.author.departmentName} ${facts.author.name}`, text: excerpt(facts.text) };
  const base = { kind: 'mention' as const, reportId: facts.report.id, sectionId: facts.sectionId, except: facts.author.id };
  return [
    ...(mentioned.size > 0 ? [{ ...base, detail, to: { users: [...mentioned] } }] : []),
    ...(replied.length > 0 ? [{ ...base, detail: { ...detail, reply: true }, to: { users: replied } }] : []),
  ];
}

/** "@name" in the text, not as the start of a longer Latin word (@fin does not name finance). */
function mentions(text: string, name: string): boolean {
  const lower = text.toLowerCase();
  const wanted = `@${name.toLowerCase()}`;
  for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, at + 1)) {
    const next = lower[at + wanted.length];
    if (next === undefined || !/[a-z0-9_]/.test(next) || !/[a-z0-9_]$/.test(wanted)) return true;
  }
  return false;
}
