import { randomBytes } from 'node:crypto';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import type { ReminderView } from '../../blocks/notifications.js';
import type { Db } from '../db/database.js';
import { insertReminder, listReminders } from '../db/notifications.js';
import { listSectionRows } from '../db/reports.js';
import type { Report } from '../db/types.js';
import { listDepartments, type UserWithDepartment } from '../db/users.js';
import type { ReportDigests } from '../read/report-digests.js';
import { requireLead } from '../workflow/lead-office.js';
import { deadlineStage } from './deadline-watch.js';
import type { Delivery, Notifier } from './notifier.js';

/** A reminder says why in a sentence or two. */
export const MAX_REMINDER_MESSAGE = 200;

export interface RemindersDeps {
  db: Db;
  notifier: Notifier;
  digests: ReportDigests;
  now: () => number;
}

export interface ReminderRequest {
  departments?: unknown;
  message?: unknown;
}

/**
 * 催办: the lead office reminds departments to finish their sections. By default it goes to every
 * department with a section past its deadline and not approved; each of their people is told
 * which of the department's sections are still open, and the lead office sees who has read it.
 */
export class Reminders {
  constructor(private readonly deps: RemindersDeps) {}

  async send(actor: UserWithDepartment, report: Report, request: ReminderRequest) {
    requireLead(actor, 'remind');
    const message = request.message === undefined || request.message === null ? '' : request.message;
    if (typeof message !== 'string') throw invalidRequest('"message" must be text');
    if (message.trim().length > MAX_REMINDER_MESSAGE) throw refuse('reminder-message-length', { max: MAX_REMINDER_MESSAGE });
    const [rows, departments, digest] = await Promise.all([listSectionRows(this.deps.db, report.id), listDepartments(this.deps.db, report.district_id), this.deps.digests.of(report)]);
    const now = this.deps.now();
    const open = rows.filter((row) => row.department_id !== null && row.state !== 'approved');
    let chosen: string[];
    if (request.departments === undefined || request.departments === null) {
      chosen = [...new Set(open.filter((row) => row.deadline !== null && deadlineStage(Number(row.deadline), now) === 'overdue').map((row) => row.department_id!))];
      if (chosen.length === 0) throw refuse('nothing-overdue', {});
    } else {
      if (!Array.isArray(request.departments) || request.departments.length === 0 || !request.departments.every((id) => typeof id === 'string')) {
        throw invalidRequest('"departments" must be a non-empty list of department ids');
      }
      chosen = [...new Set(request.departments as string[])];
      const unknown = chosen.find((id) => !departments.some((department) => department.id === id));
      if (unknown !== undefined) throw refuse('department-unknown', { department: unknown });
    }
    const titleOf = new Map(digest.outline.map((entry) => [entry.sectionId, entry.title]));
    const id = randomBytes(9).toString('base64url');
    const deliveries: Delivery[] = [];
    await this.deps.db.transaction().execute(async (trx) => {
      await insertReminder(trx, { id, report_id: report.id, sent_by: actor.id, departments: JSON.stringify(chosen), message: message.trim(), created_at: now });
      for (const departmentId of chosen) {
        const sections = open.filter((row) => row.department_id === departmentId).map((row) => row.section_id);
        const delivery = await this.deps.notifier.record(trx, {
          kind: 'reminder',
          reportId: report.id,
          sectionId: sections.length === 1 ? sections[0]! : null,
          detail: {
            reportTitle: report.title,
            ...(sections.length > 0 ? { sectionTitle: sections.map((section) => titleOf.get(section) ?? section).join('、') } : {}),
            by: actor.departmentName,
            ...(message.trim() ? { text: message.trim() } : {}),
          },
          to: { departments: [departmentId] },
          except: actor.id,
          reminderId: id,
        });
        deliveries.push(delivery);
      }
    });
    for (const delivery of deliveries) delivery();
    return { id, departments: chosen, recipients: deliveries.reduce((sum, delivery) => sum + delivery.count, 0) };
  }

  /** The report's reminders with their read receipts, for the lead office. */
  async list(actor: UserWithDepartment, report: Report): Promise<ReminderView[]> {
    requireLead(actor, 'remind');
    const reminders = await listReminders(this.deps.db, report.id);
    return reminders.map((reminder) => ({
      id: reminder.id,
      sentBy: reminder.sent_by_name,
      message: reminder.message,
      departments: JSON.parse(reminder.departments) as string[],
      createdAt: Number(reminder.created_at),
      recipients: reminder.receipts.map((receipt) => ({
        name: receipt.name,
        department: receipt.department_id,
        departmentName: receipt.department_name,
        readAt: receipt.read_at === null ? null : Number(receipt.read_at),
      })),
    }));
  }
}
