import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { deleteExpiredSessions } from '../db/sessions.js';
import type { ReportEvents } from '../workflow/report-events.js';
import { closeSession } from './session-end.js';

/**
 * Every little while: expired sessions are deleted (not only at start), and what is still open
 * under a session that no longer exists — ended by the command line (a deactivation, a password
 * reset) or by another process — is closed: its sockets with 4401, its event streams.
 */
export class SessionSweep {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: { db: Db; rooms: RoomRegistry; events: ReportEvents; intervalMs: number; now: () => number; onError(error: unknown, context: string): void }) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.deps.onError(error, 'sweeping sessions')), this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sweep(): Promise<void> {
    const { db, rooms, events } = this.deps;
    await deleteExpiredSessions(db, this.deps.now());
    const open = [...new Set([...rooms.openSessionIds(), ...events.openSessionIds()])];
    if (open.length === 0) return;
    const alive = new Set((await db.selectFrom('sessions').select('id').where('id', 'in', open).execute()).map((row) => row.id));
    for (const sessionId of open) {
      if (alive.has(sessionId)) continue;
      closeSession({ rooms, events }, sessionId, 'revoked');
    }
  }
}
