import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { AuthenticatedSession } from '../auth/sessions.js';

/** What middleware puts on the request context for the handlers after it. */
export interface AppEnv {
  Variables: {
    session: AuthenticatedSession | null;
    /** With several server processes: the URL of the process holding the request's report, if not this one. */
    holder: string | null;
  };
}

/**
 * The address the request came from: the socket's peer, or — behind a trusted reverse proxy — the
 * address that proxy saw (the last one it added to X-Forwarded-For; earlier ones a client can forge).
 */
export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',').pop()?.trim() : undefined;
  return forwarded || ((c.env as Partial<HttpBindings> | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown');
}
