import type { AnnexTables } from '../blocks/annex/annex-data.js';
import type { BodyLevel } from '../blocks/annex/body-level.js';
import type { Finding } from '../blocks/annex/rules/finding.js';
import type { RulesContext } from '../blocks/annex/validate.js';
import type { ImportPreview } from '../blocks/import/report-import.js';
import type { WordDraft } from '../blocks/import/source.js';
import type { NotificationView, ReminderView } from '../blocks/notifications.js';
import type { Role, Writer } from '../blocks/section/permissions.js';
import { localizeApiError } from './i18n.js';

/** An error the server explained: its status, stable code and a message for the user. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `body`: JSON, or a form carrying a file (the browser labels it multipart/form-data). */
async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response;
  const isForm = body instanceof FormData;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || isForm ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(0, 'network', localizeApiError('network', ''));
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; params?: unknown } } | null)?.error;
    const code = error?.code ?? 'http_error';
    throw new ApiRequestError(response.status, code, localizeApiError(code, error?.message ?? `${response.status} ${response.statusText}`, error?.params));
  }
  return payload as T;
}

export type { Role };

export interface Me {
  /** The user's id: their suggestions are kept under it. */
  id: number;
  username: string;
  name: string;
  department: string;
  departmentName: string;
  departmentNameEn: string;
  color: string;
  role: Role;
  /** The password was set by an administrator: the user chooses their own before anything else. */
  mustChangePassword: boolean;
}

/** The district's departments and users, as its administrators see them. */
export interface Accounts {
  departments: Array<{ id: string; name: string; nameEn: string; color: string; isLead: number }>;
  users: Array<{ username: string; name: string; role: Role; department: string; deactivatedAt: number | null }>;
}

/** The signed-in user as the permission rules of blocks/section/permissions see them. */
export function writerOf(me: Me): Writer {
  return { role: me.role, departmentId: me.department };
}

export interface ReportSummary {
  id: string;
  title: string;
  year: number;
  format: string;
  level: BodyLevel;
  /** Imported from an earlier year's publication: read-only. */
  archived: boolean;
}

/** An earlier year's report to keep read-only, as an import preview read it. */
export interface ArchiveInput {
  title: string;
  year: number;
  format: string;
  level: BodyLevel;
  sections: Array<{ title: string; text: string; tables: string[] }>;
  tables: AnnexTables;
}

export interface SectionInfo {
  id: string;
  title: string;
  level: 1 | 2;
  department: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  color: string | null;
  state: 'draft' | 'submitted' | 'approved' | 'returned';
  locked: boolean;
  /** "YYYY-MM-DD", the day by which the department should submit. */
  deadline: string | null;
  lastEditedBy: string | null;
  lastEditedAt: number | null;
  /** Why the lead office sent it back, while it is back with its department. */
  returnReason: string | null;
}

export interface Department {
  id: string;
  name: string;
  nameEn: string;
  color: string;
  isLead: boolean;
}

export interface CommentInfo {
  id: string;
  sectionId: string;
  threadId: string | null;
  kind: 'comment' | 'return';
  body: string;
  anchor: { from: unknown; to: unknown } | null;
  quote: string | null;
  resolvedAt: number | null;
  at: number;
  userName: string;
  departmentId: string;
  color: string;
}

export interface AuditEntry {
  id: number;
  sectionId: string | null;
  action: string;
  detail: Record<string, unknown>;
  at: number;
  userName: string | null;
  departmentId: string | null;
}

export interface SectionHistory {
  changes: Array<{ fromSeq: number; toSeq: number; userName: string | null; departmentId: string | null; startedAt: number; endedAt: number; edits: number }>;
  audit: AuditEntry[];
}

export interface SectionComparison {
  from: number;
  before: string[];
  after: string[];
  parts: Array<{ kind: 'same' | 'added' | 'removed'; text: string }>;
  /** The cells of the section's annex tables that changed, labelled as the national tables label them. */
  cells: CellChange[];
}

/** What a department changed since the lead office last looked in review (its submission, or the return). */
export interface ReviewChanges {
  since: { action: 'submit' | 'return'; at: number; userName: string | null; atSeq: number } | null;
  parts: SectionComparison['parts'];
  cells: CellChange[];
  changed: boolean;
}

/** An annex cell that differs; `label` is readable, e.g. "附表B 新收·自然人". */
export interface CellChange {
  table: string;
  label: string;
  before: number | null;
  after: number | null;
}

