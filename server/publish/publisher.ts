import { createHash, randomBytes } from 'node:crypto';
import { readAnnexTables } from '../../blocks/annex/annex-data.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';
import { BODY_FIELD } from '../../blocks/contract.js';
import { readBodyJSON } from '../../blocks/report-json.js';
import { readSectionOutline } from '../../blocks/section/outline.js';
import { formatOf, requireLead, type AnnexService } from '../annex/annex-service.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import { listUnits } from '../db/annex.js';
import type { Db } from '../db/database.js';
import { insertPublication, latestVersion } from '../db/publications.js';
import { listSectionRows } from '../db/reports.js';
import type { Report } from '../db/types.js';
import type { UserWithDepartment } from '../db/users.js';
import { ReportRenderer } from './render-html.js';

export interface PublisherDeps {
  db: Db;
  rooms: RoomRegistry;
  annex: AnnexService;
  now: () => number;
}

/** What stands between the report and the portal. Errors and unapproved sections block; warnings need acknowledging. */
export interface Preflight {
  ready: boolean;
  findings: Finding[];
  unapproved: Array<{ id: string; title: string; state: string }>;
}

/** Publishing was refused: the reasons, for a 409 the lead office can act on. */
export class PublishRefused extends Error {
  constructor(readonly preflight: Preflight) {
    super('报告尚不能发布：仍有错误或未审定的章节（errors or unapproved sections remain）');
  }
}

/**
 * Publishes a report: renders it from its document with the one renderer, and stores the result
 * as a numbered, immutable version under a random id, the address of its public page.
 */
export class Publisher {
  constructor(private readonly deps: PublisherDeps) {}

  async preflight(report: Report): Promise<Preflight> {
    const [findings, rows, outline] = await Promise.all([
      this.deps.annex.findings(report),
      listSectionRows(this.deps.db, report.id),
      this.deps.rooms.read(report.id, (room) => readSectionOutline(room.document.getXmlFragment(BODY_FIELD))),
    ]);
    const stateOf = new Map(rows.map((row) => [row.section_id, row.state]));
    const unapproved = outline
      .map((entry) => ({ id: entry.sectionId, title: entry.title, state: stateOf.get(entry.sectionId) ?? 'draft' }))
      .filter((entry) => entry.state !== 'approved');
    const ready = unapproved.length === 0 && !findings.some((finding) => finding.severity === 'error');
    return { ready, findings, unapproved };
  }

  async publish(actor: UserWithDepartment, report: Report, note: unknown): Promise<{ version: number; url: string; id: string }> {
    requireLead(actor, '发布报告');
    const text = typeof note === 'string' ? note.trim() : '';
    const preflight = await this.preflight(report);
    if (!preflight.ready) throw new PublishRefused(preflight);
    const format = formatOf(report);
    const units = await listUnits(this.deps.db, report.id);
    // One read of the document: the page and the annex data are the same moment of the report.
    const { html, annex } = await this.deps.rooms.read(report.id, (room) => {
      const tables = readAnnexTables(room.document, format);
      const renderer = new ReportRenderer({
        title: report.title,
        body: readBodyJSON(room.document),
        format,
        tables,
        unitName: (id) => units.find((unit) => unit.id === id)?.name ?? id,
      });
      return { html: renderer.document(), annex: JSON.stringify({ format: format.format, year: report.year, tables }) };
    });
    const id = randomBytes(12).toString('base64url');
    const version = await this.deps.db.transaction().execute(async (trx) => {
      const next = (await latestVersion(trx, report.id)) + 1;
      await insertPublication(trx, {
        id,
        report_id: report.id,
        version: next,
        note: text,
        content_hash: createHash('sha256').update(html).digest('hex'),
        html,
        annex,
        published_by: actor.id,
        published_at: this.deps.now(),
      });
      return next;
    });
    return { version, url: `/portal/${id}`, id };
  }
}
