import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { contentLimits } from '../../blocks/content-limits.js';
import { BODY_FIELD, limits } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { maySubmit } from '../../blocks/section/permissions.js';
import { SECTION_ID_PATTERN, SECTION_NODE, type SectionLevel } from '../../blocks/section/section.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import type { ReportStore } from '../collab/report-store.js';
import type { ApprovedTextEdit } from '../collab/room-hooks.js';
import type { Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { insertComment, listAnchoredComments, setCommentAnchor } from '../db/comments.js';
import { appendAudit, deleteSectionRow, findSectionRow, saveSectionRow, type SectionChange } from '../db/sections.js';
import type { AuditAction, Report, SectionRow } from '../db/types.js';
import { listDepartments, type UserWithDepartment } from '../db/users.js';
import { requireLead } from './lead-office.js';
import type { Notifier, Delivery } from '../notify/notifier.js';
import { noticeOfSectionChange } from '../notify/workflow-notices.js';
import type { ReportEvents } from './report-events.js';
import { SectionPlaces } from './section-places.js';

export interface SectionWorkflowDeps {
  db: Db;
  rooms: RoomRegistry;
  store: ReportStore;
  events: ReportEvents;
  notifier: Notifier;
  now: () => number;
}

type Actor = UserWithDepartment;

/** What a change of the document does to a section: its text (an approval no longer stands), or only its place. */
const TEXT = 'text';
const PLACE = 'place';

/**
 * The lead office's running of a report: who writes which section, review states, locks,
 * deadlines and the report's structure. The database is the only place these live; each change
 * is written with its audit entry, takes effect for the guard at one point in the report's queue,
 * and is pushed to everyone who has the report open.
 */
export class SectionWorkflow {
  constructor(private readonly deps: SectionWorkflowDeps) {}

  async assign(actor: Actor, report: Report, sectionId: string, departmentId: unknown) {
    requireLead(actor, 'assign');
    const department = await this.requireDepartment(report, departmentId);
    return this.change(actor, report, sectionId, 'assign', { department }, () => ({ department_id: department }));
  }

  private async requireDepartment(report: Report, departmentId: unknown): Promise<string> {
    if (typeof departmentId !== 'string') throw refuse('department-required', {});
    const departments = await listDepartments(this.deps.db, report.district_id);
    if (!departments.some((d) => d.id === departmentId)) throw refuse('department-unknown', { department: departmentId });
    return departmentId;
  }

  async setDeadline(actor: Actor, report: Report, sectionId: string, deadline: unknown) {
    requireLead(actor, 'deadline');
    const value = parseDeadline(deadline);
    return this.change(actor, report, sectionId, 'deadline', { deadline: deadline ?? null }, () => ({ deadline: value }));
  }

  async lock(actor: Actor, report: Report, sectionId: string) {
    requireLead(actor, 'lock');
    return this.change(actor, report, sectionId, 'lock', {}, () => ({ locked: 1 }));
  }

  async unlock(actor: Actor, report: Report, sectionId: string) {
    requireLead(actor, 'unlock');
    return this.change(actor, report, sectionId, 'unlock', {}, () => ({ locked: 0 }));
  }

  async submit(actor: Actor, report: Report, sectionId: string) {
    return this.change(actor, report, sectionId, 'submit', {}, (row) => {
      if (!maySubmit({ role: actor.role, departmentId: actor.departmentId }, { departmentId: row.department_id, locked: row.locked === 1 })) {
        throw refuse('not-your-section', { section: sectionId });
      }
      if (row.locked === 1) throw refuse('section-locked', { section: sectionId });
      if (row.state === 'submitted') throw refuse('section-already-submitted', { section: sectionId });
      if (row.state === 'approved') throw refuse('section-already-approved', { section: sectionId });
      return { state: 'submitted' };
    });
  }

  async approve(actor: Actor, report: Report, sectionId: string) {
    requireLead(actor, 'approve');
    return this.change(actor, report, sectionId, 'approve', {}, (row) => {
      if (row.state === 'approved') throw refuse('section-already-approved', { section: sectionId });
      return { state: 'approved' };
    });
  }

  /**
   * Approved text was edited: the sections go back to draft, recorded in the audit log under the
   * editor who changed them, and every open page is told. Runs in the report's queue (a room hook).
   */
  async revokeApprovals({ room, sectionIds, userId, seq }: ApprovedTextEdit): Promise<void> {
    const reportId = room.reportId;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const sectionId of sectionIds) {
        await saveSectionRow(trx, reportId, sectionId, { state: 'draft' });
        await appendAudit(trx, { reportId, sectionId, userId, action: 'approval-revoked', detail: { seq }, now: this.deps.now() });
      }
    });
    for (const sectionId of sectionIds) this.deps.events.publish(reportId, { type: 'sections', sectionId, action: 'approval-revoked' });
  }

  /** Sends a section back to its department with the lead office's comment, kept in the section's comment threads. */
  async returnSection(actor: Actor, report: Report, sectionId: string, comment: unknown) {
    requireLead(actor, 'return');
    if (typeof comment !== 'string' || comment.trim() === '') throw refuse('comment-required', {});
    if (comment.length > limits.maxCommentLength) throw refuse('comment-length', { max: limits.maxCommentLength });
    const row = await this.change(actor, report, sectionId, 'return', { comment: comment.trim() }, (current) => {
      if (current.state !== 'submitted' && current.state !== 'approved') throw refuse('section-not-submitted', { section: sectionId });
      return { state: 'returned' };
    }, async (db) => {
      await insertComment(db, {
        id: randomBytes(9).toString('base64url'),
        reportId: report.id,
        sectionId,
        threadId: null,
        userId: actor.id,
        kind: 'return',
        body: comment.trim(),
        anchor: null,
        quote: null,
        now: this.deps.now(),
      });
    });
    this.deps.events.publish(report.id, { type: 'comments', sectionId });
    return row;
  }

  /** Puts a section back as it was right after update `seq`, as a new, logged change by the lead office. */
  async restore(actor: Actor, report: Report, sectionId: string, seq: unknown) {
    requireLead(actor, 'restore');
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) throw invalidRequest('"seq" must be a positive integer (a version from the history)');
    if (seq > (await this.deps.store.lastSeq(report.id))) throw refuse('version-not-found', { seq });
    const historic = await this.deps.store.loadAt(report.id, seq);
    try {
      const earlier = findSectionElement(historic.getXmlFragment(BODY_FIELD), sectionId);
      if (!earlier) throw refuse('section-not-in-version', { section: sectionId, seq });
      const restoredSeq = await this.changeDocument(actor, report, sectionId, TEXT, (doc, room) => {
        if (room.sectionRules.get(sectionId)?.locked) throw refuse('section-locked', { section: sectionId });
        const live = requireSection(doc, sectionId);
        live.delete(0, live.length);
        const children = earlier.toArray().filter((child): child is Y.XmlElement | Y.XmlText => !(child instanceof Y.XmlHook));
        live.insert(0, children.map((child) => child.clone()));
      });
      await appendAudit(this.deps.db, { reportId: report.id, sectionId, userId: actor.id, action: 'restore', detail: { seq, restoredAs: restoredSeq }, now: this.deps.now() });
      this.deps.events.publish(report.id, { type: 'sections', sectionId, action: 'restore' });
      return { restoredFrom: seq, seq: restoredSeq };
    } finally {
      historic.destroy();
    }
  }

  async addSection(actor: Actor, report: Report, input: Record<string, unknown>) {
    requireLead(actor, 'add-section');
    const title = parseTitle(input.title);
    const level: SectionLevel = input.level === 2 ? 2 : 1;
    const after = input.after === undefined || input.after === null ? null : String(input.after);
    const sectionId = typeof input.id === 'string' ? input.id : `s-${randomBytes(4).toString('hex')}`;
    if (!SECTION_ID_PATTERN.test(sectionId)) throw refuse('section-id-format', { pattern: String(SECTION_ID_PATTERN) });
    const departmentId = input.department === undefined || input.department === null ? null : await this.requireDepartment(report, input.department);
    await this.changeDocument(actor, report, sectionId, PLACE, (doc) => {
      const body = doc.getXmlFragment(BODY_FIELD);
      if (findSectionElement(body, sectionId)) throw refuse('section-id-taken', { section: sectionId });
      const index = after === null ? body.length : indexOfSection(body, after) + 1;
      if (index === 0) throw refuse('section-not-found', { section: after! });
      const section = new Y.XmlElement(SECTION_NODE);
      section.setAttribute('sectionId', sectionId);
      section.setAttribute('title', title);
      section.setAttribute('level', level as unknown as string);
      section.insert(0, [new Y.XmlElement('paragraph')]);
      body.insert(index, [section]);
    });
    return this.change(actor, report, sectionId, 'add-section', { title, level, department: departmentId }, () => ({ department_id: departmentId }));
  }

  async removeSection(actor: Actor, report: Report, sectionId: string) {
    requireLead(actor, 'remove-section');
    await this.changeDocument(actor, report, sectionId, PLACE, (doc, room) => {
      if (room.sectionRules.get(sectionId)?.locked) throw refuse('section-locked', { section: sectionId });
      const body = doc.getXmlFragment(BODY_FIELD);
      const index = indexOfSection(body, sectionId);
      if (index < 0) throw refuse('section-not-found', { section: sectionId });
      if (body.length === 1) throw refuse('last-section', {});
      body.delete(index, 1);
    });
    await this.deps.rooms.read(report.id, async (room) => {
      await this.deps.db.transaction().execute(async (trx) => {
        await deleteSectionRow(trx, report.id, sectionId);
        await appendAudit(trx, { reportId: report.id, sectionId, userId: actor.id, action: 'remove-section', now: this.deps.now() });
      });
      room.setRule(sectionId, null);
    });
    this.deps.events.publish(report.id, { type: 'sections', sectionId, action: 'remove-section' });
  }

  /**
   * Moves a section to `index` in the report's order; its content and history go with it. Yjs
   * cannot move: the section is replaced by a copy at its new place. Comments anchored in it are
   * carried to the same text of the copy in the same turn of the queue, and editors carry over
   * what their users typed into the old place before they saw the move (client/editor/section-moves).
   */
  async moveSection(actor: Actor, report: Report, sectionId: string, index: unknown) {
    requireLead(actor, 'move-section');
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw invalidRequest('"index" must be a position in the report (0 = first)');
    let moved: { places: SectionPlaces; copy: Y.XmlElement } | null = null;
    await this.changeDocument(
      actor,
      report,
      sectionId,
      PLACE,
      (doc) => {
        const body = doc.getXmlFragment(BODY_FIELD);
        const from = indexOfSection(body, sectionId);
        if (from < 0) throw refuse('section-not-found', { section: sectionId });
        const to = Math.min(index, body.length - 1);
        if (to === from) return;
        const original = body.get(from) as Y.XmlElement;
        const places = SectionPlaces.of(original);
        const copy = original.clone();
        body.delete(from, 1);
        body.insert(to, [copy]);
        moved = { places, copy };
      },
      async () => {
        if (moved) await this.carryAnchors(report.id, sectionId, moved);
      },
    );
    return this.change(actor, report, sectionId, 'move-section', { index }, () => ({}));
  }

  /** Re-anchors the section's comments in its copy; comments whose text was already gone stay as they were. */
  private async carryAnchors(reportId: string, sectionId: string, { places, copy }: { places: SectionPlaces; copy: Y.XmlElement }): Promise<void> {
    const comments = await listAnchoredComments(this.deps.db, reportId, sectionId);
    const carried = comments.flatMap(({ id, anchor }) => {
      const next = carryAnchor(JSON.parse(anchor!) as unknown, places, copy);
      return next ? [{ id, anchor: JSON.stringify(next) }] : [];
    });
    if (carried.length === 0) return;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const { id, anchor } of carried) await setCommentAnchor(trx, reportId, id, anchor);
    });
    this.deps.events.publish(reportId, { type: 'comments', sectionId });
  }

  async retitleSection(actor: Actor, report: Report, sectionId: string, title: unknown) {
    requireLead(actor, 'retitle-section');
    const value = parseTitle(title);
    await this.changeDocument(actor, report, sectionId, TEXT, (doc) => requireSection(doc, sectionId).setAttribute('title', value));
    return this.change(actor, report, sectionId, 'retitle-section', { title: value }, () => ({}));
  }

  /** Changes the report's document on the lead office's behalf, logged as that section's history. */
  private changeDocument(
    actor: Actor,
    report: Report,
    sectionId: string,
    what: typeof TEXT | typeof PLACE,
    apply: (doc: Y.Doc, room: Room) => void,
    afterCommit?: () => Promise<void>,
  ): Promise<number | null> {
    return this.deps.rooms.withRoom(report.id, (room) =>
      room.applyAuthorityChange({ userId: actor.id, sectionIds: [sectionId], changesText: what === TEXT, apply: (doc) => apply(doc, room), afterCommit }),
    );
  }

  /**
   * Changes a section's row in the report's queue: edits received before are judged by the old
   * rule, edits after by the new one. `decide` sees the current row and may refuse.
   */
  private async change(
    actor: Actor,
    report: Report,
    sectionId: string,
    action: AuditAction,
    detail: Record<string, unknown>,
    decide: (row: SectionRow) => SectionChange,
    alongside?: (db: Db) => Promise<void>,
  ): Promise<SectionRow> {
    let deliver: Delivery | undefined;
    const row = await this.deps.rooms.read(report.id, async (room: Room) => {
      const element = findSectionElement(room.document.getXmlFragment(BODY_FIELD), sectionId);
      if (!element) throw refuse('section-not-found', { section: sectionId });
      const current = (await findSectionRow(this.deps.db, report.id, sectionId)) ?? {
        report_id: report.id,
        section_id: sectionId,
        department_id: null,
        state: 'draft' as const,
        locked: 0,
        deadline: null,
      };
      const change = decide(current);
      const saved = await this.deps.db.transaction().execute(async (trx) => {
        const next = await saveSectionRow(trx, report.id, sectionId, change);
        // `atSeq`: the report's version the change took effect at — what a submission handed in, or a return sent back.
        await appendAudit(trx, { reportId: report.id, sectionId, userId: actor.id, action, detail: { ...detail, atSeq: room.seq }, now: this.deps.now() });
        await alongside?.(trx);
        const notice = noticeOfSectionChange({
          action,
          actorId: actor.id,
          report,
          sectionId,
          sectionTitle: String(element.getAttribute('title') ?? ''),
          row: next,
          reason: typeof detail.comment === 'string' ? detail.comment : undefined,
        });
        if (notice) deliver = await this.deps.notifier.record(trx, notice);
        return next;
      });
      room.setRule(sectionId, { departmentId: saved.department_id, locked: saved.locked === 1, approved: saved.state === 'approved' });
      return saved;
    });
    this.deps.events.publish(report.id, { type: 'sections', sectionId, action });
    deliver?.();
    return row;
  }
}

