import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { formatOf } from '../annex/annex-service.js';
import { requireSession } from '../auth/session-middleware.js';
import type { ReportDigests } from '../read/report-digests.js';
import { requireLead } from '../workflow/lead-office.js';
import { mayComment, mayResolveThread, sectionEditRefusal } from '../../blocks/section/permissions.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { findComment, insertComment, listComments, resolveThread } from '../db/comments.js';
import { findSectionRow, listAudit } from '../db/sections.js';
import { lastSeqAt, listSectionChanges } from '../db/update-log.js';
import { reviewBaseline } from '../workflow/review-changes.js';
import type { SuggestionDecisions } from '../workflow/suggestions.js';
import { compareCells } from '../publish/report-changes.js';
import type { ReportEvents } from '../workflow/report-events.js';
import { compareBlocks } from '../workflow/section-text.js';
import { formatDeadline, type SectionWorkflow } from '../workflow/section-workflow.js';
import type { Report, SectionRow } from '../db/types.js';
import type { AppEnv } from './app-env.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { readJsonObject } from './read-json.js';
import { sessionEventStream } from './event-stream.js';
import { readUploadForm } from './upload-form.js';
import { noticesOfComment } from '../notify/comment-notices.js';
import type { Notifier } from '../notify/notifier.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { BODY_FIELD, limits } from '../../blocks/contract.js';
import type { ImportService } from '../import/import-service.js';
import { findVisibleReport } from './report-routes.js';

export interface SectionRoutesDeps {
  db: Db;
  rooms: RoomRegistry;
  digests: ReportDigests;
  events: ReportEvents;
  workflow: SectionWorkflow;
  imports: ImportService;
  notifier: Notifier;
  suggestions: SuggestionDecisions;
  now: () => number;
}

/** Edits by one person less than this far apart read as one change in a section's history. */
const HISTORY_GAP_MS = 10 * 60_000;

async function context(db: Db, c: Context<AppEnv>) {
  const session = requireSession(c);
  const report = await findVisibleReport(db, session, c.req.param('id')!);
  return { actor: session.user, report, sectionId: c.req.param('sectionId')! };
}

function parseSeq(value: string | undefined): number {
  const seq = Number(value);
  if (!Number.isInteger(seq) || seq < 1) throw invalidRequest(`"${value}" is not a version number (a positive integer from the history)`);
  return seq;
}

function isSectionRow(value: unknown): value is SectionRow {
  return typeof value === 'object' && value !== null && 'section_id' in value && 'report_id' in value;
}

/** A section's workflow state as the API names it. */
function describeSectionRow(row: SectionRow) {
  return { id: row.section_id, department: row.department_id, state: row.state, locked: row.locked === 1, deadline: formatDeadline(row.deadline) };
}

/** The lead office's workflow, comments, history and the live event stream of a report. */
/** A section then and now: its blocks word by word (linked figures as the values they showed then and show now), and the cells of the tables it holds. */
async function compareSection(digests: ReportDigests, report: Report, sectionId: string, from: number) {
  const format = formatOf(report);
  const [then, now] = await Promise.all([digests.sectionAt(report, sectionId, from), digests.sectionAt(report, sectionId, 'now')]);
  const [before, after] = [then.version, now.version];
  if (!before.content && !after.content) throw refuse('section-not-found', { section: sectionId });
  const tables = [...new Set([...before.tableIds, ...after.tableIds])];
  return { before: before.blocks, after: after.blocks, parts: compareBlocks(before.blocks, after.blocks), cells: compareCells({ format, tables: then.tables }, { format, tables: now.tables }, { only: tables }) };
}

