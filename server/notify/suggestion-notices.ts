import { BODY_FIELD } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import type { SuggestionsMade } from '../collab/room-hooks.js';
import type { Db } from '../db/database.js';
import { findReport } from '../db/reports.js';
import { findUserWithDepartment } from '../db/users.js';
import type { Notifier } from './notifier.js';

const HOUR = 3600_000;

/**
 * Tells a section's department that someone suggested changes in it — once an hour per person and
 * section, however many words they suggest in a sitting. Runs in the report's queue (a room hook):
 * it reads the room it is given and the database, never waits for the queue.
 */
export function tellOfSuggestions({ db, notifier, now }: { db: Db; notifier: Notifier; now: () => number }) {
  return async ({ room, sectionIds, userId }: SuggestionsMade): Promise<void> => {
    const [report, author] = await Promise.all([findReport(db, room.reportId), findUserWithDepartment(db, userId)]);
    if (!report || !author) return;
    const body = room.document.getXmlFragment(BODY_FIELD);
    for (const sectionId of sectionIds) {
      const department = room.sectionRules.get(sectionId)?.departmentId;
      if (!department || department === author.departmentId) continue;
      await notifier.send({
        kind: 'suggestion',
        reportId: report.id,
        sectionId,
        detail: { reportTitle: report.title, sectionTitle: String(findSectionElement(body, sectionId)?.getAttribute('title') ?? sectionId), by: `${author.departmentName} ${author.name}` },
        to: { departments: [department] },
        except: userId,
        dedupe: `suggestion:${report.id}:${sectionId}:${userId}:${Math.floor(now() / HOUR)}`,
      });
    }
  };
}
