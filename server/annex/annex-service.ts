import * as Y from 'yjs';
import { parseAnnexTables, blankTable, type AnnexTables } from '../../blocks/annex/annex-data.js';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';
import { BODY_LEVELS, DEFAULT_BODY_LEVEL, isBodyLevel, type BodyLevel } from '../../blocks/annex/body-level.js';
import { splitTableId, unitTableId, type FormatDefinition } from '../../blocks/annex/definition.js';
import { findFormat, formatIds, formatOfYear, isReportYear, REPORT_YEARS } from '../../blocks/annex/formats/index.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { contentLimits } from '../../blocks/content-limits.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { requireLead } from '../workflow/lead-office.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import { findPreviousReport, findReportOfYear, listUnits, replaceUnits, savePreviousAnnex, saveReportLevel, type UnitRow } from '../db/annex.js';
import type { Db } from '../db/database.js';
import { appendAudit } from '../db/sections.js';
import type { Report, UnitKind } from '../db/types.js';
import type { UserWithDepartment } from '../db/users.js';
import type { ReportEvents } from '../workflow/report-events.js';
import type { RulesContext } from '../../blocks/annex/validate.js';
import { lastYearText } from '../read/report-digest.js';
import type { ReportDigests } from '../read/report-digests.js';
import { insertReport, templateSections, templateTables } from './report-template.js';
import { parseArchive } from '../import/archive.js';
import { sectionsFromLastYear } from './from-last-year.js';

export interface AnnexServiceDeps {
  db: Db;
  rooms: RoomRegistry;
  digests: ReportDigests;
  events: ReportEvents;
  now: () => number;
}

/** What the rules need beyond the report's own document: last year's figures and the roll-up's units. */
export interface AnnexContext extends RulesContext {
  previous: AnnexTables | null;
  /** Where last year's figures come from: a report in the system, or figures entered by hand. */
  previousSource: { reportId: string; title: string } | 'entered' | null;
  units: UnitRow[];
}

export const UNIT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const UNIT_KINDS: readonly UnitKind[] = ['government', 'department', 'township'];

export function formatOf(report: Pick<Report, 'format' | 'id'>): FormatDefinition {
  const format = findFormat(report.format);
  if (!format) throw new Error(`report ${report.id} has unknown format ${report.format}`);
  return format;
}

/**
 * The annex of reports on the server: reading tables, the whole-report findings the publishing
 * step and the API rely on, last year's figures, roll-up units, and new reports from a format.
 */
export class AnnexService {
  constructor(private readonly deps: AnnexServiceDeps) {}

  tables(report: Report): Promise<AnnexTables> {
    return this.deps.digests.tables(report);
  }

  async context(report: Report): Promise<AnnexContext> {
    const units = await listUnits(this.deps.db, report.id);
    const previousReport = await findPreviousReport(this.deps.db, report);
    const always = { units, level: report.level };
    if (previousReport) {
      const digest = await this.deps.digests.of(previousReport);
      return { previous: digest.tables, previousText: lastYearText(digest), previousSource: { reportId: previousReport.id, title: previousReport.title }, ...always };
    }
    if (report.previous_annex) return { previous: JSON.parse(report.previous_annex) as AnnexTables, previousText: null, previousSource: 'entered', ...always };
    return { previous: null, previousText: null, previousSource: null, ...always };
  }

  /** Who writes the report (rule A2), as the lead office says. */
  async setLevel(actor: UserWithDepartment, report: Report, input: unknown): Promise<void> {
    requireLead(actor, 'report-level');
    if (!isBodyLevel(input)) throw invalidLevel();
    if (input === report.level) return;
    await saveReportLevel(this.deps.db, report.id, input);
    await appendAudit(this.deps.db, { reportId: report.id, sectionId: null, userId: actor.id, action: 'report-level', detail: { from: report.level, to: input }, now: this.deps.now() });
    this.deps.events.publish(report.id, { type: 'annex' });
  }

  /** Every rule over the report as it stands now — the same code the browser runs as people type. */
  async findings(report: Report): Promise<readonly Finding[]> {
    const [context, digest] = await Promise.all([this.context(report), this.deps.digests.of(report)]);
    return this.deps.digests.findings(report, digest, context);
  }

