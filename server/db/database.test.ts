import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';
import { readClientOwners, recordClientOwners } from './client-ids.js';
import { insertPublication, listPublications } from './publications.js';
import { appendUpdate, listSectionChanges } from './update-log.js';

// Runs on SQLite and, in the `postgres` project, on PostgreSQL: one set of migrations, one set of
// queries, the same answers.
let demo: DemoDatabase;
let reportId: string;
beforeAll(async () => {
  demo = await openDemoDatabase('database-test');
  reportId = demo.reportIds[0]!;
});
afterAll(() => demo.dispose());

describe('the storage layer, on either engine', () => {
  it('keeps timestamps past 2^31 ms and unsigned 32-bit Yjs client ids as exact numbers', async () => {
    const { db } = demo.database;
    const lead = await db.selectFrom('users').select('id').where('username', '=', 'lead').executeTakeFirstOrThrow();
    const at = Date.UTC(2026, 11, 1, 8, 30, 15, 123);
    await appendUpdate(db, { reportId, seq: 9_001, data: Y.encodeStateAsUpdate(new Y.Doc()), userId: lead.id, at });
    const row = await db.selectFrom('update_log').select(['created_at', 'seq']).where('report_id', '=', reportId).where('seq', '=', 9_001).executeTakeFirstOrThrow();
    expect(row).toEqual({ created_at: at, seq: 9_001 });

    await recordClientOwners(db, reportId, [0xffff_ffff], lead.id);
    expect((await readClientOwners(db, reportId)).get(0xffff_ffff)).toBe(lead.id);
  });

  it('indexes each logged update under the sections it names, in the same insert', async () => {
    const { db } = demo.database;
    const before = (await listSectionChanges(db, reportId, 'problems')).length;
    await appendUpdate(db, { reportId, seq: 9_002, data: Y.encodeStateAsUpdate(new Y.Doc()), userId: null, at: Date.now(), sectionIds: ['problems', 'overview'] });
    const changes = await listSectionChanges(db, reportId, 'problems');
    expect(changes).toHaveLength(before + 1);
    expect(changes.at(-1)).toMatchObject({ seq: 9_002, userId: null });
  });

  it('refuses, in the database itself, to change or delete a published version', async () => {
    const { db } = demo.database;
    const lead = await db.selectFrom('users').select('id').where('username', '=', 'lead').executeTakeFirstOrThrow();
    await insertPublication(db, { id: 'pub-immutable', report_id: reportId, version: 1, note: '首次发布', content_hash: 'h', html: '<p>正文</p>', annex: '{}', published_by: lead.id, published_at: Date.now(), sections: '[]', seq: null });
    await expect(db.updateTable('publications').set({ html: '<p>篡改</p>' }).where('id', '=', 'pub-immutable').execute()).rejects.toThrow(/publications are immutable/);
    await expect(db.deleteFrom('publications').where('id', '=', 'pub-immutable').execute()).rejects.toThrow(/publications are immutable/);
    expect((await listPublications(db, reportId)).map((p) => p.id)).toEqual(['pub-immutable']);
  });

  it('numbers users itself, continuing after the demo’s', async () => {
    const { db } = demo.database;
    const ids = (await db.selectFrom('users').select('id').orderBy('id').execute()).map((user) => user.id);
    const added = await db
      .insertInto('users')
      .values({ username: 'new-clerk', name: '新同事', password_hash: 'x', department_id: 'finance', role: 'editor', created_at: Date.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(added.id).toBeGreaterThan(Math.max(...ids));
  });
});
