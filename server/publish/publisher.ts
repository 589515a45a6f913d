import { createHash, randomBytes } from 'node:crypto';
import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';
import { readBodyJSON, type NodeJSON } from '../../blocks/report-json.js';
import { formatOf, type AnnexContext, type AnnexService } from '../annex/annex-service.js';
import { digestReport, type ReportDigest } from '../read/report-digest.js';
import type { ReportDigests } from '../read/report-digests.js';
import { requireLead } from '../workflow/lead-office.js';
import { refuse, ReportError } from '../../blocks/errors.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import { findPreviousReport, listUnits, type UnitRow } from '../db/annex.js';
import type { Db } from '../db/database.js';
import { findLatestPublication, insertPublication, insertPublicationFile, latestVersion, lockReportRow } from '../db/publications.js';
import { listSectionRows } from '../db/reports.js';
import type { Report } from '../db/types.js';
import { listDepartments, type UserWithDepartment } from '../db/users.js';
import { mayChangeStructure } from '../../blocks/section/permissions.js';
import type { ReportEvents } from '../workflow/report-events.js';
import { formatDeadline } from '../workflow/section-workflow.js';
import type { PdfPrinter } from './pdf-printer.js';
import { printReport, type DraftMarks, type PrintedReport } from './printed-report.js';
import { reportHtml } from './render-html.js';
import { compareReports, type ReportChanges, type ReportSnapshot, type SectionText } from './report-changes.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import type { Delivery, Notifier } from '../notify/notifier.js';
import { suggestionRevisions } from '../workflow/suggestions.js';

export interface PublisherDeps {
  db: Db;
  rooms: RoomRegistry;
  digests: ReportDigests;
  annex: AnnexService;
  printer: PdfPrinter;
  outbox: WebhookOutbox;
  events: ReportEvents;
  notifier: Notifier;
  now: () => number;
  /** A version was published (for counting). */
  onPublished?(): void;
}

/**
 * What stands between the report and the portal. Errors and unapproved sections block; warnings
 * need acknowledging; overdue sections are there for the lead office to see.
 */
export interface PublishChecks {
  ready: boolean;
  findings: readonly Finding[];
  unapproved: Array<{ id: string; title: string; state: string }>;
  overdue: Array<{ id: string; title: string; deadline: string; state: string }>;
}

/** The checks, and what changed since the last version and since last year, for the lead office to review. */
export interface Preflight extends PublishChecks {
  changes: { sinceLastVersion: ReportChanges | null; sinceLastYear: ReportChanges | null };
}

/** What the lead office sends to publish: the note, and the rule ids of the warnings it acknowledged. */
export interface PublishRequest {
  note: string;
  acknowledge: readonly string[];
}

/** Publishing was refused: errors, unapproved sections, or warnings not acknowledged. */
export class PublishRefused extends ReportError<'publish-blocked' | 'warnings-not-acknowledged'> {
  constructor(
    readonly checks: PublishChecks,
    /** Rule ids of the warnings that were not acknowledged. */
    readonly unacknowledged: readonly string[],
  ) {
    if (checks.ready) super('warnings-not-acknowledged', { rules: unacknowledged.join('、') });
    else super('publish-blocked', { errors: checks.findings.filter((finding) => finding.severity === 'error').length, sections: checks.unapproved.length });
  }
}

/** The report at one moment, everything a publication is made of. */
interface ReportMoment {
  snapshot: ReportSnapshot;
  /** The report laid out for print, and the page written from it. */
  printed: PrintedReport;
  html: string;
}

/** The rule ids of the warnings among `findings`, each once. */
function warningRules(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((finding) => finding.severity === 'warning').map((finding) => finding.rule))];
}

/**
 * Publishes a report: renders it from its document with the one renderer, makes the DOCX and PDF
 * from that HTML, and stores all of it as a numbered, immutable version under a random id (the
 * address of its public page), queueing its push to the external portal in the same transaction.
 */
export class Publisher {
  constructor(private readonly deps: PublisherDeps) {}

  async preflight(report: Report): Promise<Preflight> {
    const [checks, changes] = await Promise.all([this.checks(report), this.changes(report)]);
    return { ...checks, changes };
  }

  /** Whether the report may be published now: all publishing itself needs to know. */
  async checks(report: Report): Promise<PublishChecks> {
    const [context, digest] = await Promise.all([this.deps.annex.context(report), this.deps.digests.of(report)]);
    return this.judge(report, digest, context);
  }