  /**
   * Last year's figures typed in by hand (in last year's format), for when its report is not in
   * the system; `null` removes them. `undefined` (no "tables" sent) is a mistake, not a removal.
   */
  async setPreviousAnnex(actor: UserWithDepartment, report: Report, input: unknown): Promise<void> {
    requireLead(actor, 'previous-figures');
    if (input === undefined) throw invalidRequest('"tables" is required: last year\'s tables, or null to remove the figures entered');
    const previousReport = input === null ? undefined : await findPreviousReport(this.deps.db, report);
    if (previousReport) {
      // The rules read last year's report itself; figures typed in beside it would never be used.
      throw refuse('previous-report-in-system', { title: previousReport.title });
    }
    let json: string | null = null;
    if (input !== null) {
      const format = findFormat(formatOfYear(report.year - 1))!;
      const parsed = parseAnnexTables(input, format);
      if (!parsed.ok) throw refuse('previous-figures-invalid', { detail: parsed.error });
      json = JSON.stringify(parsed.tables);
    }
    await savePreviousAnnex(this.deps.db, report.id, json);
    await appendAudit(this.deps.db, { reportId: report.id, sectionId: null, userId: actor.id, action: 'previous-annex', now: this.deps.now() });
    this.deps.events.publish(report.id, { type: 'annex' });
  }

  /**
   * Declares the units a district report is compiled from. Each gets its own copies of the
   * per-unit tables (B, C), placed in its section so that section's department fills them; units
   * dropped from the list take their tables with them.
   */
  async setUnits(actor: UserWithDepartment, report: Report, input: unknown): Promise<UnitRow[]> {
    requireLead(actor, 'unit-tables');
    const format = formatOf(report);
    const perUnit = format.tables.filter((table) => table.perUnit);
    if (perUnit.length === 0) throw refuse('format-without-units', { format: format.title });
    const units = parseUnits(input);
    const previous = await listUnits(this.deps.db, report.id);
    await this.deps.rooms.withRoom(report.id, async (room) => {
      const body = room.document.getXmlFragment(BODY_FIELD);
      for (const unit of units) {
        if (!findSectionElement(body, unit.sectionId)) throw refuse('unit-section-missing', { unit: unit.name, section: unit.sectionId });
      }
      await room.applyAuthorityChange({
        userId: actor.id,
        sectionIds: [...new Set([...units, ...previous].map((unit) => unit.sectionId))],
        // Placing or removing a unit's tables changes what those sections hold.
        changesText: true,
        apply: (doc) => placeUnitTables(doc, format, units),
      });
      await this.deps.db.transaction().execute(async (trx) => {
        await replaceUnits(trx, report.id, units);
        await appendAudit(trx, { reportId: report.id, sectionId: null, userId: actor.id, action: 'units', detail: { units: units.map((unit) => unit.id) }, now: this.deps.now() });
      });
    });
    this.deps.events.publish(report.id, { type: 'annex' });
    return units;
  }

  /**
   * A new year's report from its format's template, or with `fromLastYear: true` from last year's
   * report (its parts, owners, deadlines and text as a draft), 上年结转 filled from last year's
   * 结转下年度 when last year's report is known — or, with `archived: true`, an earlier year's
   * publication kept read-only, as the import read it (`parseArchive`).
   */
  async createReport(actor: UserWithDepartment, input: Record<string, unknown>): Promise<{ id: string }> {
    requireLead(actor, 'create-report');
    const year = input.year;
    if (!isReportYear(year)) throw invalidRequest(`"year" must be the report year, e.g. 2026 (${REPORT_YEARS.first}–${REPORT_YEARS.last})`);
    const title = typeof input.title === 'string' && input.title.trim() !== '' ? input.title.trim() : null;
    if (!title || title.length > contentLimits.maxTitleLength) throw refuse('title-length', { max: contentLimits.maxTitleLength });
    if (input.level !== undefined && !isBodyLevel(input.level)) throw invalidLevel();
    if (input.archived !== undefined && typeof input.archived !== 'boolean') throw invalidRequest('"archived" must be true or false');
    if (input.fromLastYear !== undefined && typeof input.fromLastYear !== 'boolean') throw invalidRequest('"fromLastYear" must be true or false');
    if (input.archived === true && input.fromLastYear === true) throw invalidRequest('an archived report is kept as it was published, not started from last year');
    const archive = input.archived === true ? parseArchive(input) : null;
    const format = archive?.format ?? this.formatOfNewReport(year, input.format);
    const districtId = actor.districtId;
    // One report per year: "last year's report" must name exactly one.
    if (await findReportOfYear(this.deps.db, districtId, year)) throw refuse('report-exists', { year });
    const previousReport = await findPreviousReport(this.deps.db, { district_id: districtId, year });
    if (input.fromLastYear === true && !previousReport) throw refuse('no-report-last-year', { year: year - 1 });
    const fromLastYear = input.fromLastYear === true && previousReport ? await sectionsFromLastYear(this.deps, previousReport, format) : null;
    const id = await insertReport(this.deps.db, {
      districtId,
      title,
      year,
      format,
      // Unless said, who wrote last year's report writes this one.
      level: archive?.level ?? (input.level as BodyLevel | undefined) ?? previousReport?.level ?? DEFAULT_BODY_LEVEL,
      sections: archive?.sections ?? fromLastYear ?? templateSections(format),
      tables: archive?.tables ?? templateTables(format, previousReport ? await this.deps.digests.tables(previousReport) : null),
      archived: archive !== null,
      userId: actor.id,
      now: this.deps.now(),
    });
    return { id };
  }

