import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cellKey } from '../../blocks/annex/definition.js';
import { ANNEX_FIELD } from '../../blocks/contract.js';
import type { createApp } from '../app.js';
import { ReportStore } from '../collab/report-store.js';
import { RoomRegistry } from '../collab/room-registry.js';
import { createDemoApp, openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';

// Reading a report nobody has open must not rebuild it on the event loop every open report
// shares: the API's reads of it are answered from a digest made on a worker thread, the same
// as they would be from the open report.

let demo: DemoDatabase;
let rooms: RoomRegistry;
let built: ReturnType<typeof createApp>;
let leadCookie: string;
let thisYear: string;
let lastYear: string;
const loads: string[] = [];

beforeAll(async () => {
  demo = await openDemoDatabase('report-digests-test');
  const store = new ReportStore(demo.database);
  const onError = (error: unknown) => {
    throw error;
  };
  // Rooms are freed as soon as nobody holds them: every read below finds the report closed.
  rooms = new RoomRegistry(store, { compactAfterUpdates: 500, keepIdleMs: 0, onError });
  rooms.hooks.observe({ loaded: ({ reportId }) => loads.push(reportId) });
  built = createDemoApp(demo, { store, rooms, onError });
  const login = await built.app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lead', password: 'demo' }) });
  leadCookie = login.headers.get('set-cookie')!.split(';')[0]!;
  [thisYear, lastYear] = demo.reportIds as [string, string];
});

afterAll(async () => {
  await built?.close();
  await rooms?.closeAll();
  await demo?.dispose();
});

const get = async (url: string) => {
  const response = await built.app.request(url, { headers: { cookie: leadCookie } });
  expect(response.status, url).toBe(200);
  return (await response.json()) as unknown;
};

describe('reads of a report nobody has open', () => {
  it('findings, tables, the pre-flight and section history are answered without loading the report into a room, and say what the open report says', async () => {
    const reads = async () => ({
      findings: await get(`/api/reports/${thisYear}/findings`),
      annex: await get(`/api/reports/${thisYear}/annex`),
      preflight: await get(`/api/reports/${thisYear}/publications/preflight`),
      version: await get(`/api/reports/${thisYear}/sections/overview-finance/versions/1`),
      compare: await get(`/api/reports/${thisYear}/sections/overview-finance/compare?from=1`),
    });
    const closed = await reads();
    // Neither this year's report nor last year's (read for the cross-year rules) was loaded.
    expect(loads).toEqual([]);

    const open = await rooms.withRoom(thisYear, reads);
    expect(loads).toEqual([thisYear]);
    expect(open).toEqual(closed);
    // The demo report is mid-year: sections still in draft, and the pre-flight says so from either side.
    expect((closed.preflight as { unapproved: unknown[] }).unapproved.length).toBeGreaterThan(0);
  });

  it('a change logged since the last read is in the next one', async () => {
    const before = (await get(`/api/reports/${lastYear}/annex`)) as { tables: Record<string, Record<string, Record<string, number | null>>> };
    const value = (before.tables.B!.new!.natural ?? 0) + 7;
    await rooms.withRoom(lastYear, (room) =>
      room.applyAuthorityChange({
        userId: null,
        sectionIds: [],
        changesText: false,
        apply: (doc) => doc.getMap<Y.Map<number | null>>(ANNEX_FIELD).get('B')!.set(cellKey('new', 'natural'), value),
      }),
    );
    const after = (await get(`/api/reports/${lastYear}/annex`)) as typeof before;
    expect(after.tables.B!.new!.natural).toBe(value);
  });
});
