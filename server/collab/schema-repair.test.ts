import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ReportDocs, indexOfSection, sectionOf } from './report-docs.fixture.js';
import { BODY_FIELD } from '../../blocks/contract.js';
import { reportSchema } from '../../blocks/extensions.js';
import { findBodyViolations, findSchemaViolations } from './schema-repair.js';
import { resolveUpdateScope } from './update-scope.js';

const docs = new ReportDocs();
const serverReport = () => docs.server();
const clientOf = (server: Y.Doc) => docs.client(server);

afterEach(() => docs.destroyAll());

type Client = ReturnType<typeof clientOf>;

/** Everything the client did since it synced, as its next sync message would carry it. */
function editsOf(client: Client): Uint8Array {
  expect(client.edits.length).toBeGreaterThan(0);
  return Y.mergeUpdates(client.edits);
}

const idText = (id: Y.ID) => `${id.client}:${id.clock}`;
const itemId = (type: { _item: Y.Item | null }) => idText(type._item!.id);

/**
 * What the room does with an accepted update: resolve its scope, apply it, then look for what no
 * client could show — in the types whose children changed and, when sections come or go, in the body.
 */
function applyAndFindViolations(server: Y.Doc, update: Uint8Array) {
  const decoded = Y.decodeUpdate(update);
  const scope = resolveUpdateScope(server, decoded);
  expect(scope.invalid).toEqual([]);
  const clocksBefore = new Map(decoded.structs.map((s) => [s.id.client, Y.getState(server.store, s.id.client)]));
  const isNew = (item: Y.Item) => item.id.clock >= (clocksBefore.get(item.id.client) ?? Infinity);
  Y.applyUpdate(server, update);
  const body = server.getXmlFragment(BODY_FIELD);
  const violations = [
    ...(scope.changedParents.length > 0 ? findSchemaViolations(reportSchema, body, scope.changedParents, isNew) : []),
    ...(scope.bodyChanged ? findBodyViolations(reportSchema, body, isNew) : []),
  ];
  // Both checks may name the same new section; the room deletes each item once.
  const unique = violations.filter((violation, i) => violations.findIndex((other) => other.item === violation.item) === i);
  return unique.map(({ item, reason }) => ({ item: idText(item.id), reason }));
}

/** Why the guard refuses an update before applying it (empty: it may be applied). */
function refusalsOf(server: Y.Doc, update: Uint8Array): string[] {
  return resolveUpdateScope(server, Y.decodeUpdate(update)).invalid;
}

function textOf(body: Y.XmlFragment, sectionId: string, block: number): Y.XmlText {
  return (sectionOf(body, sectionId).get(block) as Y.XmlElement).get(0) as Y.XmlText;
}

function element(name: string, attributes: Record<string, unknown>, children: Array<Y.XmlElement | Y.XmlText> = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string);
  if (children.length > 0) node.insert(0, children);
  return node;
}

const paragraph = (text: string) => element('paragraph', {}, [new Y.XmlText(text)]);
const section = (sectionId: string, title: string, level: number, children: Y.XmlElement[]) => element('section', { sectionId, title, level }, children);

/** A server whose section "proactive" holds a one-row table (added by the lead office) after its paragraph. */
function serverWithTable(): Y.Doc {
  const server = serverReport();
  const lead = clientOf(server);
  const table = element('table', {}, [
    element('tableRow', {}, [element('tableHeader', {}, [paragraph('项目')]), element('tableCell', {}, [paragraph('数量')])]),
  ]);
  sectionOf(lead.body, 'proactive').insert(1, [table]);
  expect(applyAndFindViolations(server, editsOf(lead))).toEqual([]);
  return server;
}

const tableRowOf = (body: Y.XmlFragment) => (sectionOf(body, 'proactive').get(1) as Y.XmlElement).get(0) as Y.XmlElement;

