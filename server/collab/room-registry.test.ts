import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';
import { ReportStore } from './report-store.js';
import { RoomRegistry } from './room-registry.js';

// Which rooms are loaded, on a real SQLite file.

let demo: DemoDatabase;
let reportId: string;

beforeAll(async () => {
  demo = await openDemoDatabase('room-registry-test');
  reportId = demo.reportIds[0]!;
});

afterAll(() => demo.dispose());

function registry(keepIdleMs: number) {
  const loads: string[] = [];
  const rooms = new RoomRegistry(new ReportStore(demo.database), { compactAfterUpdates: 500, keepIdleMs, onError: (error) => expect.unreachable(String(error)) });
  rooms.hooks.observe({ loaded: ({ reportId }) => loads.push(reportId) });
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
