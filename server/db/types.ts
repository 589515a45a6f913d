import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { BodyLevel } from '../../blocks/annex/body-level.js';
import type { NotificationKind } from '../../blocks/notifications.js';
import type { Role } from '../../blocks/section/permissions.js';

export type { Role };
export type SectionState = 'draft' | 'submitted' | 'approved' | 'returned';

export interface DistrictTable {
  id: string;
  name: string;
}

export interface DepartmentTable {
  id: string;
  district_id: string;
  name: string;
  name_en: string;
  /** Caret and badge colour, a #rrggbb value. */
  color: string;
  /** The lead office (政府办 / 政务公开办) runs the district's reports. */
  is_lead: ColumnType<number, number | undefined, number>;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  name: string;
  password_hash: string;
  department_id: string;
  role: Role;
  created_at: ColumnType<number, number, never>;
  /** When the user was deactivated; null while they may log in. */
  deactivated_at: number | null;
  /** 1: the password was set by an administrator; the user must choose their own first. */
  must_change_password: ColumnType<number, number | undefined, number>;
}

export interface AdminLogTable {
  id: Generated<number>;
  /** Who did it; null: the operator at the command line. */
  user_id: number | null;
  action: string;
  detail: string;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a leaked database gives no usable session. */
  id: string;
  user_id: number;
  created_at: ColumnType<number, number, never>;
  expires_at: number;
}

export interface ReportTable {
  id: string;
  district_id: string;
  title: string;
  year: number;
  format: string;
  created_at: ColumnType<number, number, never>;
  /** JSON annex tables of last year, entered by hand when last year's report is not in the system. */
  previous_annex: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who writes the report (rule A2). */
  level: ColumnType<BodyLevel, BodyLevel | undefined, BodyLevel>;
  /** 1: imported from an earlier year's publication, read-only. */
  archived: ColumnType<number, number | undefined, never>;
}

/** 本级政府, a department, or a township: who contributes to a district roll-up. */
export type UnitKind = 'government' | 'department' | 'township';

/** A unit contributing its own copies of tables B and C to a district report (rule H1). */
export interface ReportUnitTable {
  report_id: string;
  unit_id: string;
  name: string;
  kind: UnitKind;
  /** The section holding the unit's tables: its owner fills them. */
  section_id: string;
  position: number;
}

export interface SectionTable {
  report_id: string;
  section_id: string;
  department_id: string | null;
  state: ColumnType<SectionState, SectionState | undefined, SectionState>;
  locked: ColumnType<number, number | undefined, number>;
  deadline: number | null;
}

export interface UpdateLogTable {
  report_id: string;
  seq: number;
  data: Uint8Array;
  /** Null for updates the system wrote itself (the seeded template). */
  user_id: number | null;
  created_at: number;
  /** JSON array of the section ids the update touched; a trigger indexes them in update_sections. */
  sections: ColumnType<string | null, string | null | undefined, never>;
}

/** Which sections each logged update touched: the per-section history. */
export interface UpdateSectionTable {
  report_id: string;
  section_id: string;
  seq: number;
}

export type AuditAction =
  | 'assign'
  | 'deadline'
  | 'lock'
  | 'unlock'
  | 'submit'
  | 'approve'
  | 'return'
  | 'restore'
  | 'add-section'
  | 'remove-section'
  | 'move-section'
  | 'retitle-section'
  /** The section's approved text was edited, so it went back to draft (by the editor, automatically). */
  | 'approval-revoked'
  | 'units'
  /** Suggestions (修订) accepted into the section's text, or rejected. */
  | 'suggestions-accepted'
  | 'suggestions-rejected'
  | 'previous-annex'
  | 'report-level';

export interface AuditLogTable {
  id: Generated<number>;
  report_id: string;
  section_id: string | null;
  user_id: number | null;
  action: AuditAction;
  /** JSON: what changed (department, deadline, comment, restored seq, ...). */
  detail: string;
  created_at: number;
}

export type CommentKind = 'comment' | 'return';

