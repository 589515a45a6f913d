/**
 * What a room answers clients' state vectors with, at one version of its report. Clients come
 * back together — after a restart every browser reconnects within a second or two, and in the
 * morning a department opens the report at once — and clients that were up to date present the
 * same state vector, as fresh ones present the empty one. Encoding the answer walks the whole
 * document (its deletions always go in full: 5 ms for a typed 1 MB report, 25 ms for all of it),
 * so it is done once per state vector and version, not once per client.
 *
 * Answers are dropped as soon as the report moves on, and after a short while otherwise: a storm
 * of joins is over in seconds, and an idle room should not hold a copy of its report.
 */
export class SyncAnswers {
  private version = -1;
  private readonly answers = new Map<string, Uint8Array>();
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    private readonly keepMs = 5_000,
    private readonly maxAnswers = 4,
  ) {}

  /** The answer to `stateVector` at `version`, encoded by `encode` unless already known. */
  answer(version: number, stateVector: Uint8Array, encode: () => Uint8Array): Uint8Array {
    if (version !== this.version) this.clear(version);
    const key = Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('base64');
    const known = this.answers.get(key);
    if (known) return known;
    const answer = encode();
    if (this.answers.size >= this.maxAnswers) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, answer);
    this.expiry ??= setTimeout(() => this.clear(this.version), this.keepMs).unref();
    return answer;
  }

  clear(version = -1): void {
    this.version = version;
    this.answers.clear();
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }
}
