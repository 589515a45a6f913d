import { DEFAULT_BODY_LEVEL, isBodyLevel } from '../../blocks/annex/body-level.js';
import { isReportYear, REPORT_YEARS } from '../../blocks/annex/formats/index.js';
import { invalidRequest } from '../../blocks/errors.js';
import { importFindings, readImportedReport, type ImportPreview } from '../../blocks/import/report-import.js';
import { unreadMessage } from '../../blocks/import/unread-text.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { findReportOfYear } from '../db/annex.js';
import type { Db } from '../db/database.js';
import type { UserWithDepartment } from '../db/users.js';
import type { ReportDigests } from '../read/report-digests.js';
import { requireLead } from '../workflow/lead-office.js';
import type { Upload } from './read-upload.js';

export interface ImportServiceDeps {
  db: Db;
  digests: ReportDigests;
}

/**
 * Reads a published report for the lead office to look at before keeping it. Stores nothing:
 * keeping it is creating an archived report (`POST /api/reports` with `archived`) or entering
 * last year's figures, from what the preview showed.
 */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  async preview(actor: UserWithDepartment, upload: Upload, hints: { year?: unknown; level?: unknown }): Promise<ImportPreview> {
    requireLead(actor, 'import');
    const year = parseYearHint(hints.year);
    if (hints.level !== undefined && !isBodyLevel(hints.level)) throw invalidRequest('"level" must be province, city or county');
    // The readers (HTML, Word, PDF, traditional characters) load on the first import, not at start.
    const { readUpload } = await import('./read-upload.js');
    const { kind, blocks, traditional } = await readUpload(upload);
    const report = readImportedReport(blocks, year === undefined ? {} : { year });
    // Judged as any report of that year is: against the year before it, when the district has it.
    const previousReport = report.year === null ? undefined : await findReportOfYear(this.deps.db, actor.districtId, report.year - 1);
    const previous = previousReport ? await this.deps.digests.tables(previousReport) : null;
    const level = hints.level ?? previousReport?.level ?? DEFAULT_BODY_LEVEL;
    const format = findFormat(report.format)!;
    return {
      ...report,
      unread: report.unread.map((cell) => ({ ...cell, message: unreadMessage(cell, format, 'zh') })),
      source: kind,
      traditional,
      level,
      findings: importFindings(report, { level, previous }),
    };
  }
}

/** A form field's year ("2022"), when the person importing names it. */
function parseYearHint(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const year = typeof value === 'string' && /^\d{4}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (!isReportYear(year)) throw invalidRequest(`"year" must be the year reported on (${REPORT_YEARS.first}–${REPORT_YEARS.last})`);
  return year;
}
