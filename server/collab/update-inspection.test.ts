import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ReportDocs, demoUpdate } from './report-docs.fixture.js';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import { inspectUpdate, type UpdateInspection, type UpdateRefusalCode } from './update-inspection.js';

const docs = new ReportDocs();
const serverReport = () => docs.server();
const clientOf = (server: Y.Doc) => docs.client(server);

afterEach(() => docs.destroyAll());

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** The first paragraph's text inside the first section of the body. */
function firstText(body: Y.XmlFragment): Y.XmlText {
  const section = body.get(0) as Y.XmlElement;
  const para = section.get(0) as Y.XmlElement;
  return para.get(0) as Y.XmlText;
}

/** What the server lacks of the client's document, as a y-websocket sync step 2 would carry it. */
function diffFor(server: Y.Doc, client: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
}

function expectAccepted(inspection: UpdateInspection, addsContent: boolean) {
  expect(inspection.ok ? { ok: true, addsContent: inspection.addsContent } : inspection).toEqual({ ok: true, addsContent });
}

function expectRefused(inspection: UpdateInspection, code: UpdateRefusalCode) {
  expect(inspection.ok).toBe(false);
  if (inspection.ok) return;
  expect(inspection.refusal.code).toBe(code);
  expect(inspection.refusal.message.length).toBeGreaterThan(0);
}