function requireSection(doc: Y.Doc, sectionId: string): Y.XmlElement {
  const element = findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId);
  if (!element) throw refuse('section-not-found', { section: sectionId });
  return element;
}

function indexOfSection(body: Y.XmlFragment, sectionId: string): number {
  return body.toArray().findIndex((child) => child instanceof Y.XmlElement && child.getAttribute('sectionId') === sectionId);
}

/** A comment's anchor `{ from, to }` (relative positions, as the editor made them) at the same text of the copy. */
function carryAnchor(anchor: unknown, places: SectionPlaces, copy: Y.XmlElement): { from: unknown; to: unknown } | null {
  if (typeof anchor !== 'object' || anchor === null) return null;
  const ends = anchor as { from?: unknown; to?: unknown };
  const carry = (end: unknown) => {
    if (typeof end !== 'object' || end === null) return null;
    const position = places.translate(Y.createRelativePositionFromJSON(end), copy);
    return position ? Y.relativePositionToJSON(position) : null;
  };
  const from = carry(ends.from);
  const to = carry(ends.to);
  return from && to ? { from, to } : null;
}

function parseTitle(title: unknown): string {
  if (typeof title !== 'string' || title.trim() === '' || title.length > contentLimits.maxTitleLength) throw refuse('title-length', { max: contentLimits.maxTitleLength });
  return title.trim();
}

/** "YYYY-MM-DD" (the end of that day in China, UTC+8) or null to clear it. */
function parseDeadline(deadline: unknown): number | null {
  if (deadline === null || deadline === undefined) return null;
  const match = typeof deadline === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(deadline) : null;
  if (!match) throw refuse('deadline-format', {});
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const endOfDay = Date.UTC(y, m - 1, d, 23, 59, 59, 999) - 8 * 3600_000;
  if (new Date(endOfDay + 8 * 3600_000).getUTCDate() !== d) throw refuse('no-such-date', { date: String(deadline) });
  return endOfDay;
}

/** The same day a year later (28 February for 29 February): a report started from last year's moves its deadlines so. */
export function deadlineAYearLater(deadline: number): number {
  const day = new Date(deadline + 8 * 3600_000);
  const year = day.getUTCFullYear() + 1;
  const month = day.getUTCMonth();
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(day.getUTCDate(), lastOfMonth), 23, 59, 59, 999) - 8 * 3600_000;
}

/** The deadline as the date a person entered. */
export function formatDeadline(deadline: number | null): string | null {
  if (deadline === null) return null;
  return new Date(deadline + 8 * 3600_000).toISOString().slice(0, 10);
}
