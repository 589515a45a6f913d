import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ReportDocs, indexOfSection, sectionOf } from './report-docs.fixture.js';
import { resolveUpdateScope, type StructureChange, type UpdateScope } from './update-scope.js';

const docs = new ReportDocs();
const serverReport = () => docs.server();
const clientOf = (server: Y.Doc) => docs.client(server);

afterEach(() => docs.destroyAll());

type Client = ReturnType<typeof clientOf>;

/** The one update a client produced since it synced. */
function onlyEdit(client: Client): Uint8Array {
  expect(client.edits).toHaveLength(1);
  return client.edits[0]!;
}

function scopeOf(server: Y.Doc, update: Uint8Array): UpdateScope {
  return resolveUpdateScope(server, Y.decodeUpdate(update));
}

const idText = (id: Y.ID) => `${id.client}:${id.clock}`;
/** The id of the item holding `type`, as the scope reports changed parents. */
const itemId = (type: { _item: Y.Item | null }) => idText(type._item!.id);

/** The scope as plain, order-independent data, so one `toEqual` pins every field. */
function summary(scope: UpdateScope) {
  return {
    sections: [...scope.sections].sort(),
    tables: [...scope.tables].sort(),
    structure: scope.structure.map(({ kind, sectionId }) => ({ kind, sectionId })),
    invalid: scope.invalid,
    changedParents: scope.changedParents.map(idText).sort(),
    bodyChanged: scope.bodyChanged,
    annexNodesChanged: scope.annexNodesChanged,
  };
}

const nothing = {
  sections: [],
  tables: [],
  structure: [],
  invalid: [],
  changedParents: [],
  bodyChanged: false,
  annexNodesChanged: false,
};