  /** The checks of the report at the digest's moment. */
  private async judge(report: Report, digest: ReportDigest, context: AnnexContext): Promise<PublishChecks> {
    const [findings, rows] = await Promise.all([this.deps.digests.findings(report, digest, context), listSectionRows(this.deps.db, report.id)]);
    const rowOf = new Map(rows.map((row) => [row.section_id, row]));
    const sections = digest.outline.map((entry) => ({ entry, row: rowOf.get(entry.sectionId) }));
    const unapproved = sections
      .map(({ entry, row }) => ({ id: entry.sectionId, title: entry.title, state: row?.state ?? 'draft' }))
      .filter((section) => section.state !== 'approved');
    const now = this.deps.now();
    const overdue = sections.flatMap(({ entry, row }) =>
      row && row.deadline !== null && row.deadline < now && row.state !== 'approved'
        ? [{ id: entry.sectionId, title: entry.title, deadline: formatDeadline(row.deadline)!, state: row.state }]
        : [],
    );
    const ready = unapproved.length === 0 && !findings.some((finding) => finding.severity === 'error');
    return { ready, findings, unapproved, overdue };
  }

  private async changes(report: Report): Promise<Preflight['changes']> {
    const format = formatOf(report);
    const snapshotOf = async (of: Report): Promise<ReportSnapshot> => {
      const { tables, sections } = await this.deps.digests.of(of);
      return { format: formatOf(of), tables, sections };
    };
    const [current, previousReport, lastPublication] = await Promise.all([snapshotOf(report), findPreviousReport(this.deps.db, report), findLatestPublication(this.deps.db, report.id)]);
    const sinceLastVersion = lastPublication
      ? compareReports(
          { format, sections: JSON.parse(lastPublication.sections) as SectionText[], tables: (JSON.parse(lastPublication.annex) as { tables: AnnexTables }).tables },
          current,
          { kind: 'version', version: lastPublication.version, publishedAt: lastPublication.published_at },
        )
      : null;
    const sinceLastYear = previousReport
      ? compareReports(await snapshotOf(previousReport), current, {
          kind: 'year',
          year: previousReport.year,
          title: previousReport.title,
        })
      : null;
    return { sinceLastVersion, sinceLastYear };
  }

  /**
   * The report as it stands, for the principal leader's sign-off (领导审签) or for comments: the
   * same rendering as a publication, marked 征求意见稿 — or 送审稿 once every part is approved —
   * with the date, the state of the parts the reader answers for (all of them for the lead office,
   * its own for a department) and every finding still open. Made on request; nothing is stored,
   * and the portal never sees it.
   */
  async draft(actor: UserWithDepartment, report: Report, kind: 'docx' | 'pdf', { revisions = false } = {}): Promise<{ bytes: Buffer; stage: DraftMarks['stage']; date: string }> {
    const [context, units, rows, departments] = await Promise.all([
      this.deps.annex.context(report),
      listUnits(this.deps.db, report.id),
      listSectionRows(this.deps.db, report.id),
      listDepartments(this.deps.db, report.district_id),
    ]);
    const rowOf = new Map(rows.map((row) => [row.section_id, row]));
    const departmentName = new Map(departments.map((department) => [department.id, department.name]));
    const { moment, draft } = await this.deps.rooms.read(report.id, async (room) => {
      const body = readBodyJSON(room.document);
      const digest = digestReport(room.document, formatOf(report), room.seq, body);
      const checks = await this.judge(report, digest, context);
      const marks: DraftMarks = {
        stage: checks.unapproved.length === 0 ? '送审稿' : '征求意见稿',
        date: chineseDate(this.deps.now()),
        sections: digest.outline
          .filter((entry) => mayChangeStructure(actor) || rowOf.get(entry.sectionId)?.department_id === actor.departmentId)
          .map((entry) => {
            const row = rowOf.get(entry.sectionId);
            const state = STATE_NAMES[row?.state ?? 'draft'] + (row?.locked === 1 ? '（已锁定）' : '');
            return { title: entry.title, department: (row?.department_id && departmentName.get(row.department_id)) || '未分配', state };
          }),
        findings: checks.findings.map((finding) => ({ severity: finding.severity, rule: finding.rule, message: finding.message })),
      };
      // With its revisions, the text shows the pending suggestions as Word's 修订; the checks read the text itself.
      const printedBody = revisions ? readBodyJSON(room.document, suggestionRevisions(room.document)) : body;
      return { moment: renderMoment(report, printedBody, digest, units, marks), draft: marks };
    });
    if (kind === 'pdf') return { bytes: await this.deps.printer.print(moment.html), stage: draft.stage, date: draft.date };
    const { reportDocx } = await import('./docx-writer.js');
    return { bytes: await reportDocx(moment.printed), stage: draft.stage, date: draft.date };
  }

