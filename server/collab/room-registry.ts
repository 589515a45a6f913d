import type { Peer } from './peer.js';
import type { ReportStore } from './report-store.js';
import { Room, type RoomOptions } from './room.js';

/**
 * Open rooms by report id. A room stays open while anyone holds it (a socket, or an API
 * request reading the document) and is compacted and freed when the last one lets go.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, { room: Room; holders: number }>();
  private readonly sockets = new Map<Peer, Room>();

  constructor(
    private readonly store: ReportStore,
    private readonly options: RoomOptions,
  ) {}

  acquire(reportId: string): Room {
    let entry = this.rooms.get(reportId);
    if (!entry) {
      entry = { room: new Room(reportId, this.store, this.options), holders: 0 };
      this.rooms.set(reportId, entry);
      entry.room.ready.catch(() => {
        if (this.rooms.get(reportId) === entry) this.rooms.delete(reportId);
      });
    }
    entry.holders++;
    return entry.room;
  }

  async release(room: Room): Promise<void> {
    const entry = this.rooms.get(room.reportId);
    if (!entry || entry.room !== room) return;
    entry.holders--;
    if (entry.holders > 0) return;
    this.rooms.delete(room.reportId);
    await room.close();
  }

  /** Runs `read` against the report's settled document, opening the room for the duration. */
  async read<T>(reportId: string, read: (room: Room) => T): Promise<T> {
    const room = this.acquire(reportId);
    try {
      await room.ready;
      let result!: T;
      await room.enqueue(() => {
        result = read(room);
      });
      return result;
    } finally {
      await this.release(room);
    }
  }

  connect(peer: Peer, reportId: string): Room {
    const room = this.acquire(reportId);
    this.sockets.set(peer, room);
    room.join(peer);
    return room;
  }

  disconnect(peer: Peer, room: Room): void {
    this.sockets.delete(peer);
    room.leave(peer);
    void this.release(room);
  }

  /** Peers whose session just ended (logout, expiry). */
  peersOfSession(sessionId: string): Peer[] {
    return [...this.sockets.keys()].filter((peer) => peer.sessionId === sessionId);
  }

  async closeAll(): Promise<void> {
    const rooms = [...this.rooms.values()].map((e) => e.room);
    this.rooms.clear();
    this.sockets.clear();
    await Promise.all(rooms.map((room) => room.close()));
  }
}