/** The text of the `block`th child (a paragraph or heading) of a section. */
function textOf(body: Y.XmlFragment, sectionId: string, block: number): Y.XmlText {
  const element = sectionOf(body, sectionId).get(block) as Y.XmlElement;
  const text = element.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error(`block ${block} of ${sectionId} holds no text`);
  return text;
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

function newSection(sectionId: string, title: string, text: string): Y.XmlElement {
  const section = new Y.XmlElement('section');
  section.setAttribute('sectionId', sectionId);
  section.setAttribute('title', title);
  section.setAttribute('level', 2 as unknown as string);
  section.insert(0, [paragraph(text)]);
  return section;
}

/** The new items of an update, as the guard sees them before applying it. */
function newItems(update: Uint8Array): Y.Item[] {
  return Y.decodeUpdate(update).structs.filter((s): s is Y.Item => s instanceof Y.Item);
}

/** A server whose annex already holds table "B" with one filled cell, created by the lead. */
function serverWithAnnexTable(): Y.Doc {
  const server = serverReport();
  const lead = clientOf(server);
  lead.doc.transact(() => {
    const table = new Y.Map<number | null>();
    lead.annex.set('B', table);
    table.set('r1:c1', 7);
  });
  Y.applyUpdate(server, onlyEdit(lead));
  return server;
}

const structureKinds = (scope: UpdateScope) => scope.structure.map((change: StructureChange) => change.kind);

describe('resolving the scope of an edit inside a section', () => {
  it('attributes a keystroke in a paragraph to that paragraph’s section only', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview-finance', 1);
    text.insert(5, '年度');

    // Plain words cannot break the schema: the paragraph is left unchecked (formatting is not; see below).
    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({ ...nothing, sections: ['overview-finance'] });
  });

  it('places a keystroke at the very start of a paragraph through the character to its right', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview-env', 0);
    text.insert(0, '（修订）');
    const update = onlyEdit(client);

    // The premise: such an item names neither its parent nor a left neighbour.
    const [typed] = newItems(update);
    expect(newItems(update)).toHaveLength(1);
    expect(typed!.parent).toBeNull();
    expect(typed!.origin).toBeNull();
    expect(typed!.rightOrigin).not.toBeNull();

    expect(summary(scopeOf(server, update))).toEqual({ ...nothing, sections: ['overview-env'] });
  });

  it('places a keystroke at the very start of a heading in its section', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'problems', 0);
    text.insert(0, '一');

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({ ...nothing, sections: ['problems'] });
  });

  it('attributes a paste of several paragraphs to the one section it lands in, through items that refer to each other', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'overview-food');
    const pasted = [paragraph('第一段粘贴内容'), paragraph('第二段粘贴内容'), paragraph('第三段粘贴内容')];
    section.insert(1, pasted);
    const update = onlyEdit(client);

    // The later paragraphs are placed only by their neighbour, which is itself new in the update.
    const second = newItems(update).find((item) => idText(item.id) === itemId(pasted[1]!))!;
    expect(second.parent).toBeNull();
    expect(idText(second.origin!)).toBe(itemId(pasted[0]!));

    // The new paragraphs are checked through their section, their words with them.
    const holders = [section, ...pasted].map(itemId).sort();
    expect(summary(scopeOf(server, update))).toEqual({ ...nothing, sections: ['overview-food'], changedParents: holders });
  });

  it('attributes a paste of two hundred paragraphs, each placed only by the one before it, to its section', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'overview-finance');
    const pasted = Array.from({ length: 200 }, (_, i) => paragraph(`第${i + 1}段`));
    section.insert(2, pasted);

    const scope = scopeOf(server, onlyEdit(client));
    expect(scope.invalid).toEqual([]);
    expect(scope.structure).toEqual([]);
    expect([...scope.sections]).toEqual(['overview-finance']);
    expect(scope.changedParents).toHaveLength(1 + pasted.length);
  });

  it('attributes a reconnecting browser’s offline typing, in runs that each continue an earlier run, to its section', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview-env', 2);
    // Each run continues the previous one, but a run typed elsewhere in between keeps Yjs from
    // merging them: the last run is placed only through a chain of new runs.
    let end = 10;
    for (const [i, word] of ['甲', '乙', '丙', '丁', '戊'].entries()) {
      text.insert(end, word);
      end += word.length;
      text.insert(0, String(i));
      end += 1;
    }
    const syncStep2 = Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(server));
    const byId = new Map(newItems(syncStep2).map((item) => [idText(item.id), item]));
    const last = newItems(syncStep2).find((item) => item.content instanceof Y.ContentString && item.content.str === '戊')!;
    expect(last.parent).toBeNull();
    expect(byId.has(idText(last.origin!))).toBe(true);

    expect(summary(scopeOf(server, syncStep2))).toEqual({ ...nothing, sections: ['overview-env'] });
  });

  it('attributes a deletion that spans the end of one section and the start of the next to both sections, as no structure change', () => {
    const server = serverReport();
    const client = clientOf(server);
    const foodText = textOf(client.body, 'overview-food', 2);
    const envSection = sectionOf(client.body, 'overview-env');
    const envText = textOf(client.body, 'overview-env', 1);
    const removedParagraph = envSection.get(0) as Y.XmlElement;
    client.doc.transact(() => {
      foodText.delete(foodText.length - 10, 10);
      envSection.delete(0, 1);
      envText.delete(0, 6);
    });

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      sections: ['overview-env', 'overview-food'],
      // The removed paragraph loses its text too; the schema check skips it. Words removed leave nothing to check.
      changedParents: [itemId(envSection), itemId(removedParagraph)].sort(),
    });
  });

  it('counts making text bold as an edit of the section’s content', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview', 0);
    text.format(0, 5, { bold: {} });

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({ ...nothing, sections: ['overview'], changedParents: [itemId(text)] });
  });

  it('refuses a mark stored under y-prosemirror’s hashed key: none of the report’s marks may overlap itself', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview', 0);
    text.format(0, 5, { 'link--AbCd1234': { href: 'https://example.gov.cn' } });

    expect(scopeOf(server, onlyEdit(client)).invalid).toEqual([
      expect.stringContaining('formatting "link" cannot overlap itself'),
      expect.stringContaining('formatting "link" cannot overlap itself'),
    ]);
  });

  it('counts changing a heading’s level as an edit of its section’s content, not a structure change', () => {
    const server = serverReport();
    const client = clientOf(server);
    const element = sectionOf(client.body, 'problems').get(0) as Y.XmlElement;
    element.setAttribute('level', 4 as unknown as string);

    // The element is named so that the schema check after applying looks at its new attributes.
    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({ ...nothing, sections: ['problems'], changedParents: [itemId(element)] });
  });

  it('refuses an attribute the element’s schema does not have (a paragraph has no alignment)', () => {
    const server = serverReport();
    const client = clientOf(server);
    (sectionOf(client.body, 'overview').get(0) as Y.XmlElement).setAttribute('textAlign', 'center');

    expect(scopeOf(server, onlyEdit(client)).invalid).toEqual([expect.stringContaining('<paragraph> has no attribute "textAlign"')]);
  });

  it('reports placing an annex table node in a section as a lead-only annex-table change of that section', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'proactive');
    const node = new Y.XmlElement('annexTable');
    node.setAttribute('tableId', 'B');
    section.insert(1, [node]);

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      sections: ['proactive'],
      changedParents: [itemId(section)],
      structure: [{ kind: 'annex-table', sectionId: 'proactive' }],
      annexNodesChanged: true,
    });
  });

  it('reports removing an annex table node as a lead-only annex-table change, since it decides who writes the table', () => {
    const server = serverReport();
    const lead = clientOf(server);
    const node = new Y.XmlElement('annexTable');
    node.setAttribute('tableId', 'B');
    sectionOf(lead.body, 'proactive').insert(1, [node]);
    Y.applyUpdate(server, onlyEdit(lead));

    const client = clientOf(server);
    const section = sectionOf(client.body, 'proactive');
    const removed = section.get(1) as Y.XmlElement;
    section.delete(1, 1);

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      sections: ['proactive'],
      // The node loses its attribute too; the schema check skips what was deleted.
      changedParents: [itemId(section), itemId(removed)].sort(),
      structure: [{ kind: 'annex-table', sectionId: 'proactive' }],
      annexNodesChanged: true,
    });
  });

  it('reports re-pointing an annex table node to another table as a lead-only annex-table change', () => {
    const server = serverReport();
    const lead = clientOf(server);
    const node = new Y.XmlElement('annexTable');
    node.setAttribute('tableId', 'B');
    sectionOf(lead.body, 'proactive').insert(1, [node]);
    Y.applyUpdate(server, onlyEdit(lead));

    const client = clientOf(server);
    const existing = sectionOf(client.body, 'proactive').get(1) as Y.XmlElement;
    existing.setAttribute('tableId', 'C');

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      sections: ['proactive'],
      changedParents: [itemId(existing)],
      structure: [{ kind: 'annex-table', sectionId: 'proactive' }],
      annexNodesChanged: true,
    });
  });
});