/** Deterministic "random" bytes, so a failure can be reproduced. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = state >> 16;
  }
  return bytes;
}

describe('inspecting an incoming update', () => {
  it('accepts an ordinary edit to the report body as new content', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(1, [paragraph('新增一段说明')]);

    const update = diffFor(server, client.doc);
    expectAccepted(inspectUpdate(server, update), true);

    Y.applyUpdate(server, update);
    expect(server.getXmlFragment(BODY_FIELD).toString()).toBe(client.body.toString());
  });

  it('accepts typing inside an existing paragraph and deleting text the server has', () => {
    const server = serverReport();
    const client = clientOf(server);
    firstText(client.body).insert(0, '（修订）');
    firstText(client.body).delete(10, 3);

    expect(client.edits).toHaveLength(2);
    for (const edit of client.edits) {
      expectAccepted(inspectUpdate(server, edit), true);
      Y.applyUpdate(server, edit);
    }
    expect(server.getXmlFragment(BODY_FIELD).toString()).toBe(client.body.toString());
  });

  it('accepts the same edit sent twice, but the second time it adds nothing', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(1, [paragraph('重复发送的修改')]);
    const update = diffFor(server, client.doc);

    expectAccepted(inspectUpdate(server, update), true);
    Y.applyUpdate(server, update);
    expectAccepted(inspectUpdate(server, update), false);
  });

  it('accepts a reconnecting browser that has nothing new, as adding nothing', () => {
    const server = serverReport();
    const client = clientOf(server);
    expectAccepted(inspectUpdate(server, diffFor(server, client.doc)), false);
  });

  // A synced browser's sync step 2 carries the document's whole delete set: re-sent deletions
  // must not count as edits, or every reconnect would be logged again and a viewer expelled.
  it('counts a delete the server already has as adding nothing', () => {
    const server = serverReport();
    const editor = clientOf(server);
    firstText(editor.body).delete(0, 4);
    const deletion = editor.edits[0]!;
    Y.applyUpdate(server, deletion);

    expectAccepted(inspectUpdate(server, deletion), false);
    const viewer = clientOf(server);
    expectAccepted(inspectUpdate(server, diffFor(server, viewer.doc)), false);
  });

  it('refuses an edit whose earlier edit from the same browser never arrived', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(1, [paragraph('第一次修改')]);
    const svAfterFirst = Y.encodeStateVector(client.doc);
    client.body.insert(2, [paragraph('第二次修改')]);

    const secondOnly = Y.encodeStateAsUpdate(client.doc, svAfterFirst);
    expectRefused(inspectUpdate(server, secondOnly), 'missing-dependency');
  });

  it('refuses an update with a gap in one browser’s edits', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(1, [paragraph('一')]);
    client.body.insert(2, [paragraph('二')]);
    client.body.insert(3, [paragraph('三')]);
    expect(client.edits).toHaveLength(3);

    const firstAndThird = Y.mergeUpdates([client.edits[0]!, client.edits[2]!]);
    expectRefused(inspectUpdate(server, firstAndThird), 'missing-dependency');
  });

  it('refuses an edit that builds on another person’s edit the server never received', () => {
    const server = serverReport();
    const finance = clientOf(server);
    const food = clientOf(server);
    firstText(finance.body).insert(0, '财政');
    // Food sees finance's text (say, through a peer connection), and types right after it.
    Y.applyUpdate(food.doc, Y.encodeStateAsUpdate(finance.doc));
    const before = Y.encodeStateVector(food.doc);
    firstText(food.body).insert(2, '食品');

    const foodOnly = Y.encodeStateAsUpdate(food.doc, before);
    expectRefused(inspectUpdate(server, foodOnly), 'missing-dependency');
  });

  it('refuses deleting text the server does not have', () => {
    const server = serverReport();
    const client = clientOf(server);
    firstText(client.body).insert(0, '未发送的文字');
    firstText(client.body).delete(0, 3);
    expect(client.edits).toHaveLength(2);

    const deletionOnly = client.edits[1]!;
    expectRefused(inspectUpdate(server, deletionOnly), 'missing-dependency');
  });

  it('refuses an update that creates a root type the report does not have', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.getMap('evil').set('x', 1);

    expectRefused(inspectUpdate(server, diffFor(server, client.doc)), 'unknown-root');
  });

  it('refuses an unknown root even when it comes with an ordinary edit', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.transact(() => {
      client.body.insert(1, [paragraph('正常内容')]);
      client.doc.getText('notes').insert(0, 'hidden');
    });

    expectRefused(inspectUpdate(server, diffFor(server, client.doc)), 'unknown-root');
  });

  it('accepts annex table cells written into the annex root', () => {
    const server = serverReport();
    const client = clientOf(server);
    const table = new Y.Map<number>();
    client.doc.getMap(ANNEX_FIELD).set('table-1', table);
    table.set('row-1:col-1', 42);

    const update = diffFor(server, client.doc);
    expectAccepted(inspectUpdate(server, update), true);
    Y.applyUpdate(server, update);
    expect((server.getMap(ANNEX_FIELD).get('table-1') as Y.Map<number>).get('row-1:col-1')).toBe(42);
  });

  it.each([
    ['a single byte', Uint8Array.of(1)],
    ['bytes whose numbers overflow', new Uint8Array(10).fill(0xff)],
    ['0xdeadbeef', Uint8Array.of(0xde, 0xad, 0xbe, 0xef)],
    ['a run of pseudo-random bytes', pseudoRandomBytes(64, 7)],
  ])('refuses %s as malformed', (_what, bytes) => {
    const server = serverReport();
    expectRefused(inspectUpdate(server, bytes), 'malformed');
  });

  it('refuses every truncation of an ordinary edit as malformed', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(1, [paragraph('会被截断的修改')]);
    const update = diffFor(server, client.doc);

    for (let length = 0; length < update.length; length++) {
      expectRefused(inspectUpdate(server, update.subarray(0, length)), 'malformed');
    }
  });

  it('refuses the seeded report cut in half as malformed', () => {
    const empty = docs.empty();
    expectRefused(inspectUpdate(empty, demoUpdate.subarray(0, Math.floor(demoUpdate.length / 2))), 'malformed');
  });

  it('accepts the whole seeded report into a fresh report document', () => {
    const empty = docs.empty();
    expectAccepted(inspectUpdate(empty, demoUpdate), true);
  });

  it('never changes the document it inspects', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(1, [paragraph('只检查不应用')]);
    client.doc.getMap('evil').set('x', 1);
    const stateBefore = Y.encodeStateAsUpdate(server);

    inspectUpdate(server, diffFor(server, client.doc));
    inspectUpdate(server, client.edits[0]!);
    inspectUpdate(server, pseudoRandomBytes(32, 3));

    expect(Y.encodeStateAsUpdate(server)).toEqual(stateBefore);
    expect(server.store.pendingStructs).toBeNull();
  });
});
