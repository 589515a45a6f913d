import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { skipUnreadable } from '../admin/report-recovery.js';
import type { createApp } from '../app.js';
import type { OpenedDatabase } from '../db/database.js';
import { createDemoApp, openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';
import { ReportStore, ReportUnreadableError, UNREADABLE_QUARANTINE_MS } from './report-store.js';
import { RoomRegistry } from './room-registry.js';

// One unreadable row in a real SQLite file: that report is quarantined with a message its users
// can act on, every other report goes on, and the operator's skip brings it back — all spoken to
// in-process, as server/main.ts builds the app.

let demo: DemoDatabase;
let database: OpenedDatabase;
let store: ReportStore;
let rooms: RoomRegistry;
let app: ReturnType<typeof createApp>['app'];
let clockOffset = 0;
let leadCookie: string;
/** Last year's report gets the bad row; this year's report must not notice. */
let damaged: string;
let healthy: string;
let badSeq: number;
/** The damaged report's body as it was before the bad row was written. */
let bodyBefore: string;
const loads: string[] = [];
const serverErrors: Array<{ error: unknown; context: string }> = [];

beforeAll(async () => {
  demo = await openDemoDatabase('report-quarantine-test');
  database = demo.database;
  store = new ReportStore(database, () => Date.now() + clockOffset);
  const onError = (error: unknown, context: string) => serverErrors.push({ error, context });
  rooms = new RoomRegistry(store, { compactAfterUpdates: 500, onError });
  rooms.hooks.observe({ loaded: ({ reportId }) => loads.push(reportId) });
  ({ app } = createDemoApp(demo, { store, rooms, onError }));
  const login = await app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lead', password: 'demo' }) });
  leadCookie = login.headers.get('set-cookie')!.split(';')[0]!;
  [healthy, damaged] = demo.reportIds as [string, string];

  const loaded = await store.load(damaged);
  bodyBefore = loaded.doc.getXmlFragment(BODY_FIELD).toString();
  badSeq = loaded.lastSeq + 1;
  // What a torn write or a bad disk block leaves: bytes that are no Yjs update.
  await database.db
    .insertInto('update_log')
    .values({ report_id: damaged, seq: badSeq, data: new TextEncoder().encode('not a yjs update'), user_id: null, created_at: Date.now(), sections: null })
    .execute();
});

afterAll(async () => {
  await rooms?.closeAll();
  await demo?.dispose();
});

const get = (url: string) => app.request(url, { headers: { cookie: leadCookie } });
const post = (url: string, body: unknown) => app.request(url, { method: 'POST', headers: { cookie: leadCookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function loadFailure(reportId: string): Promise<unknown> {
  return store.load(reportId).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('a report with an unreadable row', () => {
  it('fails to open with a typed error naming the row, and a message for its users', async () => {
    const error = await loadFailure(damaged);
    expect(error).toBeInstanceOf(ReportUnreadableError);
    expect(error).toMatchObject({ code: 'report-unreadable', reportId: damaged, part: { kind: 'update', seq: badSeq } });
    expect((error as Error).message).toBe(`报告数据损坏，已暂停编辑，请联系管理员（report data unreadable: update ${badSeq}）`);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('answers API reads of it, and of its history, with 503 report-unreadable', async () => {
    const sections = await get(`/api/reports/${damaged}/sections`);
    expect(sections.status).toBe(503);
    expect(await sections.json()).toEqual({ error: { code: 'report-unreadable', message: expect.stringMatching(/^报告数据损坏，已暂停编辑，请联系管理员/), params: { part: expect.stringMatching(/^update \d+$/) } } });

    const sectionId = (await database.db.selectFrom('sections').select('section_id').where('report_id', '=', damaged).executeTakeFirstOrThrow()).section_id;
    const version = await get(`/api/reports/${damaged}/sections/${sectionId}/versions/${badSeq}`);
    expect(version.status).toBe(503);
    expect(((await version.json()) as { error: { code: string } }).error.code).toBe('report-unreadable');
  });

  it('is answered from memory while quarantined, not read again for every caller', async () => {
    const first = await loadFailure(damaged);
    expect(await loadFailure(damaged)).toBe(first);

    clockOffset += UNREADABLE_QUARANTINE_MS;
    const afterQuarantine = await loadFailure(damaged);
    expect(afterQuarantine).toBeInstanceOf(ReportUnreadableError);
    expect(afterQuarantine).not.toBe(first);
  });

  it('tells the operator once per failure, however many callers meet it', async () => {
    const quarantines = () => serverErrors.filter(({ context }) => context.startsWith(`report ${damaged} is quarantined`));
    const before = quarantines().length;
    for (let i = 0; i < 3; i++) expect((await get(`/api/reports/${damaged}/sections`)).status).toBe(503);
    const told = quarantines();
    expect(told.length - before).toBeLessThanOrEqual(1);
    expect(new Set(told.map(({ error }) => error)).size).toBe(told.length);
    expect(told.at(-1)!.context).toContain(`update ${badSeq} cannot be read (npm run report-admin -- check ${damaged})`);
  });

  it('leaves every other report loading and taking edits', async () => {
    const outline = await get(`/api/reports/${healthy}/sections`);
    expect(outline.status).toBe(200);
    const [first] = (await outline.json()) as Array<{ id: string }>;
    const retitled = await post(`/api/reports/${healthy}/sections/${first!.id}/retitle`, { title: '仍可修改的标题' });
    expect(retitled.status).toBe(200);
    const reloaded = await store.load(healthy);
    expect(reloaded.doc.getXmlFragment(BODY_FIELD).toString()).toContain('仍可修改的标题');
  });

  it('opens again as soon as the operator skips the row, with everything else intact and the row kept in the log', async () => {
    await skipUnreadable(database.db, damaged, badSeq, Date.now());

    // No waiting for the quarantine to end: the recorded skip ends it.
    const outline = await get(`/api/reports/${damaged}/sections`);
    expect(outline.status).toBe(200);
    const reopened = await store.load(damaged);
    expect(reopened.doc.getXmlFragment(BODY_FIELD).toString()).toBe(bodyBefore);
    expect(reopened.lastSeq).toBe(badSeq);
    const kept = await database.db.selectFrom('update_log').select('seq').where('report_id', '=', damaged).where('seq', '=', badSeq).execute();
    expect(kept).toHaveLength(1);

    // Its history reads again, and it takes edits, logged after the skipped row.
    const [first] = (await outline.json()) as Array<{ id: string }>;
    expect((await get(`/api/reports/${damaged}/sections/${first!.id}/history`)).status).toBe(200);
    expect((await get(`/api/reports/${damaged}/sections/${first!.id}/versions/${badSeq}`)).status).toBe(200);
    expect((await post(`/api/reports/${damaged}/sections/${first!.id}/retitle`, { title: '恢复后的标题' })).status).toBe(200);
    const after = await store.load(damaged);
    expect(after.doc.getXmlFragment(BODY_FIELD).toString()).toContain('恢复后的标题');
    expect(after.lastSeq).toBeGreaterThan(badSeq);
  });

  it('counts an update that only builds on what the log does not hold as unreadable too', async () => {
    // An update whose parent the report never had: Yjs would keep it pending, silently.
    const stranger = new Y.Doc();
    const parentless = stranger.getXmlFragment(BODY_FIELD);
    parentless.insert(0, [new Y.XmlElement('paragraph')]);
    const before = Y.encodeStateVector(stranger);
    (parentless.get(0) as Y.XmlElement).insert(0, [new Y.XmlText('孤立的文字')]);
    const orphan = Y.encodeStateAsUpdate(stranger, before);
    const { lastSeq } = await store.load(damaged);
    await database.db.insertInto('update_log').values({ report_id: damaged, seq: lastSeq + 1, data: orphan, user_id: null, created_at: Date.now(), sections: null }).execute();

    const error = await loadFailure(damaged);
    expect(error).toMatchObject({ part: { kind: 'update', seq: lastSeq + 1 } });
    expect(((error as Error).cause as Error).message).toMatch(/pending/);
    await skipUnreadable(database.db, damaged, lastSeq + 1, Date.now());
    expect((await store.load(damaged)).doc.getXmlFragment(BODY_FIELD).toString()).toContain('恢复后的标题');
  });
});