describe('resolving structure changes', () => {
  it('reports deleting a whole section as a delete-section change naming that section', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.delete(indexOfSection(client.body, 'overview-food'), 1);
    const scope = scopeOf(server, onlyEdit(client));

    expect(scope.structure[0]).toEqual({ kind: 'delete-section', sectionId: 'overview-food', detail: 'deletes section overview-food' });
    // Deleting the section also deletes its attributes and blocks: all of it is that section.
    expect(scope.structure.map(({ kind, sectionId }) => ({ kind, sectionId }))).toEqual([
      { kind: 'delete-section', sectionId: 'overview-food' },
      { kind: 'section-attribute', sectionId: 'overview-food' },
      { kind: 'section-attribute', sectionId: 'overview-food' },
      { kind: 'section-attribute', sectionId: 'overview-food' },
    ]);
    expect([...scope.sections]).toEqual(['overview-food']);
    expect(scope.tables.size).toBe(0);
    expect(scope.invalid).toEqual([]);
    expect(scope.bodyChanged).toBe(true);
    expect(scope.annexNodesChanged).toBe(false);
  });

  it('reports inserting a new section at the top level as an add-top-level change of no existing section', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = newSection('overview-health', '（五）卫生健康信息公开', '新增的章节内容');
    client.body.insert(5, [section]);

    const paragraphItem = section.get(0) as Y.XmlElement;
    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      structure: [{ kind: 'add-top-level', sectionId: null }],
      changedParents: [itemId(section), itemId(paragraphItem)].sort(),
      bodyChanged: true,
    });
  });

  it('reports a paragraph put directly at the top level as an add-top-level change', () => {
    const server = serverReport();
    const client = clientOf(server);
    const stray = paragraph('游离在章节之外的段落');
    client.body.insert(0, [stray]);

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      structure: [{ kind: 'add-top-level', sectionId: null }],
      changedParents: [itemId(stray)],
      bodyChanged: true,
    });
  });

  it.each([
    ['title', '（一）财政资金信息公开（修订）'],
    ['sectionId', 'finance-renamed'],
  ])('reports changing a section’s %s as a section-attribute change of that section, not a content edit', (attribute, value) => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'overview-finance');
    section.setAttribute(attribute, value);
    const scope = scopeOf(server, onlyEdit(client));

    // Once for the new value and once for the value it replaces; both name the section's current id.
    const change = { kind: 'section-attribute', sectionId: 'overview-finance', detail: `changes attribute "${attribute}" of section overview-finance` };
    expect(scope.structure).toEqual([change, change]);
    expect(summary(scope)).toEqual({
      ...nothing,
      structure: [
        { kind: 'section-attribute', sectionId: 'overview-finance' },
        { kind: 'section-attribute', sectionId: 'overview-finance' },
      ],
      changedParents: [itemId(section)],
    });
  });

  it('refuses an attribute the section’s schema does not have, naming it, besides reporting a section-attribute change', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'overview-env');
    section.setAttribute('owner', 'env');
    const update = onlyEdit(client);

    // With no previous value to replace, the item names its parent directly.
    expect(newItems(update)[0]!.parent).toBeInstanceOf(Y.ID);
    expect(summary(scopeOf(server, update))).toEqual({
      ...nothing,
      structure: [{ kind: 'section-attribute', sectionId: 'overview-env' }],
      invalid: [expect.stringContaining('<section> has no attribute "owner"')],
      changedParents: [itemId(section)],
    });
  });

  it('reports a section deleted and another inserted in one update as two structure changes', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.transact(() => {
      client.body.delete(indexOfSection(client.body, 'other'), 1);
      client.body.insert(0, [newSection('preface', '前言', '前言内容')]);
    });

    const scope = scopeOf(server, onlyEdit(client));
    expect(structureKinds(scope).filter((kind) => kind !== 'section-attribute')).toEqual(['add-top-level', 'delete-section']);
    expect(scope.structure.find((change) => change.kind === 'delete-section')!.sectionId).toBe('other');
    expect(scope.bodyChanged).toBe(true);
  });
});

