import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readAnnexTables, type AnnexTables } from '../../blocks/annex/annex-data.js';
import type { FormatDefinition } from '../../blocks/annex/definition.js';
import { refuse } from '../../blocks/errors.js';
import { formatOf } from '../annex/annex-service.js';
import { ReportUnreadableError, type ReportStore } from '../collab/report-store.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Room } from '../collab/room.js';
import type { Report } from '../db/types.js';
import { readSectionVersion } from '../workflow/section-text.js';
import type { ReadAnswer, ReadQuestion, ReadRequest, SectionThen } from './digest-worker.js';
import { digestReport, type ReportDigest } from './report-digest.js';

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
    return open ?? this.fromStorage(report, format);
  }

  /** The report's numbers: read straight from an open room (cheap), or from its digest. */
  async tables(report: Report): Promise<AnnexTables> {
    const open = this.deps.rooms.readIfOpen(report.id, (room) => readAnnexTables(room.document, formatOf(report)));
    return open ?? (await this.of(report)).tables;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private fromStorage(report: Report, format: FormatDefinition): Promise<ReportDigest> {
    let reading = this.inFlight.get(report.id);
    if (!reading) {
      reading = this.readStored(report, format).finally(() => this.inFlight.delete(report.id));
      this.inFlight.set(report.id, reading);
    }
    return reading;
  }

  private async readStored(report: Report, format: FormatDefinition): Promise<ReportDigest> {
    const known = this.stored.get(report.id);
    if (known && known.seq === (await this.deps.store.lastSeq(report.id))) return known;
    const { tail, replayed } = await this.deps.store.readHistory(report.id);
    const answer = await this.ask({ reportId: report.id, format: format.format, seq: tail.lastSeq, snapshot: tail.snapshot, updates: tail.updates, question: { kind: 'digest' } });
    const digest = replayed(() => answered(report.id, answer, 'digest'));
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
    const format = formatOf(report);
    if (seq === 'now') {
      const open = this.deps.rooms.readIfOpen(report.id, (room) => {
        const tables = readAnnexTables(room.document, format);
        return { version: readSectionVersion(room.document, sectionId, tables), tables };
      });
      if (open) return open;
      const { tail, replayed } = await this.deps.store.readHistory(report.id);
      const answer = await this.ask({ reportId: report.id, format: format.format, seq: tail.lastSeq, snapshot: tail.snapshot, updates: tail.updates, question: { kind: 'section', sectionId } });
      return replayed(() => answered(report.id, answer, 'section'));
    }
    if (seq > (await this.deps.store.lastSeq(report.id))) throw refuse('version-not-found', { seq });
    const history = await this.deps.store.readHistoryUpTo(report.id, seq);
    return answered(report.id, await this.ask({ reportId: report.id, format: format.format, seq, ...history, question: { kind: 'section', sectionId } }), 'section');
  }

  private ask(request: Omit<ReadRequest, 'id'> & { question: ReadQuestion }): Promise<ReadAnswer> {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.startedWorker().postMessage({ id, ...request } satisfies ReadRequest);
    });
  }

  private startedWorker(): Worker {
    if (this.worker) return this.worker;
    // The worker runs beside this module: built JavaScript in production, TypeScript through tsx
    // in development and tests (a worker's entry file does not go through tsx's loader, so the
    // TypeScript is imported through tsx's API).
    const here = fileURLToPath(import.meta.url);
    const file = path.join(path.dirname(here), `digest-worker${path.extname(here)}`);
    const worker = file.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(pathToFileURL(file).href)}, ${JSON.stringify(import.meta.url)}))`, { eval: true })
      : new Worker(file);
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
function answered<K extends 'digest' | 'section'>(reportId: string, answer: ReadAnswer, kind: K): K extends 'digest' ? ReportDigest : SectionThen {
  if ('unreadable' in answer) {
    const { kind: part, seq, cause } = answer.unreadable;
    throw new ReportUnreadableError(reportId, { kind: part, seq }, new Error(cause));
  }
  if ('failed' in answer) throw new Error(`reading report ${reportId} on the worker failed: ${answer.failed}`);
  const value = kind === 'digest' ? ('digest' in answer ? answer.digest : undefined) : 'section' in answer ? answer.section : undefined;
  if (value === undefined) throw new Error(`the worker answered report ${reportId} with something else than a ${kind}`);
  return value as K extends 'digest' ? ReportDigest : SectionThen;
}