describe('finding what no client could show after an update', () => {
  it('names a paragraph put directly into a table row, and leaves the row and its cells alone', () => {
    const server = serverWithTable();
    const client = clientOf(server);
    const row = tableRowOf(client.body);
    const stray = paragraph('不在单元格里的段落');
    row.insert(1, [stray]);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([
      { item: itemId(stray), reason: `<tableRow> ${itemId(row)} cannot hold <paragraph> there` },
    ]);
  });

  it('names text put directly into a section, and leaves the section alone', () => {
    const server = serverReport();
    const client = clientOf(server);
    const food = sectionOf(client.body, 'overview-food');
    const stray = new Y.XmlText('不在段落里的文字');
    food.insert(1, [stray]);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([
      { item: itemId(stray), reason: `<section> ${itemId(food)} cannot hold <text> there` },
    ]);
  });

  it('names a section whose every block was deleted, as incomplete', () => {
    const server = serverReport();
    const client = clientOf(server);
    const env = sectionOf(client.body, 'overview-env');
    env.delete(0, env.length);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([{ item: itemId(env), reason: `<section> ${itemId(env)} is incomplete for its schema` }]);
  });

  // Attributes are judged by the schema's own rules before an update is applied: a value no
  // client could show is refused whole, never applied and repaired.
  it('refuses a new annex table node whose table id fails validation before applying it', () => {
    const server = serverReport();
    const client = clientOf(server);
    sectionOf(client.body, 'proactive').insert(1, [element('annexTable', { tableId: 'no spaces allowed' })]);

    expect(refusalsOf(server, editsOf(client))).toEqual([expect.stringContaining('annexTable: tableId must match')]);
  });

  it('refuses changing an existing annex table node’s id to one that fails validation', () => {
    const server = serverReport();
    const lead = clientOf(server);
    sectionOf(lead.body, 'proactive').insert(1, [element('annexTable', { tableId: 'B' })]);
    expect(applyAndFindViolations(server, editsOf(lead))).toEqual([]);

    const client = clientOf(server);
    (sectionOf(client.body, 'proactive').get(1) as Y.XmlElement).setAttribute('tableId', '');

    expect(refusalsOf(server, editsOf(client))).toEqual([expect.stringContaining('annexTable: tableId must match')]);
  });

  it('refuses a new section whose level is not 1 or 2', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.insert(5, [section('overview-health', '（五）卫生健康信息公开', 9, [paragraph('内容')])]);

    expect(refusalsOf(server, editsOf(client))).toEqual([expect.stringContaining('section: level must be 1 or 2, got 9')]);
  });

  it('refuses changing a section’s title to more than 200 characters', () => {
    const server = serverReport();
    const client = clientOf(server);
    sectionOf(client.body, 'other').setAttribute('title', '长'.repeat(201));

    expect(refusalsOf(server, editsOf(client))).toEqual([expect.stringContaining('section: title must be a string of at most 200 characters')]);
  });

  it('refuses a heading of level 9: only the levels the editor offers (3 and 4) are valid', () => {
    const server = serverReport();
    const client = clientOf(server);
    sectionOf(client.body, 'problems').insert(4, [element('heading', { level: 9 }, [new Y.XmlText('（三）其他')])]);

    expect(() => reportSchema.nodes.heading!.create({ level: 9 })).toThrow(/heading: level/);
    expect(refusalsOf(server, editsOf(client))).toEqual([expect.stringContaining('heading: level must be one of 3, 4, got 9')]);
  });

  it('names an element the schema does not know', () => {
    const server = serverReport();
    const client = clientOf(server);
    const food = sectionOf(client.body, 'overview-food');
    const unknown = element('marquee', {}, [new Y.XmlText('滚动')]);
    food.insert(0, [unknown]);
    const update = editsOf(client);

    // The guard refuses it before applying; were it applied, the repair would name it too.
    const scope = resolveUpdateScope(server, Y.decodeUpdate(update));
    expect(scope.invalid).toEqual([`item ${itemId(unknown)}: unknown element <marquee>`]);
    Y.applyUpdate(server, update);
    const violations = findSchemaViolations(reportSchema, server.getXmlFragment(BODY_FIELD), scope.changedParents, () => true);
    expect(violations.map(({ item, reason }) => ({ item: idText(item.id), reason }))).toEqual([{ item: itemId(unknown), reason: 'unknown element <marquee>' }]);
  });

  it('names a top-level paragraph that is not in any section', () => {
    const server = serverReport();
    const client = clientOf(server);
    const stray = paragraph('游离段落');
    client.body.insert(0, [stray]);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([{ item: itemId(stray), reason: `top-level ${itemId(stray)} is not a section` }]);
  });
});

