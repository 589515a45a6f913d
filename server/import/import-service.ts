import { DEFAULT_BODY_LEVEL, isBodyLevel } from '../../blocks/annex/body-level.js';
import { findFormat, isReportYear, REPORT_YEARS } from '../../blocks/annex/formats/index.js';
import { invalidRequest, refuse, ReportError } from '../../blocks/errors.js';
import { importFindings, type ImportPreview } from '../../blocks/import/report-import.js';
import { unreadMessage } from '../../blocks/import/unread-text.js';
import { findReportOfYear } from '../db/annex.js';
import type { Db } from '../db/database.js';
import type { UserWithDepartment } from '../db/users.js';
import type { ReportDigests } from '../read/report-digests.js';
import { requireLead } from '../workflow/lead-office.js';
import type { Upload } from './read-upload.js';
import type { ImportAnswer, ImportJob, ImportResults } from './import-worker.js';
import type { WordDraft } from '../../blocks/import/source.js';
import { startWorkerBeside } from '../worker-threads.js';
import { Slots } from '../slots.js';

export interface ImportServiceDeps {
  db: Db;
  digests: ReportDigests;
}

/**
 * Reads uploaded files: a published report for the lead office to look at before keeping it, and
 * a department's Word draft for its section. Stores nothing: keeping a report is creating an
 * archived report (`POST /api/reports` with `archived`) or entering last year's figures, from
 * what the preview showed; a draft reaches the report through its writer's editor.
 */
export class ImportService {
  private readonly slots = new Slots(MAX_CONCURRENT_IMPORTS);

  constructor(private readonly deps: ImportServiceDeps) {}

  /**
   * Runs a reading job on a worker thread of its own, started for it and stopped after: the
   * readers (HTML, Word, PDF.js, traditional characters) never load into the server's own thread,
   * a long PDF never stalls anyone's typing, and a file built to exhaust a reader (a ZIP bomb, a
   * PDF that never ends) is stopped at a memory and a time limit.
   */
  private async inWorker<J extends ImportJob>(job: J): Promise<ImportResults[J['job']]> {
    await this.slots.take();
    const worker = startWorkerBeside(import.meta.url, 'import-worker', { maxOldGenerationSizeMb: WORKER_HEAP_MB });
    const unreadable = (detail: string) => refuse('import-unreadable', { name: job.name, detail });
    try {
      const answer = await new Promise<ImportAnswer>((resolve, reject) => {
        const timer = setTimeout(() => reject(unreadable(`not read within ${READ_TIMEOUT_MS / 1000} s`)), READ_TIMEOUT_MS);
        const settle = <T>(settleWith: (value: T) => void) => (value: T) => {
          clearTimeout(timer);
          settleWith(value);
        };
        worker.once('message', settle(resolve));
        worker.once('error', settle((error: Error) => reject(unreadable(error.message))));
        worker.once('exit', settle((code: number) => reject(unreadable(`the reader stopped (exit code ${code})`))));
        worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
      });
      if ('refused' in answer) throw new ReportError(answer.refused.code, answer.refused.params as never);
      if ('failed' in answer) throw new Error(`reading "${job.name}" failed: ${answer.failed}`);
      return answer.done as ImportResults[J['job']];
    } finally {
      await worker.terminate();
      this.slots.give();
    }
  }

  /** A department's Word/WPS draft made ready for its section (the caller checked it may write there). */
  convertDraft(upload: Upload): Promise<WordDraft> {
    return this.inWorker({ job: 'draft', name: upload.name, bytes: upload.bytes });
  }

  async preview(actor: UserWithDepartment, upload: Upload, hints: { year?: unknown; level?: unknown }): Promise<ImportPreview> {
    requireLead(actor, 'import');
    const year = parseYearHint(hints.year);
    if (hints.level !== undefined && !isBodyLevel(hints.level)) throw invalidRequest('"level" must be province, city or county');
    const { source, traditional, report } = await this.inWorker({ job: 'report', name: upload.name, bytes: upload.bytes, year });
    // Judged as any report of that year is: against the year before it, when the district has it.
    const previousReport = report.year === null ? undefined : await findReportOfYear(this.deps.db, actor.districtId, report.year - 1);
    const previous = previousReport ? await this.deps.digests.tables(previousReport) : null;
    const level = hints.level ?? previousReport?.level ?? DEFAULT_BODY_LEVEL;
    const format = findFormat(report.format)!;
    return {
      ...report,
      unread: report.unread.map((cell) => ({ ...cell, message: unreadMessage(cell, format, 'zh') })),
      source,
      traditional,
      level,
      findings: importFindings(report, { level, previous }),
    };
  }
}

/** Files read at once; more wait their turn (each reader may take a few hundred MB). */
const MAX_CONCURRENT_IMPORTS = 2;
const WORKER_HEAP_MB = 512;
const READ_TIMEOUT_MS = 60_000;

/** A form field's year ("2022"), when the person importing names it. */
function parseYearHint(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const year = typeof value === 'string' && /^\d{4}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (!isReportYear(year)) throw invalidRequest(`"year" must be the year reported on (${REPORT_YEARS.first}–${REPORT_YEARS.last})`);
  return year;
}