  /**
   * Publishes the report as it is at one moment: the checks and the pages read the same state, in
   * one turn of the report's queue, and the version records that moment's sequence number.
   */
  async publish(actor: UserWithDepartment, report: Report, request: PublishRequest): Promise<{ version: number; url: string; id: string; seq: number }> {
    requireLead(actor, 'publish');
    const text = request.note.trim();
    const [context, units, published] = await Promise.all([this.deps.annex.context(report), listUnits(this.deps.db, report.id), latestVersion(this.deps.db, report.id)]);
    if (published > 0 && text === '') throw refuse('note-required', { version: published + 1 });
    const { snapshot, printed, html, seq } = await this.deps.rooms.read(report.id, async (room) => {
      // The body is read once: the checks and the pages are made from the same reading.
      const body = readBodyJSON(room.document);
      const digest = digestReport(room.document, formatOf(report), room.seq, body);
      const checks = await this.judge(report, digest, context);
      const unacknowledged = warningRules(checks.findings).filter((rule) => !request.acknowledge.includes(rule));
      if (!checks.ready || unacknowledged.length > 0) throw new PublishRefused(checks, unacknowledged);
      return { ...renderMoment(report, body, digest, units), seq: room.seq };
    });
    // The documents are made before the transaction: a failed print stores nothing.
    // The DOCX writer is loaded with the first publication, not at start.
    const { reportDocx } = await import('./docx-writer.js');
    const [docx, pdf] = await Promise.all([reportDocx(printed), this.deps.printer.print(html)]);
    const id = randomBytes(12).toString('base64url');
    let deliver: Delivery | undefined;
    const version = await this.deps.db.transaction().execute(async (trx) => {
      await lockReportRow(trx, report.id);
      const next = (await latestVersion(trx, report.id)) + 1;
      await insertPublication(trx, {
        id,
        report_id: report.id,
        version: next,
        note: text,
        content_hash: sha256(html),
        html,
        annex: JSON.stringify({ format: snapshot.format.format, year: report.year, tables: snapshot.tables }),
        sections: JSON.stringify(snapshot.sections),
        seq,
        published_by: actor.id,
        published_at: this.deps.now(),
      });
      await insertPublicationFile(trx, { publication_id: id, kind: 'docx', content_type: DOCX_TYPE, bytes: docx, sha256: sha256(docx) });
      await insertPublicationFile(trx, { publication_id: id, kind: 'pdf', content_type: 'application/pdf', bytes: pdf, sha256: sha256(pdf) });
      await this.deps.outbox.enqueue(trx, id);
      // Everyone in the district hears of it, the departments too.
      deliver = await this.deps.notifier.record(trx, {
        kind: 'published',
        reportId: report.id,
        sectionId: null,
        detail: { reportTitle: report.title, version: next },
        to: { district: report.district_id },
        except: actor.id,
      });
      return next;
    });
    this.deps.outbox.wake();
    this.deps.events.publish(report.id, { type: 'publications' });
    deliver?.();
    this.deps.onPublished?.();
    return { version, url: `/portal/${id}`, id, seq };
  }
}

/** The page, the numbers and the texts, from one reading of the report at one moment (a draft's, with its marks). */
function renderMoment(report: Report, body: NodeJSON, digest: ReportDigest, units: readonly UnitRow[], draft?: DraftMarks): ReportMoment {
  const format = formatOf(report);
  const printed = printReport({
    title: report.title,
    body,
    format,
    tables: digest.tables,
    unitName: (unitId) => units.find((unit) => unit.id === unitId)?.name ?? unitId,
    ...(draft ? { draft } : {}),
  });
  return { snapshot: { format, tables: digest.tables, sections: digest.sections }, printed, html: reportHtml(printed) };
}

const STATE_NAMES: Record<string, string> = { draft: '编写中', submitted: '已提交待审', approved: '已审核通过', returned: '已退回修改' };

/** A day as a Chinese document dates itself, in Beijing time: 2026年12月1日. */
function chineseDate(ms: number): string {
  const day = new Date(ms + 8 * 3600_000);
  return `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