describe('finding a section id used twice', () => {
  it('names a new section added after the section whose id it repeats', () => {
    const server = serverReport();
    const client = clientOf(server);
    const copy = section('overview-food', '（二）食品药品安全信息公开（副本）', 2, [paragraph('副本内容')]);
    client.body.insert(client.body.length, [copy]);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([{ item: itemId(copy), reason: 'section id "overview-food" is used twice' }]);
  });

  it('names the new section, not the established one, when the copy is added before it', () => {
    const server = serverReport();
    const client = clientOf(server);
    const copy = section('problems', '五、存在的主要问题及改进情况（副本）', 1, [paragraph('副本内容')]);
    client.body.insert(0, [copy]);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([{ item: itemId(copy), reason: 'section id "problems" is used twice' }]);
  });

  it('names the later of two established sections that share an id', () => {
    const seeded = docs.empty();
    const body = seeded.getXmlFragment(BODY_FIELD);
    body.insert(0, [section('overview', '一', 1, [paragraph('甲')]), section('other', '二', 1, [paragraph('乙')]), section('overview', '三', 1, [paragraph('丙')])]);

    const violations = findBodyViolations(reportSchema, body, () => false);
    expect(violations.map(({ item, reason }) => ({ item: idText(item.id), reason }))).toEqual([
      { item: itemId(body.get(2) as Y.XmlElement), reason: 'section id "overview" is used twice' },
    ]);
  });
});

describe('finding nothing in honest edits', () => {
  it('finds nothing in a keystroke, a bold word and a deletion', () => {
    const server = serverReport();
    const client = clientOf(server);
    textOf(client.body, 'overview-finance', 0).insert(3, '全区');
    textOf(client.body, 'overview-finance', 1).format(0, 4, { bold: {} });
    textOf(client.body, 'overview-finance', 2).delete(0, 2);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });

  it('finds nothing in a paste of paragraphs, a heading and a bullet list', () => {
    const server = serverReport();
    const client = clientOf(server);
    sectionOf(client.body, 'overview-food').insert(1, [
      paragraph('第一段'),
      element('heading', { level: 3 }, [new Y.XmlText('小标题')]),
      paragraph('第二段'),
      element('bulletList', {}, [element('listItem', {}, [paragraph('要点一')]), element('listItem', {}, [paragraph('要点二')])]),
    ]);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });

  it('finds nothing when a heading’s level changes between the levels the editor offers', () => {
    const server = serverReport();
    const client = clientOf(server);
    (sectionOf(client.body, 'problems').get(0) as Y.XmlElement).setAttribute('level', 4 as unknown as string);

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });

  it('finds nothing when a deletion spans two sections but leaves a block in each', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.transact(() => {
      const food = sectionOf(client.body, 'overview-food');
      food.delete(1, 2);
      textOf(client.body, 'overview-food', 0).delete(20, 10);
      sectionOf(client.body, 'overview-env').delete(0, 2);
    });

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });

  it('finds nothing when an empty section is refilled by its last block being replaced in one edit', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.transact(() => {
      const proactive = sectionOf(client.body, 'proactive');
      proactive.delete(0, 1);
      proactive.insert(0, [paragraph('重新撰写的段落')]);
    });

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });

  it('finds nothing when the lead office adds a new section or deletes one', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.transact(() => {
      client.body.insert(5, [section('overview-health', '（五）卫生健康信息公开', 2, [paragraph('内容')])]);
      client.body.delete(indexOfSection(client.body, 'overview-env'), 1);
    });

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });

  it('finds nothing when a row is added to a table and text typed in a cell', () => {
    const server = serverWithTable();
    const client = clientOf(server);
    const row = tableRowOf(client.body);
    client.doc.transact(() => {
      (((row.get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '总');
      (row.parent as Y.XmlElement).insert(1, [element('tableRow', {}, [element('tableCell', {}, [paragraph('1')]), element('tableCell', {}, [paragraph('2')])])]);
    });

    expect(applyAndFindViolations(server, editsOf(client))).toEqual([]);
  });
});
