import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { atSessionDeadline, sessionEndMessage, type SessionEnd } from '../auth/session-end.js';
import type { AuthenticatedSession } from '../auth/sessions.js';
import type { EventStream } from '../workflow/report-events.js';
import type { AppEnv } from './app-env.js';

const KEEPALIVE_MS = 25_000;

/**
 * A server-sent event stream of what `subscribe` delivers, open until the client goes away or the
 * session it was opened under ends (logout, expiry, deactivation) — which it is told last, so
 * EventSource does not reconnect into a 401 without the page learning why its updates stopped.
 * It opens with `ready`, which tells a reconnecting page to catch up on what it missed.
 */
export function sessionEventStream<E extends { type: string }>(
  c: Context<AppEnv>,
  session: AuthenticatedSession,
  now: () => number,
  subscribe: (stream: EventStream<E>) => () => void,
): Response {
  return streamSSE(c, async (stream) => {
    // Settles when the client goes away (null) or its session ends, whichever comes first.
    let settle!: (why: SessionEnd | null) => void;
    const ended = new Promise<SessionEnd | null>((resolve) => (settle = resolve));
    const unsubscribe = subscribe({
      sessionId: session.id,
      deliver: (event) => void stream.writeSSE({ event: event.type, data: JSON.stringify(event) }),
      end: settle,
    });
    const cancelDeadline = atSessionDeadline(session.expiresAt, now, () => settle('expired'));
    stream.onAbort(() => settle(null));
    if (stream.aborted) settle(null);
    await stream.writeSSE({ event: 'ready', data: '{}' });
    const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), KEEPALIVE_MS);
    const why = await ended;
    clearInterval(keepAlive);
    cancelDeadline();
    unsubscribe();
    if (why) await stream.writeSSE({ event: 'session-ended', data: JSON.stringify({ reason: why, message: sessionEndMessage[why] }) });
  });
}
