import type { AuthenticatedSession } from '../auth/sessions.js';

/** What middleware puts on the request context for the handlers after it. */
export interface AppEnv {
  Variables: {
    session: AuthenticatedSession | null;
  };
}
