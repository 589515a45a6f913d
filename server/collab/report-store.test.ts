import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { OpenedDatabase } from '../db/database.js';
import { SNAPSHOT_RETENTION_SPAN } from '../db/update-log.js';
import { openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';
import { ReportStore } from './report-store.js';

// The update log and its snapshots on a real SQLite file.

let demo: DemoDatabase;
let database: OpenedDatabase;
let reportId: string;

beforeAll(async () => {
  demo = await openDemoDatabase('report-store-test');
  database = demo.database;
  reportId = demo.reportIds[0]!;
});

afterAll(() => demo.dispose());

describe('the report store', () => {
  it('keeps the latest snapshot and the earliest of each span, and still reads every earlier version exactly', async () => {
    const store = new ReportStore(database);
    const { doc: server, lastSeq } = await store.load(reportId);
    const existing = await database.db.selectFrom('snapshots').select('seq').where('report_id', '=', reportId).execute();
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
    const log = writer.getText('bench-notes');
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));

    // 12,000 keystrokes, a snapshot every 500 as a room compacts; remember the text at some versions.
    const textAt = new Map<number, string>();
    let seq = lastSeq;
    for (let i = 0; i < 12_000; i++) {
      log.insert(log.length, String(i % 10));
      Y.applyUpdate(server, updates[updates.length - 1]!);
      await store.append(reportId, ++seq, updates[updates.length - 1]!, null);
      if ((seq - lastSeq) % 500 === 0) await store.snapshot(reportId, seq, server);
      if ([1, 4_321, 5_000, 7_300, 11_999].includes(seq - lastSeq)) textAt.set(seq, log.toString());
    }

    const kept = (await database.db.selectFrom('snapshots').select('seq').where('report_id', '=', reportId).orderBy('seq').execute()).map((row) => row.seq - lastSeq);
    const spans = new Set(kept.filter((at) => at > 0).map((at) => Math.floor((at + lastSeq) / SNAPSHOT_RETENTION_SPAN)));
    expect(kept.filter((at) => at > 0)).toHaveLength(spans.size + 1);
    expect(kept.at(-1)).toBe(12_000);
    expect(kept.length).toBeLessThan(existing.length + 6);

    for (const [at, text] of textAt) expect((await store.loadAt(reportId, at)).getText('bench-notes').toString()).toBe(text);
    const reloaded = await store.load(reportId);
    expect(reloaded.doc.getText('bench-notes').toString()).toBe(log.toString());
    expect(reloaded.updatesSinceSnapshot).toBe(0);
  });
});
