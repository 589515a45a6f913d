import { Hono } from 'hono';
import { requireSession } from '../auth/session-middleware.js';
import type { Db } from '../db/database.js';
import { listPublications } from '../db/publications.js';
import { PublishRefused, type Publisher } from '../publish/publisher.js';
import type { AppEnv } from './app-env.js';
import { readJsonObject } from './read-json.js';
import { findVisibleReport } from './report-routes.js';

/** Publishing a report and its published versions. */
export function createPublicationRoutes({ db, publisher }: { db: Db; publisher: Publisher }) {
  return new Hono<AppEnv>()
    .get('/:id/publications', async (c) => {
      const report = await findVisibleReport(db, requireSession(c), c.req.param('id'));
      const versions = await listPublications(db, report.id);
      return c.json(versions.map((version) => ({ ...version, url: `/portal/${version.id}` })));
    })
    .get('/:id/publications/preflight', async (c) => {
      const report = await findVisibleReport(db, requireSession(c), c.req.param('id'));
      return c.json(await publisher.preflight(report));
    })
    .post('/:id/publications', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      const body = await readJsonObject(c);
      try {
        const { version, url } = await publisher.publish(session.user, report, body.note);
        return c.json({ version, url }, 201);
      } catch (error) {
        if (!(error instanceof PublishRefused)) throw error;
        const { findings, unapproved } = error.preflight;
        return c.json({ error: { code: 'conflict', message: error.message, findings: findings.filter((f) => f.severity === 'error'), sections: unapproved } }, 409);
      }
    });
}
