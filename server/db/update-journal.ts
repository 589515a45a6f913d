import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { LogEntry } from './report-log.js';

/**
 * Records already moved stay in the file until it passes this size, then it is emptied: emptying
 * it at every move cost a system call per turn, 4 % of the server's time at 50 typists, and the
 * next start skips what the tables already hold.
 */
const EMPTY_PAST_BYTES = 256 * 1024;

/**
 * The report log's write-ahead journal on the embedded SQLite file: an append-only file beside it
 * that an accepted update is written to, in one `write`, before anyone is sent it. The updates
 * move into the database's tables a little later, many in one transaction (journaled-log.ts). A
 * keystroke's way to its peers is then one small write instead of a SQLite transaction (a third
 * of the server's time per keystroke at a human typing pace); what the database would have kept
 * through a SIGKILL, the file keeps too, and with `synchronous: 'full'` each write is flushed to
 * the disk as each commit was.
 *
 * What a killed process left in the file is moved into the tables when the server next opens the
 * database (`JournaledReportLog.recover`). A record is `[body length u32][crc32 of body u32][body]`,
 * the body `[header length u32][header JSON][update bytes]`: a record cut short by a power cut
 * fails its length or checksum, and it and anything after it is dropped — its write never
 * returned, so no one was sent it.
 */
export class UpdateJournal {
  private readonly fd: number;
  private waiting: LogEntry[] = [];
  private waitingRecordBytes = 0;
  /** The file's length: what it holds, moved or waiting. */
  private bytes: number;

  /**
   * Opens (or creates) the journal at `file`. `onWaiting` is told when an update starts waiting
   * to move into the tables; `flushEachWrite` makes every write reach the disk before it returns.
   */
  constructor(
    readonly file: string,
    private readonly options: { flushEachWrite: boolean; onWaiting(): void },
  ) {
    this.fd = fs.openSync(file, 'a');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Whether updates are written here but not yet in the tables. */
  get hasWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** The bytes of the records written here but not yet in the tables. */
  get waitingBytes(): number {
    return this.waitingRecordBytes;
  }

  /** Writes the update durably; throws, having kept nothing of it, if the file cannot take it. */
  write(entry: LogEntry): void {
    const record = encodeRecord(entry);
    const written = fs.writeSync(this.fd, record);
    if (written !== record.byteLength) {
      // A short write (the disk is full): cut the partial record off again, so recovery never sees it.
      fs.ftruncateSync(this.fd, this.bytes);
      throw new Error(`the update journal ${this.file} took ${written} of ${record.byteLength} bytes`);
    }
    this.bytes += written;
    if (this.options.flushEachWrite) fs.fdatasyncSync(this.fd);
    this.waiting.push(entry);
    this.waitingRecordBytes += written;
    if (this.waiting.length === 1) this.options.onWaiting();
  }

  /**
   * Hands every waiting update to `store`, which puts them in the tables or throws. If `store`
   * throws, everything stays waiting, in the file too.
   */
  moveWaiting(store: (entries: readonly LogEntry[]) => void): void {
    if (this.waiting.length === 0) return;
    store(this.waiting);
    this.waiting = [];
    this.waitingRecordBytes = 0;
    if (this.bytes >= EMPTY_PAST_BYTES) this.empty();
  }

  /** Empties the file: what it held is in the tables. */
  empty(): void {
    fs.ftruncateSync(this.fd, 0);
    this.bytes = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** The updates the journal at `file` holds (none if there is no file), and the bytes after the last whole record. */
export function readJournal(file: string): { entries: LogEntry[]; droppedBytes: number } {
  if (!fs.existsSync(file)) return { entries: [], droppedBytes: 0 };
  const bytes = fs.readFileSync(file);
  const { entries, validBytes } = decodeJournal(bytes);
  return { entries, droppedBytes: bytes.byteLength - validBytes };
}

interface RecordHeader {
  reportId: string;
  seq: number;
  userId: number | null;
  at: number;
  sectionIds: readonly string[];
  claims: LogEntry['claims'];
}

export function encodeRecord(entry: LogEntry): Buffer {
  const header: RecordHeader = { reportId: entry.reportId, seq: entry.seq, userId: entry.userId, at: entry.at, sectionIds: entry.sectionIds, claims: entry.claims };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const bodyLength = 4 + headerBytes.byteLength + entry.data.byteLength;
  const record = Buffer.allocUnsafe(8 + bodyLength);
  record.writeUInt32LE(bodyLength, 0);
  record.writeUInt32LE(headerBytes.byteLength, 8);
  headerBytes.copy(record, 12);
  record.set(entry.data, 12 + headerBytes.byteLength);
  record.writeUInt32LE(crc32(record.subarray(8)), 4);
  return record;
}

/** The whole records at the start of `bytes`, up to the first one that is cut short or damaged. */
export function decodeJournal(bytes: Buffer): { entries: LogEntry[]; validBytes: number } {
  const entries: LogEntry[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.byteLength) {
    const bodyLength = bytes.readUInt32LE(offset);
    const end = offset + 8 + bodyLength;
    if (bodyLength < 4 || end > bytes.byteLength) break;
    const body = bytes.subarray(offset + 8, end);
    if (crc32(body) !== bytes.readUInt32LE(offset + 4)) break;
    const headerLength = body.readUInt32LE(0);
    if (4 + headerLength > body.byteLength) break;
    const header = JSON.parse(body.subarray(4, 4 + headerLength).toString()) as RecordHeader;
    entries.push({ ...header, data: new Uint8Array(body.subarray(4 + headerLength)) });
    offset = end;
  }
  return { entries, validBytes: offset };
}