export interface CommentTable {
  id: string;
  report_id: string;
  section_id: string;
  /** The first comment of the thread; null for a thread's first comment itself. */
  thread_id: string | null;
  user_id: number;
  kind: CommentKind;
  body: string;
  /** JSON of Yjs relative positions { from, to } in the section: the anchor survives edits. */
  anchor: string | null;
  /** The text the comment was anchored to, as it read then. */
  quote: string | null;
  resolved_at: number | null;
  resolved_by: number | null;
  created_at: number;
}

export interface SnapshotTable {
  report_id: string;
  /** The snapshot is the merged state of every update with seq ≤ this. */
  seq: number;
  data: Uint8Array;
  created_at: number;
}

/** A published version of a report: immutable, served on the portal at its random id. */
export interface PublicationTable {
  id: string;
  report_id: string;
  version: number;
  note: string;
  /** SHA-256 (hex) of `html`. */
  content_hash: string;
  html: string;
  /** JSON of the annex tables as published. */
  annex: string;
  published_by: number;
  published_at: number;
  /** JSON: each section's title and text blocks as published (see PublishedSection). */
  sections: string;
  /** The last logged update of the report it was made from; null for the earliest versions. */
  seq: number | null;
}

export interface PublicationFileTable {
  publication_id: string;
  kind: 'docx' | 'pdf';
  content_type: string;
  bytes: Buffer;
  sha256: string;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  publication_id: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}

/** Who writes under a Yjs client id of a report; null: the server itself. */
export interface ClientIdTable {
  report_id: string;
  client_id: number;
  user_id: number | null;
}

/** Which stored part of a report a row of `update_log` or `snapshots` is. */
export type StoredPartKind = 'update' | 'snapshot';

/** A logged update or snapshot the operator left out of every replay; the row itself stays. */
export interface SkippedRowTable {
  report_id: string;
  kind: StoredPartKind;
  seq: number;
  /** Why, as the operator's tool recorded it (the read error, or the restore it belongs to). */
  reason: string;
  skipped_at: number;
}

/** One thing one user is told about (blocks/notifications.ts), until and after they read it. */
export interface NotificationTable {
  id: string;
  user_id: number;
  report_id: string;
  section_id: string | null;
  kind: NotificationKind;
  /** JSON NotificationDetail: what the text names, for the browser to say in the user's language. */
  detail: string;
  /** Sent once per user: a deadline's stage is told once, however many processes watch it. */
  dedupe: string;
  /** The lead office's reminder this notification carries, for its read receipts. */
  reminder_id: string | null;
  created_at: number;
  read_at: number | null;
}

/** A reminder (催办) the lead office sent to departments late with their sections. */
export interface ReminderTable {
  id: string;
  report_id: string;
  sent_by: number;
  /** JSON array of the department ids it went to. */
  departments: string;
  message: string;
  created_at: number;
}

export interface Database {
  districts: DistrictTable;
  departments: DepartmentTable;
  users: UserTable;
  sessions: SessionTable;
  reports: ReportTable;
  sections: SectionTable;
  update_log: UpdateLogTable;
  snapshots: SnapshotTable;
  update_sections: UpdateSectionTable;
  audit_log: AuditLogTable;
  comments: CommentTable;
  report_units: ReportUnitTable;
  publications: PublicationTable;
  publication_files: PublicationFileTable;
  webhook_deliveries: WebhookDeliveryTable;
  client_ids: ClientIdTable;
  skipped_rows: SkippedRowTable;
  admin_log: AdminLogTable;
  report_leases: ReportLeaseTable;
  notifications: NotificationTable;
  reminders: ReminderTable;
}

/** The server process that decides a report's edits while several share a PostgreSQL database. */
export interface ReportLeaseTable {
  report_id: string;
  /** The holding process's id (random, per start). */
  owner: string;
  /** Where other processes forward the report's sockets and requests. */
  url: string;
  /** Milliseconds on the database's clock: once past, any process may take the report. */
  expires_at: number;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Report = Selectable<ReportTable>;
export type SectionRow = Selectable<SectionTable>;
