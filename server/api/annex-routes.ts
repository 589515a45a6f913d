import { Hono } from 'hono';
import { findFormat, formatIds, isReportYear, REPORT_YEARS, reportFormats } from '../../blocks/annex/formats/index.js';
import { parseAnnexTables } from '../../blocks/annex/annex-data.js';
import { isBodyLevel } from '../../blocks/annex/body-level.js';
import { columnsOfRow, splitTableId, type FormatDefinition } from '../../blocks/annex/definition.js';
import { validateAnnex } from '../../blocks/annex/validate.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { formatOf, invalidLevel, UNIT_ID_PATTERN, type AnnexService } from '../annex/annex-service.js';
import { requireLead } from '../workflow/lead-office.js';
import { requireSession } from '../auth/session-middleware.js';
import type { Db } from '../db/database.js';
import type { AppEnv } from './app-env.js';
import { readJsonObject } from './read-json.js';
import { findVisibleReport } from './report-routes.js';

/** A format's tables as the contract publishes them: ids, the national Chinese labels, cell kinds. */
function describeFormat(format: FormatDefinition) {
  return {
    format: format.format,
    title: format.title,
    years: format.years,
    sections: format.sections,
    tables: format.tables.map((table) => ({
      id: table.id,
      title: table.title,
      ...(table.note ? { note: table.note } : {}),
      perUnit: table.perUnit ?? false,
      rows: table.rows.map((row) => ({
        id: row.id,
        label: row.label,
        depth: row.depth ?? 0,
        heading: row.heading ?? false,
        ...(row.caption ? { caption: row.caption } : {}),
        ...(row.optional ? { optional: true } : {}),
        columns: columnsOfRow(table, row).map((column) => column.id),
      })),
      columns: table.columns.map((column) => ({
        id: column.id,
        label: column.label,
        kind: column.kind ?? 'count',
        ...(column.group ? { group: column.group } : {}),
        ...(column.subgroup ? { subgroup: column.subgroup } : {}),
      })),
    })),
  };
}

/** A unit's copy of a table names a unit ("B@finance"); "B@" or "B@Not A Unit" is no table at all. */
function checkUnitTableIds(tables: Record<string, unknown>, path: string): void {
  for (const tableId of Object.keys(tables)) {
    const { unit } = splitTableId(tableId);
    if (unit !== null && !UNIT_ID_PATTERN.test(unit)) throw invalidRequest(`${path}.${tableId}: "${unit}" is not a unit id (unit ids match ${UNIT_ID_PATTERN})`);
  }
}

/** Public: the formats' table definitions and validation of annex data sent by portals and scripts. */
export function createFormatRoutes() {
  return new Hono<AppEnv>()
    .get('/formats', (c) => c.json(reportFormats.map((format) => ({ format: format.format, title: format.title, years: format.years }))))
    .get('/formats/:format', (c) => {
      const format = findFormat(c.req.param('format'));
      if (!format) throw refuse('format-not-found', { format: c.req.param('format'), formats: formatIds() });
      return c.json(describeFormat(format));
    })
    .post('/validate', async (c) => {
      const body = await readJsonObject(c);
      if (typeof body.format !== 'string') throw invalidRequest(`"format" is required: one of ${formatIds()}`);
      const format = findFormat(body.format);
      if (!format) throw refuse('format-unknown', { format: body.format, formats: formatIds() });
      const tables = parseAnnexTables(body.tables, format);
      if (!tables.ok) throw invalidRequest(tables.error);
      checkUnitTableIds(tables.tables, 'tables');
      const year = body.year ?? undefined;
      if (year !== undefined && !isReportYear(year)) throw invalidRequest(`"year" must be the year reported on, e.g. 2026 (${REPORT_YEARS.first}–${REPORT_YEARS.last})`);
      const level = body.level ?? undefined;
      if (level !== undefined && !isBodyLevel(level)) throw invalidLevel();
      let previous = null;
      if (body.previous !== undefined && body.previous !== null) {
        if (typeof body.previous !== 'object' || Array.isArray(body.previous)) {
          throw invalidRequest('"previous" must be last year\'s annex data: an object { "format", "year", "tables" }');
        }
        const previousBody = body.previous as Record<string, unknown>;
        if (previousBody.format !== undefined && typeof previousBody.format !== 'string') {
          throw invalidRequest(`previous.format must be one of ${formatIds()}`);
        }
        const previousFormat = findFormat(typeof previousBody.format === 'string' ? previousBody.format : format.format);
        if (!previousFormat) throw invalidRequest(`previous.format "${String(previousBody.format)}" is not a known format`);
        const parsed = parseAnnexTables(previousBody.tables, previousFormat, 'previous.tables');
        if (!parsed.ok) throw invalidRequest(parsed.error);
        checkUnitTableIds(parsed.tables, 'previous.tables');
        previous = parsed.tables;
      }
      return c.json({ findings: validateAnnex({ format, tables: tables.tables, previous, year, level }) });
    });
}

export interface ReportAnnexRoutesDeps {
  db: Db;
  annex: AnnexService;
}

/** A report's annex: its numbers, its findings, last year's figures and its roll-up units. */
export function createReportAnnexRoutes({ db, annex }: ReportAnnexRoutesDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const session = requireSession(c);
      const created = await annex.createReport(session.user, await readJsonObject(c));
      return c.json(created, 201);
    })
    .get('/:id/annex', async (c) => {
      const report = await findVisibleReport(db, requireSession(c), c.req.param('id'));
      const [tables, context] = await Promise.all([annex.tables(report), annex.context(report)]);
      return c.json({ format: report.format, year: report.year, tables, ...context });
    })
    .get('/:id/findings', async (c) => {
      const report = await findVisibleReport(db, requireSession(c), c.req.param('id'));
      return c.json({ format: formatOf(report).format, findings: await annex.findings(report) });
    })
    .put('/:id/previous-annex', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      const body = await readJsonObject(c);
      await annex.setPreviousAnnex(session.user, report, body.tables);
      return c.json({ ok: true });
    })
    .put('/:id/level', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      const body = await readJsonObject(c);
      await annex.setLevel(session.user, report, body.level);
      return c.json({ ok: true });
    })
    .put('/:id/units', async (c) => {
      const session = requireSession(c);
      const report = await findVisibleReport(db, session, c.req.param('id'));
      requireLead(session.user, 'unit-tables');
      const body = await readJsonObject(c);
      return c.json({ units: await annex.setUnits(session.user, report, body.units) });
    });
}
