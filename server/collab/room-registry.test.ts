import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../db/database.js';
import { seedDemoIfEmpty } from '../demo/seed-demo.js';
import { ReportStore } from './report-store.js';
import { RoomRegistry } from './room-registry.js';

// Which rooms are loaded, on a real SQLite file.

let database: OpenedDatabase;
let dataDir: string;
let reportId: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'room-registry-test-'));
  database = await openDatabase(path.join(dataDir, 'reports.sqlite'));
  await seedDemoIfEmpty(database.db);
  reportId = (await database.db.selectFrom('reports').select('id').orderBy('year', 'desc').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function registry(keepIdleMs: number) {
  const loads: string[] = [];
  const rooms = new RoomRegistry(new ReportStore(database.db), { compactAfterUpdates: 500, keepIdleMs, onError: (error) => expect.unreachable(String(error)), onLoaded: (id) => loads.push(id) });
  return { rooms, loads };
}

describe('a report nobody has open', () => {
  it('stays loaded for a while after it was read: reading it again replays nothing', async () => {
    const { rooms, loads } = registry(60_000);
    const first = await rooms.read(reportId, (room) => room.seq);
    const again = await rooms.read(reportId, (room) => room.seq);
    expect(again).toBe(first);
    expect(loads).toEqual([reportId]);
    await rooms.closeAll();
  });

  it('is freed at once without a grace period, and loaded again when read', async () => {
    const { rooms, loads } = registry(0);
    await rooms.read(reportId, () => undefined);
    // The last holder's release detaches the room at once (its compaction goes on in the background).
    await rooms.read(reportId, () => undefined);
    expect(loads.length).toBe(2);
    await rooms.closeAll();
  });
});
