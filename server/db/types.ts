import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type Role = 'lead' | 'editor' | 'viewer';
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
}

export interface SnapshotTable {
  report_id: string;
  /** The snapshot is the merged state of every update with seq ≤ this. */
  seq: number;
  data: Uint8Array;
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
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Report = Selectable<ReportTable>;
export type SectionRow = Selectable<SectionTable>;
