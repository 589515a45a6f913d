/**
 * What a room answers clients' state vectors with. Clients come back together — after a restart
 * every browser reconnects within a second or two, and in the morning a department opens the
 * report at once — and clients that were up to date present the same state vector, as fresh ones
 * present the empty one. Encoding an answer walks the whole document (its deletions always go in
 * full: 5 ms for a typed 1 MB report, 25 ms for all of it), so it is done once per state vector,
 * not once per client.
 *
 * The report moves on while people type. An answer encoded a moment ago still serves: the
 * updates logged since then are sent merged as one catch-up message *before* it. The client
 * holds the catch-up as pending (it builds on what the answer brings) and integrates it while
 * applying the answer, so it is up to date when it counts itself synced. Once the catch-up would
 * cost more than encoding afresh, the answer is encoded afresh.
 *
 * Answers are dropped a few seconds after the last client asked: a storm of joins is over in
 * seconds, and an idle room should not hold a copy of its report.
 */

/** How the answers are encoded: the room's document and its wire format. */
export interface AnswerEncoding {
  /** The answer to the state vector asked about, as the report is now. */
  answer(): Uint8Array;
  /** One message carrying these logged updates, oldest first. */
  catchUp(updates: Uint8Array[]): Uint8Array;
}

export interface SyncAnswerLimits {
  /** How long answers are kept once nobody asks, in ms. */
  keepMs: number;
  maxAnswers: number;
  /** Beyond this many updates logged since an answer, or this many bytes of them (or half the answer, if less), it is encoded afresh. */
  maxCatchUpUpdates: number;
  maxCatchUpBytes: number;
}

const DEFAULT_LIMITS: SyncAnswerLimits = { keepMs: 5_000, maxAnswers: 4, maxCatchUpUpdates: 200, maxCatchUpBytes: 256 * 1024 };

interface Answer {
  /** The report's sequence number the answer was encoded at. */
  seq: number;
  message: Uint8Array;
}

export class SyncAnswers {
  private readonly limits: SyncAnswerLimits;
  private readonly answers = new Map<string, Answer>();
  /** Every update logged since the oldest answer kept, oldest first. */
  private readonly since: Array<{ seq: number; update: Uint8Array }> = [];
  /** The last catch-up encoded: clients joining at the same moment share it too. */
  private lastCatchUp: { from: number; to: number; message: Uint8Array } | null = null;
  private expiry: NodeJS.Timeout | null = null;
  /** When a client last asked (performance.now()). */
  private lastAsked = 0;

  constructor(limits: Partial<SyncAnswerLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** The messages answering `stateVector` with the report at `seq`, in the order they are to be sent. */
  answer(seq: number, stateVector: Uint8Array, encoding: AnswerEncoding): Uint8Array[] {
    const key = Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('base64');
    this.lastAsked = performance.now();
    const known = this.answers.get(key);
    if (known?.seq === seq) return [known.message];
    if (known && this.coversSince(known, seq)) return [this.catchUp(known.seq, seq, encoding), known.message];

    const fresh: Answer = { seq, message: encoding.answer() };
    this.answers.delete(key);
    if (this.answers.size >= this.limits.maxAnswers) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, fresh);
    this.forgetUnneeded();
    this.expiry ??= this.expireIn(this.limits.keepMs);
    return [fresh.message];
  }

  /** Tells of an update logged as `seq` (the one after the last told). */
  logged(seq: number, update: Uint8Array): void {
    if (this.answers.size === 0) return;
    this.since.push({ seq, update });
    this.forgetUnneeded();
  }

  clear(): void {
    this.answers.clear();
    this.since.length = 0;
    this.lastCatchUp = null;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }

  /** Forgets every answer once nobody has asked for `keepMs`. */
  private expireIn(delayMs: number): NodeJS.Timeout {
    return setTimeout(() => {
      const idleMs = performance.now() - this.lastAsked;
      if (idleMs >= this.limits.keepMs) this.clear();
      else this.expiry = this.expireIn(this.limits.keepMs - idleMs);
    }, delayMs).unref();
  }

  /** Whether the updates logged after `answer` up to `to` are all kept, and few enough to send. */
  private coversSince(answer: Answer, to: number): boolean {
    const first = this.since.find((logged) => logged.seq > answer.seq);
    if (first?.seq !== answer.seq + 1 || this.since.at(-1)!.seq !== to) return false;
    return !this.tooFarBehind(answer, to - answer.seq, this.bytesAfter(answer.seq));
  }

  /**
   * Whether catching up with `updates` updates of `bytes` costs more than encoding afresh: past
   * the limits, or past half the answer itself (merging is no cheaper than encoding, byte for
   * byte, and a small report is encoded in no time).
   */
  private tooFarBehind(answer: Answer, updates: number, bytes: number): boolean {
    return updates > this.limits.maxCatchUpUpdates || bytes > Math.min(this.limits.maxCatchUpBytes, answer.message.byteLength / 2);
  }

  private catchUp(from: number, to: number, encoding: AnswerEncoding): Uint8Array {
    const last = this.lastCatchUp;
    if (last?.from === from && last.to === to) return last.message;
    const message = encoding.catchUp(this.since.filter((logged) => logged.seq > from).map((logged) => logged.update));
    this.lastCatchUp = { from, to, message };
    return message;
  }

  /**
   * Drops the answers too far behind to be caught up (they would be encoded afresh anyway), then
   * the updates no answer kept needs any more.
   */
  private forgetUnneeded(): void {
    const last = this.since.at(-1)?.seq;
    for (const [key, answer] of this.answers) {
      if (last !== undefined && this.tooFarBehind(answer, last - answer.seq, this.bytesAfter(answer.seq))) this.answers.delete(key);
    }
    if (this.answers.size === 0) {
      this.clear();
      return;
    }
    const oldest = Math.min(...[...this.answers.values()].map((answer) => answer.seq));
    while (this.since.length > 0 && this.since[0]!.seq <= oldest) this.since.shift();
  }

  /** The bytes of the updates logged after `seq`. */
  private bytesAfter(seq: number): number {
    let bytes = 0;
    for (const logged of this.since) if (logged.seq > seq) bytes += logged.update.byteLength;
    return bytes;
  }
}
