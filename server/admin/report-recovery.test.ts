import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_FIELD } from '../../blocks/contract.js';
import { ReportStore } from '../collab/report-store.js';
import { openDatabase, type OpenedDatabase } from '../db/database.js';
import { seedDemoIfEmpty } from '../demo/seed-demo.js';
import { checkReport, RecoveryRefusedError, restoreSnapshot, skipUnreadable } from './report-recovery.js';

// The operator's recovery on a real SQLite file: check names what cannot be read, skip and
// restore-snapshot leave rows out of every replay, and the log keeps every row.

let dataDir: string;
let database: OpenedDatabase;
let store: ReportStore;
let reportIds: string[];
const garbage = new TextEncoder().encode('not a yjs update');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-recovery-test-'));
  database = await openDatabase(path.join(dataDir, 'reports.sqlite'));
  await seedDemoIfEmpty(database.db);
  store = new ReportStore(database);
  reportIds = (await database.db.selectFrom('reports').select('id').orderBy('year', 'desc').execute()).map((row) => row.id);
});

afterAll(async () => {
  await database?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Two writers on a copy of the report, each edit logged as the server would log it. */
async function writersOn(reportId: string) {
  const loaded = await store.load(reportId);
  let seq = loaded.lastSeq;
  const writer = (clientID: number) => {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(loaded.doc));
    return doc;
  };
  /** Makes a change, logs it (or `stored` in its place) and returns its seq; the other writer sees it. */
  const log = async (doc: Y.Doc, change: (annex: Y.Map<unknown>) => void, peers: Y.Doc[], stored?: Uint8Array) => {
    const before = Y.encodeStateVector(doc);
    change(doc.getMap(ANNEX_FIELD));
    const update = Y.encodeStateAsUpdate(doc, before);
    for (const peer of peers) Y.applyUpdate(peer, update);
    seq++;
    await database.db.insertInto('update_log').values({ report_id: reportId, seq, data: stored ?? update, user_id: null, created_at: Date.now(), sections: null }).execute();
    return seq;
  };
  return { writer, log, loaded };
}

const annexOf = async (reportId: string) => (await store.load(reportId)).doc.getMap(ANNEX_FIELD).toJSON() as Record<string, unknown>;

describe('report-admin', () => {
  it('check says a healthy report reads, and from what', async () => {
    const check = await checkReport(database.db, reportIds[0]!);
    expect(check).toMatchObject({ reportId: reportIds[0], snapshotSeq: null, updates: 1, lastSeq: 1, skippedRows: 0, problem: null });
  });

  it('skip leaves out an unreadable update with the later updates that build on it, and keeps the rest', async () => {
    const reportId = reportIds[0]!;
    const { writer, log } = await writersOn(reportId);
    const typist = writer(1001);
    const colleague = writer(2002);
    const torn = await log(typist, (annex) => annex.set('typist', new Y.Map()), [colleague], garbage);
    const next = await log(typist, (annex) => (annex.get('typist') as Y.Map<number>).set('cell', 1), [colleague]);
    const elsewhere = await log(colleague, (annex) => annex.set('colleague', 7), [typist]);
    const later = await log(typist, (annex) => (annex.get('typist') as Y.Map<number>).set('cell', 2), [colleague]);

    const check = await checkReport(database.db, reportId);
    expect(check.problem).toMatchObject({ part: { kind: 'update', seq: torn }, skip: { part: { kind: 'update', seq: torn }, dependents: [next, later] } });
    expect(check.problem!.cause).not.toBe('');

    await expect(skipUnreadable(database.db, reportId, elsewhere, Date.now())).rejects.toThrow(`is update ${torn}, not ${elsewhere}`);
    const { after } = await skipUnreadable(database.db, reportId, torn, Date.now());
    expect(after.problem).toBeNull();
    expect(after.skippedRows).toBe(3);
    expect(await annexOf(reportId)).toMatchObject({ colleague: 7 });
    expect(await annexOf(reportId)).not.toHaveProperty('typist');

    const skipped = await database.db.selectFrom('skipped_rows').select(['seq', 'reason']).where('report_id', '=', reportId).orderBy('seq').execute();
    expect(skipped.map((row) => row.seq)).toEqual([torn, next, later]);
    expect(skipped[1]!.reason).toBe(`builds on skipped update ${torn}`);
    const logged = await database.db.selectFrom('update_log').select('seq').where('report_id', '=', reportId).where('seq', '>=', torn).execute();
    expect(logged).toHaveLength(4);
  });

  it('restore-snapshot goes back to the last snapshot that reads and leaves out every update after it', async () => {
    const reportId = reportIds[1]!;
    const { writer, log, loaded } = await writersOn(reportId);
    await store.snapshot(reportId, loaded.lastSeq, loaded.doc);
    const annexAtSnapshot = await annexOf(reportId);
    const editor = writer(3003);
    const fine = await log(editor, (annex) => annex.set('before', 1), []);
    const torn = await log(editor, (annex) => annex.set('torn', 2), [], garbage);
    const after = await log(editor, (annex) => annex.set('after', 3), []);

    await expect(restoreSnapshot(database.db, reportIds[0]!, Date.now())).rejects.toBeInstanceOf(RecoveryRefusedError);
    expect((await checkReport(database.db, reportId)).problem).toMatchObject({ part: { seq: torn }, restore: { snapshotSeq: loaded.lastSeq, updates: [fine, torn, after] } });
    const restored = await restoreSnapshot(database.db, reportId, Date.now());
    expect(restored.restored.updates).toEqual([fine, torn, after]);
    expect(restored.after.problem).toBeNull();
    expect(await annexOf(reportId)).toEqual(annexAtSnapshot);
    expect((await store.load(reportId)).lastSeq).toBe(after);
  });

  it('an unreadable snapshot is skipped on its own, and the report is rebuilt from the log with nothing lost', async () => {
    const reportId = reportIds[1]!;
    const { writer, log } = await writersOn(reportId);
    const kept = await log(writer(4004), (annex) => annex.set('kept', 4), []);
    const annexBefore = await annexOf(reportId);
    await database.db.insertInto('snapshots').values({ report_id: reportId, seq: kept, data: garbage, created_at: Date.now() }).execute();

    const check = await checkReport(database.db, reportId);
    expect(check.problem).toMatchObject({ part: { kind: 'snapshot', seq: kept }, restore: null });
    await expect(restoreSnapshot(database.db, reportId, Date.now())).rejects.toThrow(`snapshot ${kept} itself cannot be read: skip it instead`);
    const { after } = await skipUnreadable(database.db, reportId, kept, Date.now());
    expect(after.problem).toBeNull();
    expect(after.snapshotSeq).toBeLessThan(kept);
    expect(await annexOf(reportId)).toEqual(annexBefore);
  });
});