/** A report's annex and the rules' context: last year's figures and the roll-up's units. */
export interface ReportAnnex extends RulesContext {
  format: string;
  year: number;
  tables: AnnexTables;
  previousSource: { reportId: string; title: string } | 'entered' | null;
  units: Array<{ id: string; name: string; kind: string; sectionId: string }>;
}

/** How the report now differs from what it is compared against (the last published version, or last year's report). */
export interface ReportChanges {
  against: { kind: 'version'; version: number; publishedAt: number } | { kind: 'year'; year: number; title: string };
  sections: Array<{
    id: string;
    title: string;
    status: 'added' | 'removed' | 'changed';
    /** Characters added and removed. */
    added: number;
    removed: number;
    parts: Array<{ kind: 'same' | 'added' | 'removed'; text: string }>;
  }>;
  unchangedSections: number;
  cells: CellChange[];
}

/** What stands between the report and the portal: errors and unapproved sections block, warnings need acknowledging. */
export interface Preflight {
  ready: boolean;
  findings: Finding[];
  unapproved: Array<{ id: string; title: string; state: string }>;
  /** Sections past their deadline ("YYYY-MM-DD") and not yet approved. */
  overdue: Array<{ id: string; title: string; deadline: string; state: string }>;
  changes: {
    /** null when the report was never published. */
    sinceLastVersion: ReportChanges | null;
    /** null when last year's report is not in the system. */
    sinceLastYear: ReportChanges | null;
  };
}