describe('resolving the scope of annex table edits', () => {
  it('attributes writing cells of an existing table map to that table only', () => {
    const server = serverWithAnnexTable();
    const client = clientOf(server);
    const table = client.annex.get('B') as Y.Map<number | null>;
    client.doc.transact(() => {
      table.set('r1:c1', 12); // replaces a value: named only through the entry it replaces
      table.set('r2:c1', null); // a new key: names its table directly
      table.set('r3:c2', 0.5);
    });

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({ ...nothing, tables: ['B'] });
  });

  it('attributes two cells rewritten in turn offline, each value replacing the one before it in the same update, to their table', () => {
    const server = serverWithAnnexTable();
    const client = clientOf(server);
    const table = client.annex.get('B') as Y.Map<number | null>;
    // Alternating keys keep Yjs from merging the replaced values: each key's history is a chain.
    for (let value = 1; value <= 6; value++) {
      table.set('r2:c3', value);
      table.set('r1:c1', value);
    }
    const syncStep2 = Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(server));

    // The last value names neither its table nor its key, only the value it replaced.
    const last = newItems(syncStep2).at(-1)!;
    expect(last.parent).toBeNull();
    expect(last.parentSub).toBeNull();
    expect(summary(scopeOf(server, syncStep2))).toEqual({ ...nothing, tables: ['B'] });
  });

  it('attributes clearing a cell of an existing table map to that table', () => {
    const server = serverWithAnnexTable();
    const client = clientOf(server);
    (client.annex.get('B') as Y.Map<number | null>).delete('r1:c1');

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({ ...nothing, tables: ['B'] });
  });

  it('reports creating a table map in the annex as a lead-only annex-table change', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.doc.transact(() => {
      const table = new Y.Map<number>();
      client.annex.set('C@finance', table);
      table.set('r1:c1', 3);
    });
    const scope = scopeOf(server, onlyEdit(client));

    expect(scope.structure).toEqual([{ kind: 'annex-table', sectionId: null, detail: 'creates annex table "C@finance"' }]);
    expect(summary(scope)).toEqual({ ...nothing, tables: ['C@finance'], structure: [{ kind: 'annex-table', sectionId: null }] });
  });

  it('reports removing a table map from the annex as a lead-only annex-table change', () => {
    const server = serverWithAnnexTable();
    const client = clientOf(server);
    client.annex.delete('B');
    const scope = scopeOf(server, onlyEdit(client));

    expect(scope.structure).toEqual([{ kind: 'annex-table', sectionId: null, detail: 'removes annex table "B"' }]);
    expect(summary(scope)).toEqual({ ...nothing, tables: ['B'], structure: [{ kind: 'annex-table', sectionId: null }] });
  });
});