export function createSectionRoutes({ db, rooms, digests, events, workflow, imports, notifier, suggestions, now }: SectionRoutesDeps) {
  const action = (run: (ctx: Awaited<ReturnType<typeof context>>, body: Record<string, unknown>) => Promise<unknown>, withBody = false) =>
    async (c: Context<AppEnv>) => {
      const ctx = await context(db, c);
      const body = withBody ? await readJsonObject(c) : {};
      const result = await run(ctx, body);
      return c.json(isSectionRow(result) ? describeSectionRow(result) : (result ?? { ok: true }));
    };

  return new Hono<AppEnv>()
    .post('/:id/sections', action(({ actor, report }, body) => workflow.addSection(actor, report, body), true))
    .delete('/:id/sections/:sectionId', action(({ actor, report, sectionId }) => workflow.removeSection(actor, report, sectionId)))
    .post('/:id/sections/:sectionId/assign', action(({ actor, report, sectionId }, body) => workflow.assign(actor, report, sectionId, body.department), true))
    .post('/:id/sections/:sectionId/deadline', action(({ actor, report, sectionId }, body) => workflow.setDeadline(actor, report, sectionId, body.deadline), true))
    .post('/:id/sections/:sectionId/lock', action(({ actor, report, sectionId }) => workflow.lock(actor, report, sectionId)))
    .post('/:id/sections/:sectionId/unlock', action(({ actor, report, sectionId }) => workflow.unlock(actor, report, sectionId)))
    .post('/:id/sections/:sectionId/submit', action(({ actor, report, sectionId }) => workflow.submit(actor, report, sectionId)))
    .post('/:id/sections/:sectionId/approve', action(({ actor, report, sectionId }) => workflow.approve(actor, report, sectionId)))
    .post('/:id/sections/:sectionId/return', action(({ actor, report, sectionId }, body) => workflow.returnSection(actor, report, sectionId, body.comment), true))
    .post('/:id/sections/:sectionId/move', action(({ actor, report, sectionId }, body) => workflow.moveSection(actor, report, sectionId, body.index), true))
    .post('/:id/sections/:sectionId/retitle', action(({ actor, report, sectionId }, body) => workflow.retitleSection(actor, report, sectionId, body.title), true))
    .post('/:id/sections/:sectionId/drafts', async (c) => {
      const { actor, report, sectionId } = await context(db, c);
      const row = await findSectionRow(db, report.id, sectionId);
      if (!row) throw refuse('section-not-found', { section: sectionId });
      const why = sectionEditRefusal(actor, { departmentId: row.department_id, locked: row.locked === 1 });
      if (why) throw refuse('may-not-write-section', { section: sectionId, why });
      return c.json(await imports.convertDraft(await readUploadForm(c)));
    })
    .post('/:id/sections/:sectionId/suggestions/decide', action(({ actor, report, sectionId }, body) => suggestions.decide(actor, report, sectionId, body), true))
    .post('/:id/sections/:sectionId/restore', action(({ actor, report, sectionId }, body) => workflow.restore(actor, report, sectionId, body.seq), true))

    .get('/:id/sections/:sectionId/history', async (c) => {
      const { report, sectionId } = await context(db, c);
      const [changes, audit] = await Promise.all([listSectionChanges(db, report.id, sectionId), listAudit(db, report.id, sectionId)]);
      const auditTimes = audit.map((entry) => entry.at);
      const grouped: Array<{ fromSeq: number; toSeq: number; userName: string | null; departmentId: string | null; startedAt: number; endedAt: number; edits: number }> = [];
      for (const change of changes) {
        const last = grouped[grouped.length - 1];
        // A submission, return or lock between two edits separates them: each side is a version worth comparing.
        const sameSitting = last && last.userName === change.userName && change.at - last.endedAt < HISTORY_GAP_MS && !auditTimes.some((at) => at > last.endedAt && at <= change.at);
        if (last && sameSitting) {
          last.toSeq = change.seq;
          last.endedAt = change.at;
          last.edits++;
        } else {
          grouped.push({ fromSeq: change.seq, toSeq: change.seq, userName: change.userName, departmentId: change.departmentId, startedAt: change.at, endedAt: change.at, edits: 1 });
        }
      }
      return c.json({ changes: grouped.reverse(), audit: audit.reverse() });
    })
    .get('/:id/sections/:sectionId/versions/:seq', async (c) => {
      const { report, sectionId } = await context(db, c);
      const seq = parseSeq(c.req.param('seq'));
      const { version } = await digests.sectionAt(report, sectionId, seq);
      if (!version.content) throw refuse('section-not-in-version', { section: sectionId, seq });
      return c.json({ seq, ...version });
    })
    .get('/:id/sections/:sectionId/compare', async (c) => {
      const { report, sectionId } = await context(db, c);
      const from = parseSeq(c.req.query('from'));
      return c.json({ from, ...(await compareSection(digests, report, sectionId, from)) });
    })
    .get('/:id/sections/:sectionId/review-changes', async (c) => {
      const { report, sectionId } = await context(db, c);
      const since = reviewBaseline(await listAudit(db, report.id, sectionId));
      if (!since) return c.json({ since: null, parts: [], cells: [], changed: false });
      const from = since.atSeq ?? (await lastSeqAt(db, report.id, since.at));
      const comparison = from > 0 ? await compareSection(digests, report, sectionId, from) : null;
      if (!comparison) return c.json({ since, parts: [], cells: [], changed: false });
      const changed = comparison.parts.some((part) => part.kind !== 'same') || comparison.cells.length > 0;
      return c.json({ since: { ...since, atSeq: from }, parts: comparison.parts, cells: comparison.cells, changed });
    })

    .get('/:id/audit', async (c) => {
      const { actor, report } = await context(db, c);
      requireLead(actor, 'audit');
      return c.json((await listAudit(db, report.id)).reverse());
    })

    .get('/:id/comments', async (c) => {
      const { report } = await context(db, c);
      const rows = await listComments(db, report.id);
      return c.json(rows.map((row) => ({ ...row, anchor: row.anchor ? (JSON.parse(row.anchor) as unknown) : null })));
    })
    .post('/:id/comments', async (c) => {
      const { actor, report } = await context(db, c);
      if (!mayComment(actor)) throw refuse('read-only-user', {});
      const body = await readJsonObject(c);
      const text = typeof body.body === 'string' ? body.body.trim() : '';
      if (text === '' || text.length > limits.maxCommentLength) throw refuse('comment-length', { max: limits.maxCommentLength });
      if (typeof body.section !== 'string') throw invalidRequest('"section" is required: the id of the section commented on');
      const sectionId = body.section;
      const sectionTitle = await rooms.read(report.id, (room) => {
        const section = findSectionElement(room.document.getXmlFragment(BODY_FIELD), sectionId);
        return section ? String(section.getAttribute('title') ?? '') : null;
      });
      if (sectionTitle === null) throw refuse('section-not-found', { section: sectionId });
      let threadId: string | null = null;
      if (body.thread !== undefined && body.thread !== null) {
        const thread = await findComment(db, report.id, String(body.thread));
        if (!thread || thread.section_id !== sectionId) throw refuse('comment-not-found', { comment: String(body.thread) });
        threadId = thread.thread_id ?? thread.id;
      }
      const anchor = body.anchor === undefined || body.anchor === null ? null : JSON.stringify(body.anchor);
      if (anchor !== null && anchor.length > 2000) throw invalidRequest('"anchor" is too large');
      const quote = typeof body.quote === 'string' ? body.quote.slice(0, 500) : null;
      const id = randomBytes(9).toString('base64url');
      await insertComment(db, { id, reportId: report.id, sectionId, threadId, userId: actor.id, kind: 'comment', body: text, anchor, quote, now: now() });
      events.publish(report.id, { type: 'comments', sectionId });
      for (const notice of await noticesOfComment(db, { report, sectionId, sectionTitle, threadId, author: actor, text })) await notifier.send(notice);
      return c.json({ id }, 201);
    })
    .post('/:id/comments/:commentId/resolve', async (c) => {
      const { actor, report } = await context(db, c);
      const comment = await findComment(db, report.id, c.req.param('commentId'));
      if (!comment) throw refuse('comment-not-found', { comment: c.req.param('commentId') });
      const threadId = comment.thread_id ?? comment.id;
      const section = await findSectionRow(db, report.id, comment.section_id);
      const mayResolve = mayResolveThread(actor, { byWriter: comment.user_id === actor.id, access: section ? { departmentId: section.department_id, locked: section.locked === 1 } : undefined });
      if (!mayResolve) throw refuse('may-not-resolve', {});
      await resolveThread(db, report.id, threadId, actor.id, now());
      events.publish(report.id, { type: 'comments', sectionId: comment.section_id });
      return c.json({ ok: true });
    })

    .get('/:id/events', async (c) => {
      const session = requireSession(c);
      const { report } = await context(db, c);
      return sessionEventStream(c, session, now, (stream) => events.subscribe(report.id, stream));
    });
}
