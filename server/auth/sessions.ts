import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { deleteSession, findLiveSession, insertSession } from '../db/sessions.js';
import { findUserWithDepartment, type UserWithDepartment } from '../db/users.js';

export const SESSION_COOKIE = 'report_session';

export interface AuthenticatedSession {
  id: string;
  user: UserWithDepartment;
  expiresAt: number;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Server-side sessions: the cookie carries a random token, the database its hash. */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: number): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = now + this.ttlMs;
    await insertSession(this.db, { id: hashToken(token), userId, now, expiresAt });
    return { token, expiresAt };
  }

  async authenticate(token: string | undefined): Promise<AuthenticatedSession | null> {
    if (!token) return null;
    const id = hashToken(token);
    const session = await findLiveSession(this.db, id, this.now());
    if (!session) return null;
    const user = await findUserWithDepartment(this.db, session.user_id);
    if (!user) return null;
    return { id, user, expiresAt: session.expires_at };
  }

  async destroy(token: string | undefined): Promise<string | null> {
    if (!token) return null;
    const id = hashToken(token);
    await deleteSession(this.db, id);
    return id;
  }

  get clock(): () => number {
    return this.now;
  }
}
