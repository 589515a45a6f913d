/** The counts of `socketQuotas` a connection is held to, by their name there. */
export type SocketCountLimit = 'socketsPerSession' | 'socketsPerUser';

export type SocketPlace = { release(): void } | { exceeded: SocketCountLimit };

/**
 * Open collaboration sockets per session and per user. A place is taken when the upgrade is
 * admitted — in the same turn as the check, so parallel upgrades cannot all slip past it — and
 * given back once, when the connection is gone.
 */
export class SocketCounts {
  private readonly bySession = new Map<string, number>();
  private readonly byUser = new Map<number, number>();

  constructor(private readonly limits: { readonly socketsPerSession: number; readonly socketsPerUser: number }) {}

  admit(sessionId: string, userId: number): SocketPlace {
    if ((this.bySession.get(sessionId) ?? 0) >= this.limits.socketsPerSession) return { exceeded: 'socketsPerSession' };
    if ((this.byUser.get(userId) ?? 0) >= this.limits.socketsPerUser) return { exceeded: 'socketsPerUser' };
    adjust(this.bySession, sessionId, +1);
    adjust(this.byUser, userId, +1);
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        adjust(this.bySession, sessionId, -1);
        adjust(this.byUser, userId, -1);
      },
    };
  }
}

function adjust<K>(counts: Map<K, number>, key: K, by: number): void {
  const count = (counts.get(key) ?? 0) + by;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
