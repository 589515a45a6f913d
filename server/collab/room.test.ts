import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FIELD, CloseCode, limits } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';
import type { Peer } from './peer.js';
import { ReportStore } from './report-store.js';
import { Room } from './room.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncUpdate } from './wire.js';

// A room on a real SQLite file, spoken to through in-memory sockets: what it does when a change
// fails halfway through being applied.

let demo: DemoDatabase;
let reportId: string;
const userIds = new Map<string, number>();

beforeAll(async () => {
  demo = await openDemoDatabase('room-test');
  reportId = demo.reportIds[0]!;
  for (const user of await demo.database.db.selectFrom('users').select(['id', 'username']).execute()) userIds.set(user.username, user.id);
});

afterAll(() => demo.dispose());

interface TestPeer extends Peer {
  frames: Uint8Array[];
  closed: { code: number; reason: string } | null;
}

/** An in-memory socket of `username`, recording what the room sends it. */
function socketOf(username: string, role: 'lead' | 'editor', departmentId: string): TestPeer {
  const peer: TestPeer = {
    userId: userIds.get(username)!,
    sessionId: `session-of-${username}`,
    editor: { role, departmentId },
    identity: { username, name: username, department: departmentId, departmentName: departmentId, color: '#000' },
    frames: [],
    closed: null,
    send(frame) {
      peer.frames.push(frame);
    },
    close(code, reason) {
      peer.closed ??= { code, reason };
    },
  };
  return peer;
}

const textOf = (doc: Y.Doc, sectionId: string) => findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId)!.toString();

describe('a change that fails halfway through being applied', () => {
  it('rolls the room back to its log: nothing unlogged reaches anyone, and the report reloads without it', async () => {
    const store = new ReportStore(demo.database);
    let broken = false;
    const errors: string[] = [];
    const room = new Room(reportId, store, {
      compactAfterUpdates: 500,
      onError: (error) => errors.push(String(error)),
      onBroken: () => (broken = true),
    });
    await room.ready;
    const finance = socketOf('finance', 'editor', 'finance');
    const lead = socketOf('lead', 'lead', 'lead');
    room.join(finance);
    room.join(lead);
    await room.enqueue(() => undefined);
    const { lastSeq } = await store.load(reportId);

    // A check observing the document after apply fails (as the recursive checks once did, out of stack).
    let armed = true;
    room.document.getXmlFragment(BODY_FIELD).observeDeep(() => {
      if (!armed) return;
      armed = false;
      throw new RangeError('Maximum call stack size exceeded');
    });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(room.document));
    const before = Y.encodeStateVector(replica);
    const section = findSectionElement(replica.getXmlFragment(BODY_FIELD), 'overview-finance')!;
    ((section.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '未入日志的修改');
    const sentToLead = lead.frames.length;
    room.receive(finance, encodeSyncUpdate(Y.encodeStateAsUpdate(replica, before)));
    await room.enqueue(() => undefined);

    expect(broken).toBe(true);
    expect(errors.join('\n')).toContain('Maximum call stack size exceeded');
    expect(finance.closed?.code).toBe(CloseCode.ServerError);
    expect(lead.closed?.code).toBe(CloseCode.ServerError);
    expect(lead.frames.length).toBe(sentToLead);
    const reloaded = await store.load(reportId);
    expect(reloaded.lastSeq).toBe(lastSeq);
    expect(textOf(reloaded.doc, 'overview-finance')).not.toContain('未入日志的修改');

    // The broken room takes nothing more: a late frame is refused, not applied.
    const late = socketOf('food', 'editor', 'food');
    room.join(late);
    room.receive(late, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await room.enqueue(() => undefined);
    expect(late.closed?.code).toBe(CloseCode.ServerError);
    await room.close();
  });
});

describe('the logged path', () => {
  it('a keystroke received is logged and applied without a word of complaint, and joins answered from the report as it now is; a change made to the document anywhere else is reported', async () => {
    const store = new ReportStore(demo.database);
    const errors: string[] = [];
    const room = new Room(reportId, store, { compactAfterUpdates: 500, onError: (error) => errors.push(String(error)) });
    await room.ready;
    const finance = socketOf('finance', 'editor', 'finance');
    room.join(finance);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(room.document));
    const before = Y.encodeStateVector(replica);
    const paragraph = (doc: Y.Doc) => (findSectionElement(doc.getXmlFragment(BODY_FIELD), 'overview-finance')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    paragraph(replica).insert(0, '已记录');
    room.receive(finance, encodeSyncUpdate(Y.encodeStateAsUpdate(replica, before)));
    await room.enqueue(() => undefined);
    expect(textOf(room.document, 'overview-finance')).toContain('已记录');
    expect((await store.load(reportId)).lastSeq).toBe(room.seq);
    expect(errors).toEqual([]);

    // Clients that come in together with the same state get the same answer, encoded once.
    const joining = ['food', 'env'].map((name) => socketOf(name, 'editor', name));
    for (const peer of joining) {
      room.join(peer);
      room.receive(peer, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    }
    await room.enqueue(() => undefined);
    const answers = joining.map((peer) => peer.frames.at(-1)!);
    expect(answers[0]).toBe(answers[1]);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, readSyncStep2(answers[0]!));
    expect(textOf(fresh, 'overview-finance')).toBe(textOf(room.document, 'overview-finance'));

    paragraph(room.document).insert(0, '未记录');
    expect(errors).toEqual([expect.stringContaining('document changed outside the logged path')]);
    // Freed without compacting: the unlogged change goes nowhere.
    room.abandon();
  });
});

describe('presence', () => {
  it('beyond the report’s presence budget a state is not shown, and its sender stays connected', async () => {
    const room = new Room(reportId, new ReportStore(demo.database), { compactAfterUpdates: 500, onError: () => undefined });
    await room.ready;
    const padding = 'x'.repeat(limits.maxPresenceStateBytes - 200);
    const fits = Math.floor(limits.maxPresenceBytesPerReport / (padding.length + 40));
    const peers = Array.from({ length: fits + 10 }, (_, i) => socketOf('food', 'editor', `food-${i}`));
    peers.forEach((peer, i) => {
      room.join(peer);
      room.receive(peer, encodeAwareness(presenceUpdate(1000 + i, { padding })));
    });
    await room.enqueue(() => undefined);

    const shown = [...room.awareness.getStates().keys()];
    expect(shown.length).toBeGreaterThanOrEqual(fits - 1);
    expect(shown.length).toBeLessThan(peers.length);
    expect(shown.reduce((sum, id) => sum + JSON.stringify(room.awareness.getStates().get(id)).length, 0)).toBeLessThan(limits.maxPresenceBytesPerReport + 16 * 1024);
    expect(peers.every((peer) => peer.closed === null)).toBe(true);

    // When someone leaves, room is made for a state that did not fit.
    room.leave(peers[0]!);
    const latecomer = peers[peers.length - 1]!;
    room.receive(latecomer, encodeAwareness(presenceUpdate(1000 + peers.length - 1, { padding, cursor: 1 }, 2)));
    await room.enqueue(() => undefined);
    expect(room.awareness.getStates().has(1000 + peers.length - 1)).toBe(true);
    await room.close();
  });
});

/** The update a SyncStep2 message carries. */
function readSyncStep2(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([0, 1]);
  return decoding.readVarUint8Array(decoder);
}

/** An awareness update announcing `state` for `clientID` at `clock`, as a client sends it. */
function presenceUpdate(clientID: number, state: Record<string, unknown>, clock = 1): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}
