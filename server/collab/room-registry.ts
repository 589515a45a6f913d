import type { Peer } from './peer.js';
import { ReportUnreadableError, type ReportStore } from './report-store.js';
import { ReportHeldElsewhere } from '../cluster/report-ownership.js';
import { RoomHooks } from './room-hooks.js';
import { Room, type RoomOptions } from './room.js';

export interface RegistryOptions extends RoomOptions {
  /**
   * How long a room nobody holds stays loaded. Loading a long report replays its history on the
   * event loop every report shares (a 1 MB report: 80–200 ms); a report just left is likely opened
   * again soon (a reload, a quick return), and should not stall everyone's typing again.
   */
  keepIdleMs?: number;
  /**
   * Where several server processes share the reports: a room loads only where its report's lease
   * is held (`claim` fails otherwise), and the lease is let go when the room closes.
   */
  ownership?: { claim(reportId: string): Promise<void>; released(reportId: string): void };
}

/** The default of `RegistryOptions.keepIdleMs`: five minutes. */
export const KEEP_IDLE_MS = 5 * 60_000;

/**
 * Open rooms by report id. A room stays open while anyone holds it (a socket, or an API
 * request reading the document), and for `keepIdleMs` after the last one lets go; then it is
 * compacted and freed.
 */
export class RoomRegistry {
  /** The room that new holders of a report get. */
  private readonly rooms = new Map<string, Room>();
  private readonly holders = new Map<Room, number>();
  /** Rooms nobody holds, each with the timer that frees it. */
  private readonly idle = new Map<Room, NodeJS.Timeout>();
  private readonly keepIdleMs: number;
  private readonly sockets = new Map<Peer, Room>();
  private readonly options: RoomOptions;
  /** Moments of every room this registry opens, for the rest of the server to act on. */
  readonly hooks = new RoomHooks();
  /** Unreadable-report failures already told to the operator: the store answers the same one again. */
  private readonly reported = new WeakSet<ReportUnreadableError>();

  private readonly ownership: RegistryOptions['ownership'];

  constructor(
    private readonly store: ReportStore,
    { keepIdleMs = KEEP_IDLE_MS, ownership, ...options }: RegistryOptions,
  ) {
    this.keepIdleMs = keepIdleMs;
    this.ownership = ownership;
    // A broken room keeps serving no one; whoever comes next gets the report loaded afresh.
    this.options = { ...options, hooks: this.hooks, onBroken: (room) => this.detach(room), beforeLoad: ownership && ((reportId) => ownership.claim(reportId)) };
  }

  acquire(reportId: string): Room {
    let room = this.rooms.get(reportId);
    if (!room) {
      let loadFailed = false;
      const created = new Room(reportId, this.store, {
        ...this.options,
        // A room that could not load has no document: all it could report after (a socket that
        // joined, a message that arrived meanwhile) is that one failure again, logged below.
        onError: (error, context) => {
          if (!loadFailed) this.options.onError(error, context);
        },
      });
      room = created;
      this.rooms.set(reportId, created);
      // Registered before anyone joins, so it runs before the room reports the failure to them.
      created.ready.catch((error: unknown) => {
        loadFailed = true;
        this.detach(created);
        this.reportLoadFailure(reportId, error);
      });
    }
    const idleTimer = this.idle.get(room);
    if (idleTimer) {
      clearTimeout(idleTimer);
      this.idle.delete(room);
    }
    this.holders.set(room, (this.holders.get(room) ?? 0) + 1);
    return room;
  }

  async release(room: Room): Promise<void> {
    const remaining = (this.holders.get(room) ?? 0) - 1;
    if (remaining > 0) {
      this.holders.set(room, remaining);
      return;
    }
    this.holders.delete(room);
    // A room still serving new holders waits a while before it is freed; a detached one (broken,
    // or never loaded) goes at once.
    if (this.rooms.get(room.reportId) === room && this.keepIdleMs > 0) {
      const timer = setTimeout(() => {
        this.idle.delete(room);
        this.detach(room);
        this.closeInBackground(room);
      }, this.keepIdleMs);
      timer.unref();
      this.idle.set(room, timer);
      return;
    }
    this.detach(room);
    await this.closeRoom(room);
  }

