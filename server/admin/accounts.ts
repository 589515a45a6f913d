import { randomBytes, randomInt } from 'node:crypto';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { passwordPolicy, passwordWeakness } from '../../blocks/password-policy.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/types.js';

const ROLES: readonly Role[] = ['lead', 'editor', 'viewer'];

/** Department colours (presence carets, owner badges), handed out in turn; distinguishable side by side. */
const DEPARTMENT_COLOURS = ['#b91c1c', '#1d4ed8', '#15803d', '#7e22ce', '#c2410c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#4338ca'];

/** Who acts: an administrator in the lead office, or null for the operator at the command line. */
export type AdminActor = { userId: number } | null;

/** A password for someone who was given none: long, mixed, and easy to read out over the phone. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(''));
  return `${groups.join('-')}-${randomInt(10)}`;
}

async function checkedHash(password: string, username: string): Promise<string> {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw refuse('weak-password', { reason: weakness, min: passwordPolicy.minLength });
  return hashPassword(password);
}

/**
 * The district's departments and users, as its administrators keep them: the one place the
 * command line (`npm run admin`) and the administrators' pages change them, each change written
 * to the admin log.
 */
export class Accounts {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The district, its lead office and the lead office's first administrator, on an empty database. */
  async init(input: { district: string; username: string; name?: string; password?: string }): Promise<{ password: string; generated: boolean }> {
    const existing = await this.db.selectFrom('districts').select('name').executeTakeFirst();
    if (existing) throw refuse('already-initialised', { district: existing.name });
    const district = requireText(input.district, 'district', 60);
    const username = requireUsername(input.username);
    const password = input.password ?? generatePassword();
    const passwordHash = await checkedHash(password, username);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('districts').values({ id: 'district', name: district }).execute();
      await trx.insertInto('departments').values({ id: 'lead', district_id: 'district', name: `${district}人民政府办公室`, name_en: 'Government Office', color: DEPARTMENT_COLOURS[0]!, is_lead: 1 }).execute();
      const user = await trx
        .insertInto('users')
        .values({ username, name: input.name?.trim() || username, password_hash: passwordHash, department_id: 'lead', role: 'lead', created_at: this.now(), must_change_password: input.password === undefined ? 1 : 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.log(trx, null, 'init', { district, username, userId: user.id });
    });
    return { password, generated: input.password === undefined };
  }