describe('finding content no report can hold', () => {
  it('refuses an element whose name the schema does not know', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'overview-finance');
    const script = new Y.XmlElement('script');
    section.insert(0, [script]);

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      sections: ['overview-finance'],
      invalid: [`item ${itemId(script)}: unknown element <script>`],
      changedParents: [itemId(section)],
    });
  });

  it('refuses formatting with a mark the schema does not know, at both ends of the formatted range', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview-food', 0);
    text.format(2, 4, { blink: true });
    const update = onlyEdit(client);
    const formats = newItems(update).filter((item) => item.content instanceof Y.ContentFormat);
    expect(formats).toHaveLength(2);

    expect(summary(scopeOf(server, update))).toEqual({
      ...nothing,
      sections: ['overview-food'],
      invalid: formats.map((item) => `unknown formatting "blink" (item ${idText(item.id)})`),
      changedParents: [itemId(text)],
    });
  });

  it('refuses an embedded object inside text', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview-food', 0);
    text.insertEmbed(3, { image: 'https://example.com/x.png' });
    const [embed] = newItems(onlyEdit(client));

    expect(scopeOf(server, onlyEdit(client)).invalid).toEqual([`item ${idText(embed!.id)}: text may hold only characters and formatting`]);
  });

  it('refuses an element attribute that is a shared type instead of a plain value', () => {
    const server = serverReport();
    const client = clientOf(server);
    const element = sectionOf(client.body, 'overview').get(0) as Y.XmlElement;
    element.setAttribute('textAlign', new Y.Map() as unknown as string);
    const [attribute] = newItems(onlyEdit(client));

    expect(scopeOf(server, onlyEdit(client)).invalid).toEqual([`item ${idText(attribute!.id)}: attribute "textAlign" must be a plain value`]);
  });

  it.each([
    ['a string', 'r1:c1', 'twelve'],
    ['infinity', 'r1:c1', Number.POSITIVE_INFINITY],
    ['a list of numbers', 'r1:c1', [1, 2]],
    ['a key without a column', 'r1', 5],
  ])('refuses an annex cell holding %s', (_what, key, value) => {
    const server = serverWithAnnexTable();
    const client = clientOf(server);
    (client.annex.get('B') as Y.Map<unknown>).set(key, value);
    const [cell] = newItems(onlyEdit(client));

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      tables: ['B'],
      invalid: [`item ${idText(cell!.id)}: an annex cell is "row:column" → a number or null`],
    });
  });

  it('refuses a map nested inside an annex cell, and every entry written into it', () => {
    const server = serverWithAnnexTable();
    const client = clientOf(server);
    const nested = new Y.Map<number>();
    client.doc.transact(() => {
      (client.annex.get('B') as Y.Map<unknown>).set('r2:c2', nested);
      nested.set('r1:c1', 1);
    });
    const update = onlyEdit(client);
    const [cell, entry] = newItems(update);

    expect(summary(scopeOf(server, update))).toEqual({
      ...nothing,
      tables: ['B'],
      invalid: [
        `item ${idText(cell!.id)}: an annex cell is "row:column" → a number or null`,
        `writes at ${idText(entry!.id)}: annex cells hold numbers, not nested data`,
      ],
    });
  });

  it('refuses an annex table that is not a map', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.annex.set('D', 42);
    const [value] = newItems(onlyEdit(client));

    const scope = scopeOf(server, onlyEdit(client));
    expect(scope.invalid).toEqual([`item ${idText(value!.id)}: an annex table must be a map`]);
    expect(structureKinds(scope)).toEqual(['annex-table']);
  });

  it('refuses a map inserted at the top level of the body', () => {
    const server = serverReport();
    const client = clientOf(server);
    const map = new Y.Map<number>();
    (client.body as unknown as Y.AbstractType<unknown> & { insert(i: number, c: unknown[]): void }).insert(1, [map]);
    const [item] = newItems(onlyEdit(client));

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      structure: [{ kind: 'add-top-level', sectionId: null }],
      invalid: [`item ${idText(item!.id)}: the report body holds only elements and text`],
      bodyChanged: true,
    });
  });

  it('refuses a map inserted among a section’s blocks', () => {
    const server = serverReport();
    const client = clientOf(server);
    const section = sectionOf(client.body, 'overview-env');
    (section as unknown as { insert(i: number, c: unknown[]): void }).insert(1, [new Y.Map<number>()]);
    const [item] = newItems(onlyEdit(client));

    expect(summary(scopeOf(server, onlyEdit(client)))).toEqual({
      ...nothing,
      sections: ['overview-env'],
      invalid: [`item ${idText(item!.id)}: the report body holds only elements and text`],
      changedParents: [itemId(section)],
    });
  });

  it('refuses an edit placed next to content the server never received', () => {
    const server = serverReport();
    const finance = clientOf(server);
    const food = clientOf(server);
    textOf(finance.body, 'overview-food', 0).insert(0, '财政');
    Y.applyUpdate(food.doc, Y.encodeStateAsUpdate(finance.doc));
    const before = Y.encodeStateVector(food.doc);
    textOf(food.body, 'overview-food', 0).insert(1, '食品');
    const foodOnly = Y.encodeStateAsUpdate(food.doc, before);
    const [typed] = newItems(foodOnly);

    expect(summary(scopeOf(server, foodOnly))).toEqual({ ...nothing, invalid: [`item ${idText(typed!.id)} has no resolvable parent`] });
  });
  it('refuses, without looping, new items that name each other as their only neighbours', () => {
    const server = serverReport();
    const client = clientOf(server);
    sectionOf(client.body, 'overview').insert(1, [paragraph('甲'), paragraph('乙')]);
    const decoded = Y.decodeUpdate(onlyEdit(client));
    const [first, second] = decoded.structs.filter(
      (item): item is Y.Item => item instanceof Y.Item && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement,
    );
    // A hostile client can encode any neighbours it likes: here the two paragraphs point at each other.
    first!.origin = second!.id;
    first!.rightOrigin = null;
    second!.origin = first!.id;
    second!.rightOrigin = null;

    const scope = resolveUpdateScope(server, decoded);
    expect(scope.invalid).toEqual([`item ${idText(first!.id)} has no resolvable parent`, `item ${idText(second!.id)} has no resolvable parent`]);
  });
});

