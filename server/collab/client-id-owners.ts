/**
 * Who may write under each Yjs client id of a report. Yjs trusts the id an update carries, so a
 * writer could otherwise use someone else's: their offline work would then be dropped as already
 * known and their next keystroke refused as out of order. An id belongs to the first user who
 * writes under it (kept with the report's log, so it holds across restarts) or announces it as
 * their presence (kept while the report is open); the server's own edits are owned by no user.
 */
export class ClientIdOwners {
  /** Owners recorded with the log; null: the server. */
  private readonly written: Map<number, number | null>;
  /** Presence ids announced since the report was opened, by user (null: reserved for the server). */
  private readonly announced = new Map<number, number | null>();

  constructor(written: Map<number, number | null>) {
    this.written = written;
  }

  private ownerOf(clientID: number): number | null | undefined {
    return this.written.has(clientID) ? this.written.get(clientID) : this.announced.get(clientID);
  }

  /** The first of `clientIDs` that someone other than `userId` owns, or null when all are free or theirs. */
  foreignId(clientIDs: Iterable<number>, userId: number | null): number | null {
    for (const clientID of clientIDs) {
      const owner = this.ownerOf(clientID);
      if (owner !== undefined && owner !== userId) return clientID;
    }
    return null;
  }

  /** Of `clientIDs`, those the log does not yet record: they are claimed with the update that uses them. */
  unrecorded(clientIDs: Iterable<number>): number[] {
    return [...new Set(clientIDs)].filter((clientID) => !this.written.has(clientID));
  }

  /** Records ids the log now holds as `userId`'s. */
  recordWritten(clientIDs: readonly number[], userId: number | null): void {
    for (const clientID of clientIDs) this.written.set(clientID, userId);
  }

  /** Keeps the id the server will write under (its document's) from being taken before it first does. */
  reserveForServer(clientID: number): void {
    if (!this.written.has(clientID)) this.announced.set(clientID, null);
  }

  /** Binds a presence id to `userId`; false when it is someone else's. */
  announce(clientID: number, userId: number): boolean {
    const owner = this.ownerOf(clientID);
    if (owner !== undefined && owner !== userId) return false;
    if (!this.written.has(clientID)) this.announced.set(clientID, userId);
    return true;
  }
}
