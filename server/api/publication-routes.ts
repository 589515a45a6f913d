import { Hono, type Context } from 'hono';
import { requireSession } from '../auth/session-middleware.js';
import type { Db } from '../db/database.js';
import { findPublication, listPublications } from '../db/publications.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { requireLead } from '../workflow/lead-office.js';
import { downloadsOf } from '../publish/portal-routes.js';
import { DOCX_TYPE, PublishRefused, type Publisher, type PublishRequest } from '../publish/publisher.js';
import type { WebhookOutbox } from '../publish/webhook-outbox.js';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './errors.js';
import { readJsonObject } from './read-json.js';
import { findVisibleReport } from './report-routes.js';

/** Publishing a report, its published versions and the state of their push to the external portal. */
export function createPublicationRoutes({ db, publisher, outbox }: { db: Db; publisher: Publisher; outbox: WebhookOutbox }) {
  const draft = async (c: Context<AppEnv>, kind: 'docx' | 'pdf') => {
    const session = requireSession(c);
    const report = await findVisibleReport(db, session, c.req.param('id')!);
    // ?revisions=1: the pending suggestions as Word's revisions (修订), to accept or reject in Word or WPS.
    const revisions = c.req.query('revisions') === '1';
    const { bytes, stage, date } = await publisher.draft(session.user, report, kind, { revisions });
    const name = `${report.title}（${stage} ${date}${revisions ? ' 含修订' : ''}）.${kind}`;
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': kind === 'pdf' ? 'application/pdf' : DOCX_TYPE,
      'content-disposition': `attachment; filename="draft.${kind}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  };
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
    // A draft for sign-off or comment, as DOCX or PDF: made on request, never stored or on the portal.
    .get('/:id/draft.:kind{docx|pdf}', (c) => draft(c, c.req.param('kind') as 'docx' | 'pdf'))
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
        if (!(error instanceof PublishRefused)) throw error;
        const { findings, unapproved } = error.checks;
        const { status, body } = errorResponse(error, { findings: findings.filter((f) => f.severity === 'error'), sections: unapproved, unacknowledged: error.unacknowledged });
        return c.json(body, status);
      }
    })
    .post('/:id/publications/:publicationId/redeliver', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      requireLead(session.user, 'redeliver');
      const publication = await findPublication(db, c.req.param('publicationId'));
      if (!publication || publication.report_id !== report.id) throw refuse('publication-not-found', { publication: c.req.param('publicationId') });
      if (!(await outbox.retry(publication.id))) throw refuse('only-failed-delivery', {});
      return c.json({ ok: true });
    });
}

/** `{ "note", "acknowledge": ["A2", …] }`: the note may be left out for a first version. */
function readPublishRequest(body: Record<string, unknown>): PublishRequest {
  const { note = '', acknowledge = [] } = body;
  if (typeof note !== 'string' || note.length > 2000) throw invalidRequest('"note" must be text of at most 2000 characters');
  if (!Array.isArray(acknowledge) || acknowledge.length > 100 || !acknowledge.every((rule) => typeof rule === 'string' && rule.length <= 16)) {
    throw invalidRequest('"acknowledge" must list the rule ids of the acknowledged warnings, e.g. ["A2"]');
  }
  return { note, acknowledge };
}
