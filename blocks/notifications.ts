import type { Language } from './errors.js';

/**
 * What a user is told about without opening the dashboard: the kinds of notification, what each
 * carries, and how it reads in each language. The server stores a notification's kind and detail
 * and answers its Chinese text; the browser shows it in the language the user chose.
 */
export const NOTIFICATION_KINDS = ['assigned', 'deadline', 'returned', 'approved', 'locked', 'mention', 'suggestion', 'published', 'reminder'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How near a deadline is: set (or moved) by the lead office, three days or one day away, passed, or taken away. */
export type DeadlineStage = 'set' | 'cleared' | '3d' | '1d' | 'overdue';

/** What a notification names; which fields a kind uses is in `notificationText`. */
export interface NotificationDetail {
  reportTitle: string;
  sectionTitle?: string;
  /** Who did it, as the department and person read it: 政府办 王主任. */
  by?: string;
  /** A return's reason, a reminder's message, or the start of a comment. */
  text?: string;
  /** "YYYY-MM-DD" */
  deadline?: string;
  stage?: DeadlineStage;
  /** The mention was a reply to the user's own comment. */
  reply?: boolean;
  version?: number;
}

/** A notification as `GET /api/notifications` answers it, newest first. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  reportId: string;
  sectionId: string | null;
  /** In Chinese, as the contract has it; `detail` lets the browser say it in English. */
  text: string;
  detail: NotificationDetail;
  createdAt: number;
  read: boolean;
}

/** A reminder (催办) as `GET /api/reports/:id/reminders` answers it: to whom, and who has read it. */
export interface ReminderView {
  id: string;
  sentBy: string;
  message: string;
  departments: string[];
  createdAt: number;
  recipients: Array<{ name: string; department: string; departmentName: string; readAt: number | null }>;
}

/** A section by its title, or the report when the notice is about no one section. */
function about(detail: NotificationDetail, language: Language): string {
  const section = detail.sectionTitle;
  if (language === 'zh') return section ? `《${detail.reportTitle}》「${section}」` : `《${detail.reportTitle}》`;
  return section ? `“${section}” of ${detail.reportTitle}` : detail.reportTitle;
}

const DEADLINE_ZH: Record<DeadlineStage, (detail: NotificationDetail) => string> = {
  set: (d) => `${about(d, 'zh')}的截止日期设为 ${d.deadline}`,
  cleared: (d) => `${about(d, 'zh')}不再设截止日期`,
  '3d': (d) => `${about(d, 'zh')}将于 ${d.deadline} 截止，还有 3 天`,
  '1d': (d) => `${about(d, 'zh')}将于 ${d.deadline} 截止，仅剩 1 天`,
  overdue: (d) => `${about(d, 'zh')}已超过截止日期 ${d.deadline}，尚未审核通过`,
};

const DEADLINE_EN: Record<DeadlineStage, (detail: NotificationDetail) => string> = {
  set: (d) => `The deadline of ${about(d, 'en')} is now ${d.deadline}`,
  cleared: (d) => `${about(d, 'en')} no longer has a deadline`,
  '3d': (d) => `${about(d, 'en')} is due on ${d.deadline}, in 3 days`,
  '1d': (d) => `${about(d, 'en')} is due on ${d.deadline}, in 1 day`,
  overdue: (d) => `${about(d, 'en')} was due on ${d.deadline} and is not approved yet`,
};

const TEXTS: Record<NotificationKind, Record<Language, (detail: NotificationDetail) => string>> = {
  assigned: {
    zh: (d) => `${about(d, 'zh')}已分配给本部门编写`,
    en: (d) => `${about(d, 'en')} was assigned to your department`,
  },
  deadline: {
    zh: (d) => DEADLINE_ZH[d.stage ?? 'set'](d),
    en: (d) => DEADLINE_EN[d.stage ?? 'set'](d),
  },
  returned: {
    zh: (d) => `${about(d, 'zh')}被退回修改：${d.text ?? ''}`,
    en: (d) => `${about(d, 'en')} was returned for changes: ${d.text ?? ''}`,
  },
  approved: {
    zh: (d) => `${about(d, 'zh')}已审核通过`,
    en: (d) => `${about(d, 'en')} was approved`,
  },
  locked: {
    zh: (d) => `${about(d, 'zh')}已定稿锁定`,
    en: (d) => `${about(d, 'en')} was locked as final`,
  },
  mention: {
    zh: (d) => `${d.by ?? ''}在${about(d, 'zh')}的批注中${d.reply ? '回复了您' : '提到了您'}：${d.text ?? ''}`,
    en: (d) => `${d.by ?? ''} ${d.reply ? 'replied to you' : 'mentioned you'} in a comment on ${about(d, 'en')}: ${d.text ?? ''}`,
  },
  suggestion: {
    zh: (d) => `${d.by ?? ''}对${about(d, 'zh')}提出了修改建议`,
    en: (d) => `${d.by ?? ''} suggested changes to ${about(d, 'en')}`,
  },
  published: {
    zh: (d) => `${about(d, 'zh')}已发布第 ${d.version ?? 1} 版`,
    en: (d) => `Version ${d.version ?? 1} of ${about(d, 'en')} was published`,
  },
  reminder: {
    zh: (d) => `${d.by ?? '政府办'}催办${about(d, 'zh')}${d.text ? `：${d.text}` : ''}`,
    en: (d) => `${d.by ?? 'The lead office'} asks you to finish ${about(d, 'en')}${d.text ? `: ${d.text}` : ''}`,
  },
};

export function notificationText(kind: NotificationKind, detail: NotificationDetail, language: Language): string {
  return TEXTS[kind][language](detail);
}

/** How much of a comment or a reason a notification quotes. */
export const NOTIFICATION_EXCERPT = 120;

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > NOTIFICATION_EXCERPT ? `${flat.slice(0, NOTIFICATION_EXCERPT - 1)}…` : flat;
}
