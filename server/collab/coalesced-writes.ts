import type { Socket } from 'node:net';
import { atTurnEnd } from '../turn-end.js';

/** A socket's small frames are held back together up to this many bytes; a larger frame goes out at once. */
const COALESCE_MAX_BYTES = 64 * 1024;

/**
 * Writes frames to the collaboration sockets, every small frame a socket gets in one turn of the
 * event loop in one system call. Under load, a turn reads many keystrokes (the poll phase hands
 * over every socket that became readable), and each goes to every peer: written one by one, that
 * is a system call, a TCP segment and a wake-up of the reader per keystroke per peer, which was
 * most of the server's time with 200 typists. Held back until the turn's reads are handled (its
 * 'send' phase, see turn-end.ts), a peer gets them in one write. In a quiet turn, with one
 * keystroke read, its frames leave right after it is handled, as they did when written at once.
 *
 * A frame that would take a socket's held and unsent bytes past `maxBytes` goes out at once with
 * what is held before it, so a large answer (a join's document) is never held, and what the
 * backlog checks see (`bufferedAmount` counts held bytes) stays what the network holds up.
 * Order is kept: holding is the socket's own `cork`, which everything written to it goes through.
 */
export class CoalescedWrites {
  private readonly held = new Set<Socket>();

  constructor(private readonly maxBytes = COALESCE_MAX_BYTES) {}

  write(socket: Socket, frame: Uint8Array): void {
    if (socket.writableLength + frame.byteLength > this.maxBytes) {
      // Past the limit: what is held goes out now, and this frame right after it.
      if (this.held.delete(socket)) socket.uncork();
    } else if (!this.held.has(socket)) {
      socket.cork();
      if (this.held.size === 0) atTurnEnd('send', this.flushAll);
      this.held.add(socket);
    }
    socket.write(frame);
  }

  private readonly flushAll = (): void => {
    for (const socket of this.held) socket.uncork();
    this.held.clear();
  };
}
