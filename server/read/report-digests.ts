import type { Worker } from 'node:worker_threads';
import { readAnnexTables, type AnnexTables } from '../../blocks/annex/annex-data.js';
import { refuse } from '../../blocks/errors.js';
import { formatOf } from '../annex/annex-service.js';
import { ReportUnreadableError, type ReportStore } from '../collab/report-store.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Room } from '../collab/room.js';
import type { Report } from '../db/types.js';
import { startWorkerBeside } from '../worker-threads.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';
import type { RulesContext } from '../../blocks/annex/validate.js';
import type { ReadAnswer, ReadAnswers, ReadQuestion, ReadRequest, RulesRequest } from './digest-worker.js';
import { digestReport, findingsOfDigest, sectionThen, type ReportDigest, type SectionThen } from './report-digest.js';

/** Digests of reports nobody has open, kept for the next read while their log does not move. */
const STORED_DIGESTS_KEPT = 32;

/**
 * What the API reads from reports, without stalling anyone's typing. An open report is read in
 * its queue from the document in memory, once per logged update. A report nobody has open is not
 * loaded into a room for a read: its stored history is replayed on a worker thread, and the
 * digest comes back as plain data — the event loop every open report shares never rebuilds it.
 */
export class ReportDigests {
  private readonly ofRoom = new WeakMap<Room, ReportDigest>();
  private readonly stored = new Map<string, ReportDigest>();
  private readonly inFlight = new Map<string, Promise<ReportDigest>>();
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (answer: ReadAnswer) => void; reject: (error: Error) => void }>();
  private nextRequest = 1;

  constructor(private readonly deps: { rooms: RoomRegistry; store: ReportStore }) {}

  /** The report as it stands: from its room if open, otherwise from storage off the event loop. */
  of(report: Report): Promise<ReportDigest> {
    const format = formatOf(report);
    const open = this.deps.rooms.readIfOpen(report.id, (room) => {
      const known = this.ofRoom.get(room);
      if (known && known.seq === room.seq) return known;
      const digest = digestReport(room.document, format, room.seq);
      this.ofRoom.set(room, digest);
      return digest;
    });
    return open ?? this.fromStorage(report);
  }

  /** The report's numbers: read straight from an open room (cheap), or from its digest. */
  async tables(report: Report): Promise<AnnexTables> {
    const open = this.deps.rooms.readIfOpen(report.id, (room) => readAnnexTables(room.document, formatOf(report)));
    return open ?? (await this.of(report)).tables;
  }

  /**
   * Every rule over the report at the digest's moment, run on the worker thread: over a long
   * report they take as long as rebuilding it. Made once per digest and context.
   */
  findings(report: Report, digest: ReportDigest, context: RulesContext): Promise<readonly Finding[]> {
    const format = formatOf(report);
    return findingsOfDigest(digest, format, report.year, context, async (input) => answered(report.id, await this.ask({ rules: { ...input, format: format.format } })) as ReadAnswers['findings']);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private fromStorage(report: Report): Promise<ReportDigest> {
    let reading = this.inFlight.get(report.id);
    if (!reading) {
      reading = this.readStored(report).finally(() => this.inFlight.delete(report.id));
      this.inFlight.set(report.id, reading);
    }
    return reading;
  }

  private async readStored(report: Report): Promise<ReportDigest> {
    const known = this.stored.get(report.id);
    if (known && known.seq === (await this.deps.store.lastSeq(report.id))) return known;
    const digest = await this.askStored(report, { kind: 'digest' });
    this.stored.delete(report.id);
    this.stored.set(report.id, digest);
    if (this.stored.size > STORED_DIGESTS_KEPT) this.stored.delete(this.stored.keys().next().value!);
    return digest;
  }

  /**
   * One section as it stood right after update `seq` — or now — with the numbers of that moment
   * (its linked figures read as they showed then). Now comes from the open room if there is one;
   * every other moment is rebuilt on the worker thread.
   */
  async sectionAt(report: Report, sectionId: string, seq: number | 'now'): Promise<SectionThen> {
    if (seq === 'now') {
      const open = this.deps.rooms.readIfOpen(report.id, (room) => sectionThen(room.document, formatOf(report), sectionId));
      return open ?? this.askStored(report, { kind: 'section', sectionId });
    }
    if (seq > (await this.deps.store.lastSeq(report.id))) throw refuse('version-not-found', { seq });
    return this.askStored(report, { kind: 'section', sectionId }, seq);
  }

  /**
   * Asks the worker about the report as stored — now (a report found unreadable is quarantined,
   * as a room's load would), or right after update `upTo`.
   */
  private async askStored<K extends ReadQuestion['kind']>(report: Report, question: ReadQuestion & { kind: K }, upTo?: number): Promise<ReadAnswers[K]> {
    const stored =
      upTo === undefined
        ? await this.deps.store.readHistory(report.id).then(({ tail, replayed }) => ({ ...tail, seq: tail.lastSeq, replayed }))
        : { ...(await this.deps.store.readHistoryUpTo(report.id, upTo)), seq: upTo, replayed: <T>(read: () => T) => read() };
    const answer = await this.ask({ reportId: report.id, format: formatOf(report).format, seq: stored.seq, snapshot: stored.snapshot, updates: stored.updates, question });
    return stored.replayed(() => answered(report.id, answer)) as ReadAnswers[K];
  }

  private ask(request: Omit<ReadRequest, 'id'> | Omit<RulesRequest, 'id'>): Promise<ReadAnswer> {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.startedWorker().postMessage({ id, ...request } satisfies ReadRequest | RulesRequest);
    });
  }

  private startedWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorkerBeside(import.meta.url, 'digest-worker');
    // Idle, it keeps nothing alive: the server stops as if it were not there.
    worker.unref();
    worker.on('message', (answer: ReadAnswer) => {
      this.waiting.get(answer.id)?.resolve(answer);
      this.waiting.delete(answer.id);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the report digest worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** The worker's answer, or the error it stands for: an unreadable stored part, or a failure. */
function answered(reportId: string, answer: ReadAnswer): ReadAnswers[keyof ReadAnswers] {
  if ('unreadable' in answer) {
    const { kind, seq, cause } = answer.unreadable;
    throw new ReportUnreadableError(reportId, { kind, seq }, new Error(cause));
  }
  if ('failed' in answer) throw new Error(`reading report ${reportId} on the worker failed: ${answer.failed}`);
  return answer.value;
}