  /**
   * Tells the operator why a report could not be loaded. A quarantined report's users reconnect
   * every few seconds and the store answers each from memory with the same error: it is told once.
   */
  private reportLoadFailure(reportId: string, error: unknown): void {
    // Taken by another process between routing and loading: the socket reconnects and goes there.
    if (error instanceof ReportHeldElsewhere) return;
    if (!(error instanceof ReportUnreadableError)) {
      this.options.onError(error, `report ${reportId}: loading`);
      return;
    }
    if (this.reported.has(error)) return;
    this.reported.add(error);
    this.options.onError(error, `report ${reportId} is quarantined: its ${error.part.kind} ${error.part.seq} cannot be read (npm run report-admin -- check ${reportId})`);
  }

  private detach(room: Room): void {
    if (this.rooms.get(room.reportId) === room) this.rooms.delete(room.reportId);
  }

  /** Whether the report's room is open here (or opening, or kept a while after everyone left). */
  isOpen(reportId: string): boolean {
    return this.rooms.has(reportId);
  }

  /**
   * The report is decided by another server process now: its room is freed at once and its
   * sockets reconnect (see `Room.abandon`). Holders still using it find it closed.
   */
  evict(reportId: string): void {
    const room = this.rooms.get(reportId);
    if (!room) return;
    this.detach(room);
    const idleTimer = this.idle.get(room);
    if (idleTimer) clearTimeout(idleTimer);
    this.idle.delete(room);
    room.abandon();
  }

  /** Like `read`, if the report's room is open (or opening); null if nobody has the report open. */
  readIfOpen<T>(reportId: string, task: (room: Room) => T | Promise<T>): Promise<T> | null {
    return this.rooms.has(reportId) ? this.read(reportId, task) : null;
  }

  /** Runs `use` with the report's room loaded, opening the room for the duration. */
  async withRoom<T>(reportId: string, use: (room: Room) => Promise<T>): Promise<T> {
    const room = this.acquire(reportId);
    try {
      await room.ready;
      return await use(room);
    } finally {
      this.releaseInBackground(room);
    }
  }

  /**
   * Runs `task` in the report's queue: after every edit received before, and before any edit
   * received after — the document is settled and a rule change takes effect at one point.
   */
  async read<T>(reportId: string, task: (room: Room) => T | Promise<T>): Promise<T> {
    return this.withRoom(reportId, async (room) => {
      let result!: T;
      await room.enqueue(async () => {
        result = await task(room);
      });
      return result;
    });
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
    this.releaseInBackground(room);
  }

  /**
   * Lets go of a room without making anyone wait for it: the last holder's release compacts the
   * room, which may wait for the database lock (and fail at its deadline) — no reason to hold
   * back an answer already made, or to let the failure go unhandled and stop the process.
   */
  private releaseInBackground(room: Room): void {
    this.release(room).catch((error: unknown) => this.reportCloseFailure(room, error));
  }

  private closeInBackground(room: Room): void {
    this.closeRoom(room).catch((error: unknown) => this.reportCloseFailure(room, error));
  }

  /** Closes a room nobody holds; once no room of its report is left here, its lease is let go. */
  private async closeRoom(room: Room): Promise<void> {
    try {
      await room.close();
    } finally {
      if (!this.rooms.has(room.reportId)) this.ownership?.released(room.reportId);
    }
  }

  private reportCloseFailure(room: Room, error: unknown): void {
    // A room that never loaded fails its close with its load failure, which was told already.
    room.ready.then(
      () => this.options.onError(error, `report ${room.reportId}: closing`),
      () => undefined,
    );
  }

  /** Peers whose session just ended (logout, expiry). */
  /** Reports loaded now (open, opening, or kept a while after everyone left). */
  get openRooms(): number {
    return this.rooms.size;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** The sessions that have a collaboration socket open. */
  openSessionIds(): Set<string> {
    return new Set([...this.sockets.keys()].map((peer) => peer.sessionId));
  }

  peersOfSession(sessionId: string): Peer[] {
    return [...this.sockets.keys()].filter((peer) => peer.sessionId === sessionId);
  }

  async closeAll(): Promise<void> {
    const rooms = [...this.holders.keys(), ...this.idle.keys()];
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
    this.rooms.clear();
    this.holders.clear();
    this.sockets.clear();
    await Promise.all(rooms.map((room) => this.closeRoom(room)));
  }
}
