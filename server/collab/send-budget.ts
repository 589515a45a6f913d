/** What the budget needs of a socket: a `ws` WebSocket is one. */
export interface Backlogged {
  /** Bytes written to the socket and not yet handed to the operating system. */
  readonly bufferedAmount: number;
  /** Drops the connection at once, backlog and all. */
  terminate(): void;
}

/**
 * The bytes waiting to be sent on all collaboration sockets of the server together, kept under
 * one budget: beyond it the sockets with the largest backlog are cut off, so many clients that
 * never read cannot take the server's memory between them (each is also capped on its own).
 *
 * A send costs constant work. The total is an estimate kept incrementally: each send replaces its
 * socket's share with what that socket holds now plus the frame. Sockets that drained meanwhile
 * are still counted at their last share, so the estimate is never below the truth; only when it
 * passes the budget are the actual backlogs summed, once for all sockets. That recount is paid
 * for by a budget's sixteenth of sends (the estimate is then allowed that far past an actual total
 * found within the budget) or by the sockets it cuts off, which free a quarter of the budget.
 */
export class SendBudget {
  private readonly shares = new Map<Backlogged, number>();
  private total = 0;
  private recountAbove: number;

  constructor(private readonly maxTotalBytes: number) {
    this.recountAbove = maxTotalBytes;
  }

  track(socket: Backlogged): void {
    if (this.shares.has(socket)) return;
    const share = socket.bufferedAmount;
    this.shares.set(socket, share);
    this.total += share;
  }

  forget(socket: Backlogged): void {
    const share = this.shares.get(socket);
    if (share === undefined) return;
    this.shares.delete(socket);
    this.total -= share;
  }

  /**
   * Counts `bytes` about to be written to `socket`. False when the socket has been cut off to keep
   * the server within its budget (or was never tracked): write nothing to it then.
   */
  admit(socket: Backlogged, bytes: number): boolean {
    const share = this.shares.get(socket);
    if (share === undefined) return false;
    const next = socket.bufferedAmount + bytes;
    this.shares.set(socket, next);
    this.total += next - share;
    if (this.total > this.recountAbove) this.recount(socket, bytes);
    return this.shares.has(socket);
  }

  private recount(sending: Backlogged, bytes: number): void {
    this.total = 0;
    for (const socket of this.shares.keys()) {
      const share = socket.bufferedAmount + (socket === sending ? bytes : 0);
      this.shares.set(socket, share);
      this.total += share;
    }
    if (this.total > this.maxTotalBytes) {
      // Down to three quarters, not just under the line: the next send must not cut again.
      const target = (this.maxTotalBytes * 3) / 4;
      const largestFirst = [...this.shares].sort((a, b) => b[1] - a[1]);
      for (const [socket] of largestFirst) {
        if (this.total <= target) break;
        this.forget(socket);
        // A close frame would wait behind the very backlog being dropped.
        socket.terminate();
      }
    }
    this.recountAbove = Math.max(this.maxTotalBytes, this.total + this.maxTotalBytes / 16);
  }
}