/** Pushing a publication to the configured webhook. */
export interface PublicationDelivery {
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

export interface Publication {
  id: string;
  version: number;
  note: string;
  contentHash: string;
  publishedAt: number;
  publishedBy: string;
  /** The public page, e.g. "/portal/Ab3…". */
  url: string;
  downloads: { docx: string; pdf: string; csv: string; json: string };
  /** null when no webhook is configured. */
  delivery: PublicationDelivery | null;
}

export type SectionAction = 'lock' | 'unlock' | 'submit' | 'approve';

export const api = {
  me: () => request<Me>('GET', '/api/me'),
  changePassword: (current: string, next: string) => request<{ ok: true }>('POST', '/api/me/password', { current, next }),
  accounts: () => request<Accounts>('GET', '/api/admin/accounts'),
  addDepartment: (name: string, nameEn: string) => request<{ id: string }>('POST', '/api/admin/departments', { name, nameEn: nameEn || undefined }),
  addUser: (user: { username: string; name: string; department: string; role: Role }) => request<{ id: number; password?: string }>('POST', '/api/admin/users', user),
  resetPassword: (username: string) => request<{ password: string }>('POST', `/api/admin/users/${encodeURIComponent(username)}/reset-password`, {}),
  deactivate: (username: string) => request<{ ok: true }>('POST', `/api/admin/users/${encodeURIComponent(username)}/deactivate`),
  login: (username: string, password: string) => request<Me>('POST', '/api/login', { username, password }),
  logout: () => request<{ ok: true }>('POST', '/api/logout'),
  reports: () => request<ReportSummary[]>('GET', '/api/reports'),
  sections: (reportId: string) => request<SectionInfo[]>('GET', `${reportPath(reportId)}/sections`),
  departments: (reportId: string) => request<Department[]>('GET', `${reportPath(reportId)}/departments`),
  sectionAction: (reportId: string, sectionId: string, action: SectionAction) =>
    request<unknown>('POST', `${sectionPath(reportId, sectionId)}/${action}`),
  assign: (reportId: string, sectionId: string, department: string) =>
    request<unknown>('POST', `${sectionPath(reportId, sectionId)}/assign`, { department }),
  setDeadline: (reportId: string, sectionId: string, deadline: string | null) =>
    request<unknown>('POST', `${sectionPath(reportId, sectionId)}/deadline`, { deadline }),
  returnSection: (reportId: string, sectionId: string, comment: string) =>
    request<unknown>('POST', `${sectionPath(reportId, sectionId)}/return`, { comment }),
  addSection: (reportId: string, input: { title: string; level: 1 | 2; after: string | null; department: string | null }) =>
    request<unknown>('POST', `${reportPath(reportId)}/sections`, input),
  removeSection: (reportId: string, sectionId: string) => request<unknown>('DELETE', sectionPath(reportId, sectionId)),
  moveSection: (reportId: string, sectionId: string, index: number) =>
    request<unknown>('POST', `${sectionPath(reportId, sectionId)}/move`, { index }),
  retitleSection: (reportId: string, sectionId: string, title: string) =>
    request<unknown>('POST', `${sectionPath(reportId, sectionId)}/retitle`, { title }),
  history: (reportId: string, sectionId: string) => request<SectionHistory>('GET', `${sectionPath(reportId, sectionId)}/history`),
  compare: (reportId: string, sectionId: string, from: number) =>
    request<SectionComparison>('GET', `${sectionPath(reportId, sectionId)}/compare?from=${from}`),
  /** Accepts or rejects suggestions in a section: by key, all of one author's, or (neither) all. */
  decideSuggestions: (reportId: string, sectionId: string, input: { decision: 'accept' | 'reject'; keys?: string[]; author?: number }) =>
    request<{ decided: string[] }>('POST', `${sectionPath(reportId, sectionId)}/suggestions/decide`, input),
  reviewChanges: (reportId: string, sectionId: string) => request<ReviewChanges>('GET', `${sectionPath(reportId, sectionId)}/review-changes`),
  restore: (reportId: string, sectionId: string, seq: number) => request<unknown>('POST', `${sectionPath(reportId, sectionId)}/restore`, { seq }),
  comments: (reportId: string) => request<CommentInfo[]>('GET', `${reportPath(reportId)}/comments`),
  addComment: (reportId: string, input: { section: string; body: string; thread?: string; anchor?: unknown; quote?: string }) =>
    request<{ id: string }>('POST', `${reportPath(reportId)}/comments`, input),
  annex: (reportId: string) => request<ReportAnnex>('GET', `${reportPath(reportId)}/annex`),
  setUnits: (reportId: string, units: ReportAnnex['units']) => request<unknown>('PUT', `${reportPath(reportId)}/units`, { units }),
  setPreviousAnnex: (reportId: string, tables: AnnexTables | null) => request<unknown>('PUT', `${reportPath(reportId)}/previous-annex`, { tables }),
  createReport: (input: { title: string; year: number; level?: BodyLevel; fromLastYear?: boolean }) => request<{ id: string }>('POST', '/api/reports', input),
  /** Reads a published report (the file; the year when it does not say) and answers the preview; stores nothing. */
  importPreview: (file: File, year: number | null) => {
    const form = new FormData();
    form.append('file', file);
    if (year !== null) form.append('year', String(year));
    return request<ImportPreview>('POST', '/api/imports', form);
  },
  /** A Word/WPS draft (.docx) converted for a section this user may write in; stores nothing. */
  wordDraft: (reportId: string, sectionId: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<WordDraft>('POST', `${sectionPath(reportId, sectionId)}/drafts`, form);
  },
  createArchive: (input: ArchiveInput) => request<{ id: string }>('POST', '/api/reports', { ...input, archived: true }),
  setReportLevel: (reportId: string, level: BodyLevel) => request<unknown>('PUT', `${reportPath(reportId)}/level`, { level }),
  resolveComment: (reportId: string, commentId: string) =>
    request<unknown>('POST', `${reportPath(reportId)}/comments/${encodeURIComponent(commentId)}/resolve`),
  preflight: (reportId: string) => request<Preflight>('GET', `${reportPath(reportId)}/publications/preflight`),
  /** `acknowledge`: the rule ids of the warnings the lead office acknowledged (the server checks them). */
  publish: (reportId: string, note: string, acknowledge: string[]) =>
    request<{ version: number; url: string; seq: number }>('POST', `${reportPath(reportId)}/publications`, { note, acknowledge }),
  publications: (reportId: string) => request<Publication[]>('GET', `${reportPath(reportId)}/publications`),
  notifications: () => request<NotificationView[]>('GET', '/api/notifications'),
  readNotification: (id: string) => request<unknown>('POST', `/api/notifications/${encodeURIComponent(id)}/read`),
  readAllNotifications: () => request<{ read: number }>('POST', '/api/notifications/all/read'),
  /** 催办: by default to every department with a section past its deadline. */
  sendReminder: (reportId: string, input: { departments?: string[]; message?: string }) =>
    request<{ id: string; departments: string[]; recipients: number }>('POST', `${reportPath(reportId)}/reminders`, input),
  reminders: (reportId: string) => request<ReminderView[]>('GET', `${reportPath(reportId)}/reminders`),
  redeliver: (reportId: string, publicationId: string) => request<unknown>('POST', `${reportPath(reportId)}/publications/${encodeURIComponent(publicationId)}/redeliver`),
};

function reportPath(reportId: string): string {
  return `/api/reports/${encodeURIComponent(reportId)}`;
}

function sectionPath(reportId: string, sectionId: string): string {
  return `${reportPath(reportId)}/sections/${encodeURIComponent(sectionId)}`;
}