  async addDepartment(actor: AdminActor, input: { name: string; nameEn?: string; color?: string }): Promise<{ id: string; color: string }> {
    const districtId = await this.districtId();
    const name = requireText(input.name, 'name', 60);
    if (await this.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst()) throw refuse('department-name-taken', { name });
    const count = (await this.db.selectFrom('departments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const color = input.color ?? DEPARTMENT_COLOURS[Number(count) % DEPARTMENT_COLOURS.length]!;
    if (!/^#[0-9a-f]{6}$/i.test(color)) throw invalidRequest(`"color" must be #rrggbb, got "${color}"`);
    const id = `d-${randomBytes(4).toString('hex')}`;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values({ id, district_id: districtId, name, name_en: input.nameEn?.trim() || name, color, is_lead: 0 }).execute();
      await this.log(trx, actor, 'add-department', { id, name, color });
    });
    return { id, color };
  }

  async addUser(
    actor: AdminActor,
    input: { username: string; name: string; department: string; role: string; password?: string },
  ): Promise<{ id: number; password: string; generated: boolean }> {
    const username = requireUsername(input.username);
    const name = requireText(input.name, 'name', 60);
    if (!ROLES.includes(input.role as Role)) throw invalidRequest(`"role" must be one of ${ROLES.join(', ')}`);
    const department = await this.db.selectFrom('departments').select('id').where((eb) => eb.or([eb('name', '=', input.department.trim()), eb('id', '=', input.department.trim())])).executeTakeFirst();
    if (!department) throw refuse('department-unknown', { department: input.department });
    if (await this.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) throw refuse('username-taken', { username });
    const password = input.password ?? generatePassword();
    const passwordHash = await checkedHash(password, username);
    const id = await this.db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({ username, name, password_hash: passwordHash, department_id: department.id, role: input.role as Role, created_at: this.now(), must_change_password: input.password === undefined ? 1 : 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.log(trx, actor, 'add-user', { userId: user.id, username, department: department.id, role: input.role });
      return user.id;
    });
    return { id, password, generated: input.password === undefined };
  }

  /** A new password, which its user must replace at their next login; every session of the user ends (a stolen one included). */
  async resetPassword(actor: AdminActor, input: { username: string; password?: string }): Promise<{ userId: number; password: string; generated: boolean; endedSessions: string[] }> {
    const user = await this.requireUser(input.username);
    const password = input.password ?? generatePassword();
    const passwordHash = await checkedHash(password, user.username);
    const endedSessions = await this.sessionsOf(user.id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 1 }).where('id', '=', user.id).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await this.log(trx, actor, 'reset-password', { userId: user.id, username: user.username });
    });
    return { userId: user.id, password, generated: input.password === undefined, endedSessions };
  }

  /** The user can no longer log in; their sessions end (a running server closes their sockets). */
  async deactivate(actor: AdminActor, username: string): Promise<{ userId: number; endedSessions: string[] }> {
    const user = await this.requireUser(username);
    const endedSessions = await this.sessionsOf(user.id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ deactivated_at: this.now() }).where('id', '=', user.id).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await this.log(trx, actor, 'deactivate', { userId: user.id, username: user.username });
    });
    return { userId: user.id, endedSessions };
  }

  async listDepartments() {
    return this.db.selectFrom('departments').select(['id', 'name', 'name_en as nameEn', 'color', 'is_lead as isLead']).orderBy('is_lead', 'desc').orderBy('name').execute();
  }

  private async sessionsOf(userId: number): Promise<string[]> {
    return (await this.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).map((row) => row.id);
  }

  /**
   * A user chooses their own password: the current one must be right and the new one follow the
   * policy. Their other sessions end; the one they changed it in goes on.
   */
  async changeOwnPassword(userId: number, keepSessionId: string, input: { current: unknown; next: unknown }): Promise<void> {
    const user = await this.db.selectFrom('users').select(['id', 'username', 'password_hash']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (typeof input.current !== 'string' || typeof input.next !== 'string') throw invalidRequest('"current" and "next" must be strings');
    if (!(await verifyPassword(input.current, user.password_hash))) throw refuse('wrong-current-password', {});
    if (input.next === input.current) throw refuse('same-password', {});
    const passwordHash = await checkedHash(input.next, user.username);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 0 }).where('id', '=', user.id).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', keepSessionId).execute();
      await this.log(trx, { userId: user.id }, 'change-own-password', { userId: user.id });
    });
  }

  async listUsers() {
    return this.db
      .selectFrom('users')
      .innerJoin('departments', 'departments.id', 'users.department_id')
      .select(['users.username', 'users.name', 'users.role', 'departments.name as department', 'users.deactivated_at as deactivatedAt'])
      .orderBy('departments.is_lead', 'desc')
      .orderBy('departments.name')
      .orderBy('users.username')
      .execute();
  }

  private async requireUser(username: string) {
    const user = await this.db.selectFrom('users').select(['id', 'username']).where('username', '=', username.trim()).executeTakeFirst();
    if (!user) throw refuse('user-not-found', { username });
    return user;
  }

  private async districtId(): Promise<string> {
    const district = await this.db.selectFrom('districts').select('id').executeTakeFirst();
    if (!district) throw refuse('not-initialised', {});
    return district.id;
  }

  private async log(db: Db, actor: AdminActor, action: string, detail: Record<string, unknown>): Promise<void> {
    await db.insertInto('admin_log').values({ user_id: actor?.userId ?? null, action, detail: JSON.stringify(detail), created_at: this.now() }).execute();
  }
}

function requireText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > max) throw invalidRequest(`"${field}" must be 1–${max} characters`);
  return value.trim();
}

function requireUsername(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9._-]{1,31}$/.test(value.trim())) {
    throw invalidRequest('"username" must be 2–32 lower-case letters, digits, ".", "_" or "-"');
  }
  return value.trim();
}
