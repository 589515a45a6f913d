import type { AuditAction, Report, SectionRow } from '../db/types.js';
import { formatDeadline } from '../workflow/section-workflow.js';
import type { Notice } from './notifier.js';

/** A change the lead office made to a section, as the notice to its department sees it. */
export interface SectionChangeFacts {
  action: AuditAction;
  actorId: number;
  report: Report;
  sectionId: string;
  sectionTitle: string;
  /** The section's row after the change. */
  row: SectionRow;
  /** A return's reason. */
  reason?: string;
}

/**
 * Who hears of a change to a section: the department that writes it is told of an assignment, a
 * deadline set or taken away, a return with its reason, an approval and a lock. Other changes
 * (a submission, a move, a new title) are for the lead office's dashboard, not a notification.
 */
export function noticeOfSectionChange(facts: SectionChangeFacts): Notice | null {
  const { row } = facts;
  if (!row.department_id) return null;
  const base = {
    reportId: facts.report.id,
    sectionId: facts.sectionId,
    to: { departments: [row.department_id] },
    except: facts.actorId,
  };
  const detail = { reportTitle: facts.report.title, sectionTitle: facts.sectionTitle };
  switch (facts.action) {
    case 'assign':
      return { ...base, kind: 'assigned', detail };
    case 'deadline': {
      const deadline = formatDeadline(row.deadline);
      return { ...base, kind: 'deadline', detail: deadline ? { ...detail, deadline, stage: 'set' } : { ...detail, stage: 'cleared' } };
    }
    case 'return':
      return { ...base, kind: 'returned', detail: { ...detail, text: facts.reason ?? '' } };
    case 'approve':
      return { ...base, kind: 'approved', detail };
    case 'lock':
      return { ...base, kind: 'locked', detail };
    default:
      return null;
  }
}
