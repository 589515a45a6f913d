import { Hono, type MiddlewareHandler } from 'hono';
import { BODY_FIELD } from '../../blocks/contract.js';
import { readSectionOutline } from '../../blocks/section/outline.js';
import { requireSession } from '../auth/session-middleware.js';
import type { AuthenticatedSession } from '../auth/sessions.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { findReport, listReportsOfDistrict, listSectionRows } from '../db/reports.js';
import { listLastEdits } from '../db/sections.js';
import { latestReturnReasons } from '../db/comments.js';
import { listDepartments } from '../db/users.js';
import { formatDeadline } from '../workflow/section-workflow.js';
import type { AppEnv } from './app-env.js';
import { refuse } from '../../blocks/errors.js';

export interface ReportRoutesDeps {
  db: Db;
  rooms: RoomRegistry;
}

/** A report the session's user may see, or a 404 that does not reveal whether it exists elsewhere. */
export async function findVisibleReport(db: Db, session: AuthenticatedSession, reportId: string) {
  const report = await findReport(db, reportId);
  if (!report || report.district_id !== session.user.districtId) {
    throw refuse('report-not-found', { report: reportId });
  }
  return report;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * An archived report (imported from an earlier year's publication) is read, never changed: every
 * request to change it or anything in it is refused here, once for all routes.
 */
export function archivedReportsReadOnly(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!READS.has(c.req.method)) {
      const report = await findReport(db, c.req.param('reportId')!);
      if (report?.archived === 1) throw refuse('report-archived', { title: report.title });
    }
    return next();
  };
}

export function createReportRoutes({ db, rooms }: ReportRoutesDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const session = requireSession(c);
      return c.json(await listReportsOfDistrict(db, session.user.districtId));
    })
    .get('/:id/departments', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      const departments = await listDepartments(db, report.district_id);
      return c.json(departments.map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en, color: d.color, isLead: d.is_lead === 1 })));
    })
    .get('/:id/sections', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      const [rows, lastEdits, departments, returnReasons, outline] = await Promise.all([
        listSectionRows(db, report.id),
        listLastEdits(db, report.id),
        listDepartments(db, report.district_id),
        latestReturnReasons(db, report.id),
        rooms.read(report.id, (room) => readSectionOutline(room.document.getXmlFragment(BODY_FIELD))),
      ]);
      const rowById = new Map(rows.map((row) => [row.section_id, row]));
      const departmentById = new Map(departments.map((d) => [d.id, d]));
      const lastEditById = new Map(lastEdits.map((edit) => [edit.sectionId, edit]));
      return c.json(
        outline.map((entry) => {
          const row = rowById.get(entry.sectionId);
          const department = row?.department_id ? departmentById.get(row.department_id) : undefined;
          return {
            id: entry.sectionId,
            title: entry.title,
            level: entry.level,
            department: department?.id ?? null,
            departmentName: department?.name ?? null,
            departmentNameEn: department?.name_en ?? null,
            color: department?.color ?? null,
            state: row?.state ?? 'draft',
            locked: row?.locked === 1,
            deadline: formatDeadline(row?.deadline ?? null),
            lastEditedBy: lastEditById.get(entry.sectionId)?.userName ?? null,
            lastEditedAt: lastEditById.get(entry.sectionId)?.at ?? null,
            // Why the lead office sent it back, while it is back with its department.
            returnReason: row?.state === 'returned' ? (returnReasons.get(entry.sectionId) ?? null) : null,
          };
        }),
      );
    });
}
