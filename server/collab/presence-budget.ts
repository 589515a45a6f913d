/**
 * The presence a report shows, bounded as a whole. Every participant's client sends the presence
 * it knows along with its own, so presence grows with the square of the people in a room; a few
 * hundred sockets with large states would otherwise make frames larger than any client accepts.
 * A state that does not fit is not shown; its owner stays connected and editing.
 */
export class PresenceBudget {
  private readonly sizes = new Map<number, number>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether `clientID`'s new state of `bytes` fits (and counts it if so); a removal always fits. */
  admit(clientID: number, bytes: number | null): boolean {
    const previous = this.sizes.get(clientID) ?? 0;
    if (bytes === null) {
      this.release(clientID);
      return true;
    }
    if (this.total - previous + bytes > this.maxBytes) return false;
    this.total += bytes - previous;
    this.sizes.set(clientID, bytes);
    return true;
  }

  /** The state of `clientID` is gone (left, timed out). */
  release(clientID: number): void {
    this.total -= this.sizes.get(clientID) ?? 0;
    this.sizes.delete(clientID);
  }
}
