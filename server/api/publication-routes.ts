import { Hono } from 'hono';
import { requireSession } from '../auth/session-middleware.js';
import type { Db } from '../db/database.js';
import { findPublication, listPublications } from '../db/publications.js';
import { requireLead } from '../annex/annex-service.js';
import { downloadsOf } from '../publish/portal-routes.js';
import { PdfUnavailable } from '../publish/pdf-printer.js';
import { CorrectionNoteRequired, PublishRefused, type Publisher, type PublishRequest } from '../publish/publisher.js';
import type { WebhookOutbox } from '../publish/webhook-outbox.js';
import type { AppEnv } from './app-env.js';
import { ApiError, badRequest, conflict, notFound } from './errors.js';
import { readJsonObject } from './read-json.js';
import { findVisibleReport } from './report-routes.js';

/** Publishing a report, its published versions and the state of their push to the external portal. */
export function createPublicationRoutes({ db, publisher, outbox }: { db: Db; publisher: Publisher; outbox: WebhookOutbox }) {
  return new Hono<AppEnv>()
    .get('/:id/publications', async (c) => {
      const report = await findVisibleReport(db, requireSession(c), c.req.param('id'));
      const versions = await listPublications(db, report.id);
      const deliveries = await outbox.statusOf(versions.map((version) => version.id));
      return c.json(
        versions.map((version) => {
          const delivery = deliveries.get(version.id);
          return {
            ...version,
            url: `/portal/${version.id}`,
            downloads: downloadsOf(version.id),
            delivery: delivery
              ? { status: delivery.status, attempts: delivery.attempts, lastError: delivery.last_error, nextAttemptAt: delivery.next_attempt_at, deliveredAt: delivery.delivered_at }
              : null,
          };
        }),
      );
    })
    .get('/:id/publications/preflight', async (c) => {
      const report = await findVisibleReport(db, requireSession(c), c.req.param('id'));
      return c.json(await publisher.preflight(report));
    })
    .post('/:id/publications', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      const request = readPublishRequest(await readJsonObject(c));
      try {
        const { version, url, seq } = await publisher.publish(session.user, report, request);
        return c.json({ version, url, seq }, 201);
      } catch (error) {
        if (error instanceof PdfUnavailable) throw new ApiError(503, 'pdf_unavailable', error.message);
        if (error instanceof CorrectionNoteRequired) throw new ApiError(400, 'note-required', error.message);
        if (!(error instanceof PublishRefused)) throw error;
        const { findings, unapproved } = error.checks;
        return c.json(
          {
            error: {
              code: error.checks.ready ? 'warnings-not-acknowledged' : 'conflict',
              message: error.message,
              findings: findings.filter((f) => f.severity === 'error'),
              sections: unapproved,
              unacknowledged: error.unacknowledged,
            },
          },
          409,
        );
      }
    })
    .post('/:id/publications/:publicationId/redeliver', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      requireLead(session.user, '重新推送');
      const publication = await findPublication(db, c.req.param('publicationId'));
      if (!publication || publication.report_id !== report.id) throw notFound(`no publication ${c.req.param('publicationId')} of this report`);
      if (!(await outbox.retry(publication.id))) throw conflict('只有推送失败的版本可以重新推送（only a failed delivery can be sent again）');
      return c.json({ ok: true });
    });
}

/** `{ "note", "acknowledge": ["A2", …] }`: the note may be left out for a first version. */
function readPublishRequest(body: Record<string, unknown>): PublishRequest {
  const { note = '', acknowledge = [] } = body;
  if (typeof note !== 'string' || note.length > 2000) throw badRequest('"note" must be text of at most 2000 characters');
  if (!Array.isArray(acknowledge) || acknowledge.length > 100 || !acknowledge.every((rule) => typeof rule === 'string' && rule.length <= 16)) {
    throw badRequest('"acknowledge" must list the rule ids of the acknowledged warnings, e.g. ["A2"]');
  }
  return { note, acknowledge };
}
