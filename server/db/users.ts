import type { Db } from './database.js';
import type { NewUser } from './types.js';

export async function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function createUser(db: Db, user: NewUser) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

/** An active user with the department they belong to, as every request needs them; a deactivated user is no one. */
export async function findUserWithDepartment(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select([
      'users.id',
      'users.username',
      'users.name',
      'users.role',
      'users.department_id as departmentId',
      'departments.name as departmentName',
      'departments.name_en as departmentNameEn',
      'departments.color as departmentColor',
      'departments.district_id as districtId',
      'users.must_change_password as mustChangePassword',
    ])
    .where('users.id', '=', userId)
    .where('users.deactivated_at', 'is', null)
    .executeTakeFirst();
}

export type UserWithDepartment = NonNullable<Awaited<ReturnType<typeof findUserWithDepartment>>>;

export async function listDepartments(db: Db, districtId: string) {
  return db.selectFrom('departments').selectAll().where('district_id', '=', districtId).orderBy('is_lead', 'desc').orderBy('id').execute();
}