  /** The format a new report is written in: its year's, or one named that the year allows. */
  private formatOfNewReport(year: number, named: unknown): FormatDefinition {
    if (named !== undefined && typeof named !== 'string') throw invalidRequest(`"format" must be a format id: ${formatIds()}`);
    const format = findFormat(typeof named === 'string' ? named : formatOfYear(year));
    if (!format) throw refuse('format-unknown', { format: String(named), formats: formatIds() });
    if (year >= 2021 && format.format !== formatOfYear(year)) {
      // Rule S1 holds every report from 2021 on to the 2021 format: such a report could never be published.
      throw refuse('format-not-for-year', { year, format: format.format, expected: formatOfYear(year) });
    }
    return format;
  }
}

/** A level that is none of the body levels, wherever one is read. */
export const invalidLevel = () => invalidRequest(`"level" must be one of ${BODY_LEVELS.join(', ')}`);

function parseUnits(input: unknown): UnitRow[] {
  if (!Array.isArray(input)) throw invalidRequest('"units" must be a list of { id, name, kind, sectionId }');
  const seen = new Set<string>();
  return input.map((entry: unknown, index) => {
    const unit = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const where = `units[${index}]`;
    if (typeof unit.id !== 'string' || !UNIT_ID_PATTERN.test(unit.id)) throw invalidRequest(`${where}.id must match ${UNIT_ID_PATTERN}`);
    if (seen.has(unit.id)) throw invalidRequest(`${where}.id "${unit.id}" is listed twice`);
    seen.add(unit.id);
    if (typeof unit.name !== 'string' || unit.name.trim() === '' || unit.name.length > 60) throw invalidRequest(`${where}.name must be 1–60 characters`);
    if (typeof unit.kind !== 'string' || !UNIT_KINDS.includes(unit.kind as UnitKind)) throw invalidRequest(`${where}.kind must be one of ${UNIT_KINDS.join(', ')}`);
    if (typeof unit.sectionId !== 'string') throw invalidRequest(`${where}.sectionId must be a section id`);
    return { id: unit.id, name: unit.name.trim(), kind: unit.kind as UnitKind, sectionId: unit.sectionId };
  });
}

/** Makes the document hold exactly the listed units' tables, each placed at the end of its unit's section. */
function placeUnitTables(doc: Y.Doc, format: FormatDefinition, units: readonly UnitRow[]): void {
  const annex = doc.getMap<unknown>(ANNEX_FIELD);
  const body = doc.getXmlFragment(BODY_FIELD);
  const wanted = new Map<string, string>();
  for (const unit of units) {
    for (const table of format.tables.filter((candidate) => candidate.perUnit)) wanted.set(unitTableId(table.id, unit.id), unit.sectionId);
  }
  removeStrayUnitNodes(body, wanted);
  for (const tableId of [...annex.keys()]) {
    if (splitTableId(tableId).unit !== null && !wanted.has(tableId)) annex.delete(tableId);
  }
  for (const [tableId, sectionId] of wanted) {
    if (!annex.has(tableId)) {
      const table = format.tables.find((candidate) => candidate.id === splitTableId(tableId).base)!;
      const cells = new Y.Map<number | null>();
      annex.set(tableId, cells);
      for (const [rowId, columns] of Object.entries(blankTable(table))) {
        for (const columnId of Object.keys(columns)) cells.set(`${rowId}:${columnId}`, null);
      }
    }
    const section = findSectionElement(body, sectionId)!;
    if (!section.toArray().some((child) => child instanceof Y.XmlElement && child.nodeName === ANNEX_TABLE_NODE && child.getAttribute('tableId') === tableId)) {
      const node = new Y.XmlElement(ANNEX_TABLE_NODE);
      node.setAttribute('tableId', tableId);
      section.insert(section.length, [node]);
    }
  }
}

/** Unit table nodes of units no longer listed, or placed outside their unit's section. */
function removeStrayUnitNodes(body: Y.XmlFragment, wanted: ReadonlyMap<string, string>): void {
  for (const section of body.toArray()) {
    if (!(section instanceof Y.XmlElement)) continue;
    const sectionId = section.getAttribute('sectionId');
    const children = section.toArray();
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      if (!(child instanceof Y.XmlElement) || child.nodeName !== ANNEX_TABLE_NODE) continue;
      const tableId = String(child.getAttribute('tableId') ?? '');
      if (splitTableId(tableId).unit !== null && wanted.get(tableId) !== sectionId) section.delete(index, 1);
    }
  }
}