describe('edits that change nothing or land in removed content', () => {
  it('finds nothing in deletions the server has already applied', () => {
    const server = serverReport();
    const client = clientOf(server);
    const text = textOf(client.body, 'overview-finance', 0);
    text.delete(0, 4);
    const deletion = onlyEdit(client);
    Y.applyUpdate(server, deletion);

    expect(summary(scopeOf(server, deletion))).toEqual(nothing);
  });

  it('finds nothing in a deleted section re-sent after the server applied it', () => {
    const server = serverReport();
    const client = clientOf(server);
    client.body.delete(indexOfSection(client.body, 'overview-env'), 1);
    const deletion = onlyEdit(client);
    Y.applyUpdate(server, deletion);

    expect(summary(scopeOf(server, deletion))).toEqual(nothing);
  });

  it('finds nothing in a reconnecting browser’s whole document when the server has all of it', () => {
    const server = serverReport();
    const client = clientOf(server);
    textOf(client.body, 'overview', 1).delete(3, 3);
    sectionOf(client.body, 'overview-food').insert(0, [paragraph('已同步的段落')]);
    for (const edit of client.edits) Y.applyUpdate(server, edit);

    expect(summary(scopeOf(server, Y.encodeStateAsUpdate(client.doc)))).toEqual(nothing);
  });

  // Writing into content the report no longer has is invisible to everyone (Yjs keeps it deleted),
  // so it is no one's to refuse: a typist whose section or paragraph was just removed is not expelled.
  it('finds nothing to judge in typing into a section the server has since deleted', () => {
    const server = serverReport();
    const lead = clientOf(server);
    const food = clientOf(server);
    lead.body.delete(indexOfSection(lead.body, 'overview-food'), 1);
    Y.applyUpdate(server, onlyEdit(lead));

    textOf(food.body, 'overview-food', 1).insert(4, '抽检');
    expect(summary(scopeOf(server, onlyEdit(food)))).toEqual(nothing);
  });

  it('finds nothing to judge in a paragraph, or an attribute, written into a section the server has since deleted', () => {
    const server = serverReport();
    const lead = clientOf(server);
    const food = clientOf(server);
    lead.body.delete(indexOfSection(lead.body, 'overview-food'), 1);
    Y.applyUpdate(server, onlyEdit(lead));

    food.doc.transact(() => {
      sectionOf(food.body, 'overview-food').insert(0, [paragraph('迟到的段落')]);
      sectionOf(food.body, 'overview-food').setAttribute('title', '（二）食品安全信息公开');
    });
    expect(summary(scopeOf(server, onlyEdit(food)))).toEqual(nothing);
  });

  it('finds nothing when the deletion of a section’s text reaches the server after the section was deleted', () => {
    const server = serverReport();
    const lead = clientOf(server);
    const food = clientOf(server);
    lead.body.delete(indexOfSection(lead.body, 'overview-food'), 1);
    Y.applyUpdate(server, onlyEdit(lead));

    textOf(food.body, 'overview-food', 0).delete(0, 8);

    expect(summary(scopeOf(server, onlyEdit(food)))).toEqual(nothing);
  });
});
