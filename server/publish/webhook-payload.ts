import type { Db } from '../db/database.js';
import { findPublication } from '../db/publications.js';
import { downloadsOf } from './portal-routes.js';

/**
 * What the external portal receives for a publication: its metadata, the page's HTML, the annex
 * data and the DOCX and PDF as base64 attachments — everything to republish it without calling back.
 */
export function buildPublicationPayload(db: Db) {
  return async (publicationId: string, deliveryId: number) => {
    const publication = await findPublication(db, publicationId);
    if (!publication) throw new Error(`webhook delivery ${deliveryId}: publication ${publicationId} does not exist`);
    const [report, publisher, files] = await Promise.all([
      db
        .selectFrom('reports')
        .innerJoin('districts', 'districts.id', 'reports.district_id')
        .select(['reports.id', 'reports.title', 'reports.year', 'reports.format', 'districts.name as body'])
        .where('reports.id', '=', publication.report_id)
        .executeTakeFirstOrThrow(),
      db.selectFrom('users').select('name').where('id', '=', publication.published_by).executeTakeFirstOrThrow(),
      db.selectFrom('publication_files').selectAll().where('publication_id', '=', publicationId).orderBy('kind').execute(),
    ]);
    return {
      event: 'publication',
      delivery: deliveryId,
      report,
      publication: {
        id: publication.id,
        version: publication.version,
        note: publication.note,
        contentHash: publication.content_hash,
        publishedAt: new Date(publication.published_at).toISOString(),
        publishedBy: publisher.name,
        url: `/portal/${publication.id}`,
        downloads: downloadsOf(publication.id),
      },
      html: publication.html,
      annex: JSON.parse(publication.annex) as unknown,
      attachments: files.map((file) => ({
        name: `report.${file.kind}`,
        contentType: file.content_type,
        sha256: file.sha256,
        base64: Buffer.from(file.bytes).toString('base64'),
      })),
    };
  };
}
