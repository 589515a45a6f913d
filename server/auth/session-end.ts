import { CloseCode } from '../../blocks/contract.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { ReportEvents } from '../workflow/report-events.js';
/** Why a session, and everything opened under it, ended. */
export type SessionEnd = 'logged-out' | 'expired' | 'revoked';

/** What the user is told when a socket or an event stream ends with its session. */
export const sessionEndMessage: Record<SessionEnd, string> = {
  'logged-out': '已退出登录（logged out）',
  expired: '登录已过期，请重新登录（session expired）',
  revoked: '登录已被管理员结束，请重新登录（session ended by an administrator）',
};

/** setTimeout's longest delay (about 24.8 days); a longer one fires at once instead. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `end` once the session's time is up (`expiresAt` on the clock `now`), whether or not
 * anything else happens meanwhile: what lives on a session (a socket, an event stream) ends with
 * it even if its client never sends a thing. The timer does not keep the process alive. Returns
 * a cancel, for when what it guards ends first.
 */
export function atSessionDeadline(expiresAt: number, now: () => number, end: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt - now();
    timer = setTimeout(() => (now() >= expiresAt ? end() : arm()), Math.min(Math.max(remaining, 0), LONGEST_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** What a session has open on this server: its collaboration sockets and its event streams. */
export interface SessionHolders {
  rooms: Pick<RoomRegistry, 'peersOfSession'>;
  events: Pick<ReportEvents, 'endSession' | 'announceSessionEnd'>;
}

/**
 * Ends everything open under a session that has ended, in this server process and in every other:
 * its sockets close with 4401 and its event streams say why.
 */
export function closeSession(holders: SessionHolders, sessionId: string, why: SessionEnd): void {
  closeSessionHere(holders, sessionId, why);
  holders.events.announceSessionEnd(sessionId, why);
}

/** `closeSession` in this process only: for an end another process announced. */
export function closeSessionHere({ rooms, events }: SessionHolders, sessionId: string, why: SessionEnd): void {
  for (const peer of rooms.peersOfSession(sessionId)) peer.close(CloseCode.SessionExpired, sessionEndMessage[why]);
  events.endSession(sessionId, why);
}
