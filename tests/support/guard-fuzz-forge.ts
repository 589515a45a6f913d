import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';
import { ANNEX_FIELD, BODY_FIELD, SUGGESTIONS_FIELD } from '../../blocks/contract.js';
import { SECTION_NODE } from '../../blocks/section/section.js';
import { encodeSyncStep2, encodeSyncUpdate, parseMessage } from '../../server/collab/wire.js';
import type {
  AnnexOp,
  AttributeSpec,
  ByteMutation,
  ContentSpec,
  ForeignOwner,
  FuzzAction,
  HonestEdit,
  IdChoice,
  MarkSpec,
  SectionTarget,
  StructMutation,
  SuggestionOp,
  Target,
  TextSpec,
  TreeSpec,
  ValueSpec,
} from './guard-fuzz-actions.js';

// Turns a fuzz action into the bytes a hostile client would send, forged on a copy of its replica
// of the report: the copy is thrown away, the replica only ever holds what the server sent it and
// what it sent itself and kept.

/** What the forger knows besides its replica: which sections are whose, whose client ids are whose, what it sent. */
export interface ForgeContext {
  /** Finance's unlocked sections, its locked ones, everyone else's. */
  ownSections: ReadonlySet<string>;
  lockedOwnSections: ReadonlySet<string>;
  /** The client id each foreign owner writes under (null when there is none in this report). */
  foreignIds: ReadonlyMap<ForeignOwner, number | null>;
  /** Updates sent earlier in this run (by finance, and the food bureau's), for replays. */
  sent: readonly Uint8Array[];
  /** Finance as it signs a suggestion, and the user ids of others it might forge one under. */
  suggester: { userId: number; name: string; department: string; color: string };
  otherUserIds: { food: number; lead: number };
}

export interface ForgedFrame {
  frame: Uint8Array;
  /** The Yjs update inside the frame, when it still is one. */
  payload: Uint8Array | null;
  /** An edit the editor itself would make: it must be accepted. */
  honest: boolean;
}

/** The forger's own Yjs could not express the action (it threw): nothing is sent. */
export class UnforgeableError extends Error {
  override name = 'UnforgeableError';
}

// ——— values

export function materialize(spec: ValueSpec): unknown {
  switch (spec.kind) {
    case 'int':
    case 'float':
    case 'string':
    case 'bool':
      return spec.value;
    case 'huge':
      return 'x'.repeat(spec.length);
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'bigint':
      return BigInt(spec.value);
    case 'bytes':
      return new Uint8Array(spec.length).fill(7);
    case 'array':
      return spec.items.map(materialize);
    case 'object': {
      const object: Record<string, unknown> = {};
      // defineProperty: "__proto__" becomes an own key, which the encoder writes like any other.
      for (const [key, value] of spec.entries) Object.defineProperty(object, key, { value: materialize(value), enumerable: true, configurable: true, writable: true });
      return object;
    }
  }
}

function attributesObject(attributes: readonly AttributeSpec[]): Record<string, unknown> {
  return materialize({ kind: 'object', entries: attributes.map((attribute) => [attribute.name, attribute.value]) }) as Record<string, unknown>;
}

function markValue(mark: MarkSpec): unknown {
  switch (mark.value.kind) {
    case 'end':
      return null;
    case 'attributes':
      return attributesObject(mark.value.attributes);
    case 'value':
      return materialize(mark.value.value);
  }
}

function setAttributes(element: Y.XmlElement, attributes: readonly AttributeSpec[]): void {
  for (const attribute of attributes) element.setAttribute(attribute.name, materialize(attribute.value) as string);
}

function buildText(spec: TextSpec): Y.XmlText {
  const content = spec.repeat > 1 ? (spec.text || 'x').repeat(spec.repeat) : spec.text;
  const text = new Y.XmlText();
  text.insert(0, content);
  for (const mark of spec.marks) {
    if (content.length === 0) break;
    const from = mark.from % content.length;
    text.format(from, Math.min(mark.length, content.length - from), { [mark.key]: markValue(mark) });
  }
  return text;
}

/** A prelim element tree; Yjs integrates it, attributes and children, when it is inserted. */
function buildTree(spec: TreeSpec | TextSpec): Y.XmlElement | Y.XmlText {
  if (spec.kind === 'text') return buildText(spec);
  const element = new Y.XmlElement(spec.name);
  setAttributes(element, spec.attributes);
  if (spec.children.length > 0) element.insert(0, spec.children.map(buildTree));
  return element;
}

// ——— where things are in the replica

function sectionIdOf(node: unknown): string | null {
  if (!(node instanceof Y.XmlElement) || node.nodeName !== SECTION_NODE) return null;
  const id: unknown = node.getAttribute('sectionId');
  return typeof id === 'string' ? id : null;
}

function sectionsOf(doc: Y.Doc, which: SectionTarget, context: ForgeContext): Y.XmlElement[] {
  const sections = doc
    .getXmlFragment(BODY_FIELD)
    .toArray()
    .filter((node): node is Y.XmlElement => sectionIdOf(node) !== null);
  const isOwn = (section: Y.XmlElement) => context.ownSections.has(sectionIdOf(section)!);
  const isLockedOwn = (section: Y.XmlElement) => context.lockedOwnSections.has(sectionIdOf(section)!);
  switch (which) {
    case 'own':
      return sections.filter(isOwn);
    case 'locked-own':
      return sections.filter(isLockedOwn);
    case 'other':
      return sections.filter((section) => !isOwn(section) && !isLockedOwn(section));
    case 'anywhere':
      return sections;
  }
}

/** Every element in `roots` and below them, roots included, in document order, without recursion. */
function elementsUnder(roots: readonly Y.XmlElement[]): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  const pending = [...roots].reverse();
  while (pending.length > 0) {
    const element = pending.pop()!;
    found.push(element);
    const children = element.toArray();
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child instanceof Y.XmlElement) pending.push(child);
    }
  }
  return found;
}

function textsUnder(roots: readonly Y.XmlElement[], parents?: ReadonlySet<string>): Y.XmlText[] {
  return elementsUnder(roots).flatMap((element) =>
    parents && !parents.has(element.nodeName) ? [] : element.toArray().filter((child): child is Y.XmlText => child instanceof Y.XmlText),
  );
}

function pickFrom<T>(list: readonly T[], pick: number): T | null {
  return list.length === 0 ? null : list[pick % list.length]!;
}

function targetElement(doc: Y.Doc, target: Target, context: ForgeContext): Y.XmlElement | null {
  return pickFrom(elementsUnder(sectionsOf(doc, target.section, context)), target.pick);
}

/** The annex tables placed in `sections` (by their annexTable nodes). */
function tablesIn(doc: Y.Doc, sections: readonly Y.XmlElement[]): Y.Map<unknown>[] {
  const annex = doc.getMap<unknown>(ANNEX_FIELD);
  return elementsUnder(sections)
    .filter((element) => element.nodeName === ANNEX_TABLE_NODE)
    .map((element) => annex.get(String(element.getAttribute('tableId'))))
    .filter((table): table is Y.Map<unknown> => table instanceof Y.Map);
}

// ——— honest edits

const WRITABLE_TEXT_PARENTS = new Set(['paragraph', 'heading']);

function honestBlock(block: Extract<HonestEdit, { kind: 'block' }>['block'], text: string): Y.XmlElement {
  const paragraph = () => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    return p;
  };
  const wrap = (name: string, children: Y.XmlElement[], attributes: Record<string, unknown> = {}) => {
    const element = new Y.XmlElement(name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
    element.insert(0, children);
    return element;
  };
  switch (block) {
    case 'heading': {
      const heading = wrap('heading', [], { level: 3 });
      heading.insert(0, [new Y.XmlText(text)]);
      return heading;
    }
    case 'blockquote':
      return wrap('blockquote', [paragraph()]);
    case 'bulletList':
      return wrap('bulletList', [wrap('listItem', [paragraph()])]);
    case 'table':
      return wrap('table', [wrap('tableRow', [wrap('tableCell', [paragraph()], { colspan: 1, rowspan: 1, colwidth: null }), wrap('tableCell', [paragraph()], { colspan: 1, rowspan: 1, colwidth: null })])]);
    case 'codeBlock': {
      const code = wrap('codeBlock', [], { language: null });
      code.insert(0, [new Y.XmlText(text)]);
      return code;
    }
  }
}

/**
 * Makes an edit the editor would make in finance's own unlocked sections. When the edit has
 * nothing to act on (no text to type into, no table of its own), it adds a paragraph instead.
 */
export function makeHonestEdit(doc: Y.Doc, edit: HonestEdit, context: ForgeContext): void {
  const own = sectionsOf(doc, 'own', context);
  if (own.length === 0) throw new UnforgeableError('finance has no section left to write in');
  const addParagraph = (pick: number, index: number, text: string) => {
    const section = pickFrom(own, pick)!;
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    section.insert(index % (section.length + 1), [paragraph]);
  };
  switch (edit.kind) {
    case 'type': {
      const text = pickFrom(textsUnder(own, WRITABLE_TEXT_PARENTS), edit.pick);
      if (!text) return addParagraph(edit.pick, edit.offset, edit.text);
      text.insert(edit.offset % (text.length + 1), edit.text);
      return;
    }
    case 'paragraph':
      return addParagraph(edit.pick, edit.index, edit.text);
    case 'block': {
      const section = pickFrom(own, edit.pick)!;
      section.insert(edit.index % (section.length + 1), [honestBlock(edit.block, edit.text)]);
      return;
    }
    case 'bold':
    case 'erase': {
      const text = pickFrom(
        textsUnder(own, WRITABLE_TEXT_PARENTS).filter((candidate) => candidate.length > 0),
        edit.pick,
      );
      if (!text) return addParagraph(edit.pick, edit.from, '补充');
      const from = edit.from % text.length;
      const length = Math.min(edit.length, text.length - from);
      if (edit.kind === 'bold') text.format(from, length, { bold: {} });
      else text.delete(from, length);
      return;
    }
    case 'cell': {
      const table = pickFrom(tablesIn(doc, own), edit.pick);
      const key = table ? pickFrom([...table.keys()].sort(), edit.pick) : null;
      if (!table || !key) return addParagraph(edit.pick, edit.value, '表格说明');
      table.set(key, edit.value);
      return;
    }
  }
}

// ——— hostile edits through the forger's own Yjs

function hostileEdit(doc: Y.Doc, action: FuzzAction, context: ForgeContext): void {
  switch (action.kind) {
    case 'insert': {
      const parent = targetElement(doc, action.target, context);
      if (!parent) throw new UnforgeableError('no element there');
      parent.insert(action.index % (parent.length + 1), action.nodes.map(buildTree));
      return;
    }
    case 'nest': {
      let parent = targetElement(doc, action.target, context);
      if (!parent) throw new UnforgeableError('no element there');
      // One transaction per level: Yjs integrates a prelim tree recursively.
      for (let level = 0; level < action.depth; level++) {
        const child = new Y.XmlElement(action.name);
        parent.insert(parent.length, [child]);
        parent = child;
      }
      if (action.leaf === 'paragraph') {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('最深处')]);
        parent.insert(0, [paragraph]);
      }
      if (action.leaf === 'text') parent.insert(0, [new Y.XmlText('最深处')]);
      return;
    }
    case 'attributes': {
      const element = targetElement(doc, action.target, context);
      if (!element) throw new UnforgeableError('no element there');
      doc.transact(() => setAttributes(element, action.attributes));
      return;
    }
    case 'format': {
      const text = pickFrom(
        textsUnder(sectionsOf(doc, action.target.section, context)).filter((candidate) => candidate.length > 0),
        action.target.pick,
      );
      if (!text) throw new UnforgeableError('no text there');
      doc.transact(() => {
        for (const mark of action.marks) {
          const from = mark.from % text.length;
          text.format(from, Math.min(mark.length, text.length - from), { [mark.key]: markValue(mark) });
        }
        // Many small toggles: every one is a pair of formatting items.
        for (let i = 0; i < action.toggles; i++) text.format(i % text.length, 1, { bold: i % 2 === 0 ? {} : null });
      });
      return;
    }
    case 'delete':
      return deleteSomething(doc, action, context);
    case 'annex':
      return annexEdit(doc, action.op, context);
    case 'suggestion':
      return suggest(doc, action.op, context);
    default:
      throw new Error(`${action.kind} is not a plain edit`);
  }
}

let suggestionNonce = 0;

/** A suggestion signed as finance (or one field forged), under the key chosen; or a pending one withdrawn. */
function suggest(doc: Y.Doc, op: SuggestionOp, context: ForgeContext): void {
  const pending = doc.getMap<unknown>(SUGGESTIONS_FIELD);
  if (op.kind === 'withdraw') {
    const key = pickFrom([...pending.keys()].sort(), op.pick);
    if (key === null) throw new UnforgeableError('no suggestion to withdraw');
    pending.delete(key);
    return;
  }
  const sections = sectionsOf(doc, op.target.section, context);
  const text = pickFrom(textsUnder(sections), op.target.pick);
  if (!text) throw new UnforgeableError('no text there');
  const section = sections.find((candidate) => isAncestor(candidate, text as unknown as Y.AbstractType<unknown>));
  const from = text.length === 0 ? 0 : op.from % (text.length + 1);
  const to = Math.min(text.length, from + op.length);
  const position = (on: Y.XmlText, index: number) => Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(on, index));
  const { suggester } = context;
  const entry: Record<string, unknown> = {
    sectionId: section ? sectionIdOf(section) : 'nowhere',
    from: position(text, from),
    to: position(text, to),
    text: op.text,
    quote: text.toString().slice(from, to),
    author: suggester.name,
    department: suggester.department,
    color: suggester.color,
    at: Date.now(),
  };
  if (op.forge) {
    const { field, value } = op.forge;
    if (value === 'elsewhere') {
      const other = pickFrom(textsUnder(sectionsOf(doc, 'anywhere', context)).filter((candidate) => candidate !== text), op.target.pick + 1);
      if (!other) throw new UnforgeableError('no other text');
      entry[field === 'from' ? 'from' : 'to'] = position(other, 0);
    } else entry[field === 'extra' ? 'style' : field] = materialize(value);
  }
  const owner = op.key === 'own' ? String(suggester.userId) : op.key === 'garbage' ? 'x' : String(context.otherUserIds[op.key]);
  pending.set(`${owner}:fuzz-${++suggestionNonce}-nonce`, entry);
}

function isAncestor(element: Y.XmlElement, type: Y.AbstractType<unknown>): boolean {
  for (let current: Y.AbstractType<unknown> | null = type; current; current = (current._item?.parent as Y.AbstractType<unknown> | null) ?? null) {
    if (current === (element as unknown as Y.AbstractType<unknown>)) return true;
  }
  return false;
}

function deleteSomething(doc: Y.Doc, action: Extract<FuzzAction, { kind: 'delete' }>, context: ForgeContext): void {
  const range = (length: number) => {
    if (length === 0) throw new UnforgeableError('nothing to delete there');
    const from = action.from % length;
    return [from, Math.min(action.length, length - from)] as const;
  };
  switch (action.scope) {
    case 'element': {
      const element = targetElement(doc, action.target, context);
      if (!element) throw new UnforgeableError('no element there');
      element.delete(...range(element.length));
      return;
    }
    case 'text': {
      const text = pickFrom(textsUnder(sectionsOf(doc, action.target.section, context)), action.target.pick);
      if (!text) throw new UnforgeableError('no text there');
      text.delete(...range(text.length));
      return;
    }
    case 'body': {
      const body = doc.getXmlFragment(BODY_FIELD);
      body.delete(...range(body.length));
      return;
    }
    case 'annex': {
      const annex = doc.getMap(ANNEX_FIELD);
      const key = pickFrom([...annex.keys()].sort(), action.from);
      if (key === null) throw new UnforgeableError('no annex table');
      annex.delete(key);
      return;
    }
    case 'annex-cells': {
      const annex = doc.getMap<unknown>(ANNEX_FIELD);
      const table = annex.get(pickFrom([...annex.keys()].sort(), action.target.pick) ?? '');
      if (!(table instanceof Y.Map)) throw new UnforgeableError('no annex table');
      const keys = [...table.keys()].sort();
      const [from, length] = range(keys.length);
      doc.transact(() => {
        for (const key of keys.slice(from, from + length)) table.delete(key);
      });
      return;
    }
  }
}

function annexEdit(doc: Y.Doc, op: AnnexOp, _context: ForgeContext): void {
  const annex = doc.getMap<unknown>(ANNEX_FIELD);
  const tableIdOf = (ref: Extract<AnnexOp, { table: unknown }>['table']) => (ref.kind === 'named' ? ref.id : pickFrom([...annex.keys()].sort(), ref.pick) ?? 'B');
  const tableOf = (ref: Extract<AnnexOp, { table: unknown }>['table']) => {
    const table = annex.get(tableIdOf(ref));
    if (!(table instanceof Y.Map)) throw new UnforgeableError(`no annex table ${tableIdOf(ref)}`);
    return table;
  };
  const keyOf = (table: Y.Map<unknown>, ref: Extract<AnnexOp, { key: unknown }>['key']) => (ref.kind === 'named' ? ref.key : pickFrom([...table.keys()].sort(), ref.pick) ?? 'new:natural');
  switch (op.kind) {
    case 'set-cell': {
      const table = tableOf(op.table);
      table.set(keyOf(table, op.key), materialize(op.value));
      return;
    }
    case 'nested-cell': {
      const table = tableOf(op.table);
      table.set(keyOf(table, op.key), op.type === 'map' ? new Y.Map() : op.type === 'array' ? new Y.Array() : new Y.XmlElement('paragraph'));
      return;
    }
    case 'replace-table': {
      const forged = new Y.Map<number>();
      forged.set('new:natural', 5);
      annex.set(tableIdOf(op.table), forged);
      return;
    }
    case 'new-table':
      annex.set(op.id, new Y.Map());
      return;
    case 'delete-table':
      annex.delete(tableIdOf(op.table));
      return;
    case 'delete-cell': {
      const table = tableOf(op.table);
      table.delete(keyOf(table, op.key));
      return;
    }
  }
}

// ——— structs forged by hand

type Struct = Y.Item | Y.GC | Y.Skip;

/** The ids a forger can point at, by pool: items of its own and others' sections, sections, annex, deleted, garbage-collected. */
class IdPools {
  private readonly pools = new Map<string, Struct[]>();
  private readonly clients: number[];

  constructor(
    private readonly doc: Y.Doc,
    context: ForgeContext,
    private readonly updateStructs: readonly Struct[],
  ) {
    const body = doc.getXmlFragment(BODY_FIELD) as unknown as Y.AbstractType<unknown>;
    const annex = doc.getMap(ANNEX_FIELD) as unknown as Y.AbstractType<unknown>;
    const add = (pool: string, struct: Struct) => {
      let list = this.pools.get(pool);
      if (!list) this.pools.set(pool, (list = []));
      list.push(struct);
    };
    for (const structs of doc.store.clients.values()) {
      for (const struct of structs) {
        if (struct instanceof Y.GC) {
          add('gc', struct);
          continue;
        }
        if (struct.deleted) add('deleted', struct);
        // Up to the body or the annex, without recursion.
        let current: Y.Item | null = struct;
        while (current) {
          const parent = current.parent as Y.AbstractType<unknown> | null;
          if (parent === annex) {
            add('annex', struct);
            break;
          }
          if (parent === body) {
            const sectionId = current.content instanceof Y.ContentType ? sectionIdOf(current.content.type) : null;
            if (current === struct) add('section', struct);
            else add(sectionId && context.ownSections.has(sectionId) ? 'own' : 'other', struct);
            break;
          }
          current = parent?._item ?? null;
        }
      }
    }
    this.clients = [...doc.store.clients.keys()].sort((a, b) => a - b);
  }

  id(choice: IdChoice): Y.ID {
    const clientAt = (pick: number) => this.clients[pick % Math.max(1, this.clients.length)] ?? 1;
    if (choice.pool === 'unknown-clock') {
      const client = clientAt(choice.pick);
      return Y.createID(client, Y.getState(this.doc.store, client) + (choice.pick % 7));
    }
    if (choice.pool === 'unknown-client') return Y.createID(1_000_000 + (choice.pick % 1000), choice.pick % 3);
    const pool = choice.pool === 'update' ? this.updateStructs : (this.pools.get(choice.pool) ?? this.pools.get('other') ?? []);
    const struct = pickFrom(pool, choice.pick);
    if (!struct) return Y.createID(clientAt(choice.pick), 0);
    return Y.createID(struct.id.client, struct.id.clock + (choice.pick % Math.max(1, struct.length)));
  }
}

function makeContent(spec: ContentSpec): AnyContent {
  switch (spec.kind) {
    case 'string':
      return new Y.ContentString(spec.text);
    case 'any':
      return new Y.ContentAny(spec.values.map(materialize));
    case 'format':
      return new Y.ContentFormat(spec.key, materialize(spec.value) as object);
    case 'type': {
      const types = {
        element: () => new Y.XmlElement(spec.name),
        text: () => new Y.XmlText(),
        map: () => new Y.Map(),
        array: () => new Y.Array(),
        ytext: () => new Y.Text(),
        fragment: () => new Y.XmlFragment(),
        hook: () => new Y.XmlHook(spec.name),
      };
      return new Y.ContentType(types[spec.type]() as unknown as Y.AbstractType<unknown>);
    }
    case 'deleted':
      return new Y.ContentDeleted(spec.length);
    case 'embed':
      return new Y.ContentEmbed(materialize(spec.value) as object);
    case 'binary':
      return new Y.ContentBinary(new Uint8Array(spec.length).fill(3));
    case 'json':
      return new Y.ContentJSON(spec.values.map(materialize));
    case 'doc':
      return new Y.ContentDoc(new Y.Doc());
  }
}

type AnyContent = Y.Item['content'];

interface MutableUpdate {
  /** Structs by client, in order; each client's clocks run on from `start`. */
  groups: Array<{ client: number; start: number; structs: Struct[] }>;
  deletes: Array<{ client: number; clock: number; length: number }>;
}

function decodeMutable(update: Uint8Array): MutableUpdate {
  const { structs, ds } = Y.decodeUpdate(update);
  const groups: MutableUpdate['groups'] = [];
  for (const struct of structs as Struct[]) {
    const last = groups[groups.length - 1];
    if (last && last.client === struct.id.client) last.structs.push(struct);
    else groups.push({ client: struct.id.client, start: struct.id.clock, structs: [struct] });
  }
  const deletes: MutableUpdate['deletes'] = [];
  for (const [client, ranges] of ds.clients) for (const range of ranges) deletes.push({ client, clock: range.clock, length: range.len });
  return { groups, deletes };
}

/** Writes structs the way Yjs does (format v1), but whatever they say: origins, parents and clocks as the forger set them. */
export function encodeMutable(update: MutableUpdate): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const groups = update.groups.filter((group) => group.structs.length > 0);
  encoding.writeVarUint(encoder.restEncoder, groups.length);
  for (const group of groups) {
    encoding.writeVarUint(encoder.restEncoder, group.structs.length);
    encoder.writeClient(group.client);
    encoding.writeVarUint(encoder.restEncoder, group.start);
    for (const struct of group.structs) writeStruct(encoder, struct);
  }
  const byClient = new Map<number, Array<{ clock: number; length: number }>>();
  for (const { client, clock, length } of update.deletes) byClient.set(client, [...(byClient.get(client) ?? []), { clock, length }]);
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, ranges] of byClient) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoder.writeDsClock(range.clock);
      encoder.writeDsLen(range.length);
    }
  }
  return encoder.toUint8Array();
}

const GC_REF = 0;
const SKIP_REF = 10;

function writeStruct(encoder: Y.UpdateEncoderV1, struct: Struct): void {
  if (struct instanceof Y.GC) {
    encoder.writeInfo(GC_REF);
    encoder.writeLen(struct.length);
    return;
  }
  if (struct instanceof Y.Skip) {
    encoder.writeInfo(SKIP_REF);
    encoding.writeVarUint(encoder.restEncoder, struct.length);
    return;
  }
  const item = struct;
  const info = (item.content.getRef() & 0b11111) | (item.origin ? 0b1000_0000 : 0) | (item.rightOrigin ? 0b0100_0000 : 0) | (item.parentSub !== null ? 0b0010_0000 : 0);
  encoder.writeInfo(info);
  if (item.origin) encoder.writeLeftID(item.origin);
  if (item.rightOrigin) encoder.writeRightID(item.rightOrigin);
  if (!item.origin && !item.rightOrigin) {
    // A decoded item names its parent as a root's name or an item's id.
    const parent = item.parent as unknown;
    if (parent instanceof Y.ID) {
      encoder.writeParentInfo(false);
      encoder.writeLeftID(parent);
    } else {
      encoder.writeParentInfo(true);
      encoder.writeString(typeof parent === 'string' ? parent : BODY_FIELD);
    }
    if (item.parentSub !== null) encoder.writeString(item.parentSub);
  }
  item.content.write(encoder, 0);
}

function mutateStructs(update: Uint8Array, overlap: number, mutations: readonly StructMutation[], pools: (structs: readonly Struct[]) => IdPools): Uint8Array {
  const mutable = decodeMutable(update);
  // The first structs start `overlap` clocks earlier, over clocks the server already has: Yjs
  // integrates only their new part, next to what it has at the clock before.
  const first = mutable.groups[0];
  if (first && overlap > 0) first.start = Math.max(0, first.start - overlap);
  const all = () => mutable.groups.flatMap((group) => group.structs);
  const idPools = pools(all());
  const groupOf = (struct: Struct) => mutable.groups.find((group) => group.structs.includes(struct))!;
  for (const mutation of mutations) {
    if (mutation.kind === 'delete-range') {
      const at = idPools.id(mutation.at);
      mutable.deletes.push({ client: at.client, clock: at.clock, length: mutation.length });
      continue;
    }
    const structs = all();
    if (structs.length === 0) continue;
    const struct = structs[mutation.struct % structs.length]!;
    const item = struct instanceof Y.Item ? struct : null;
    switch (mutation.kind) {
      case 'origin':
        if (item) item.origin = mutation.to ? idPools.id(mutation.to) : null;
        break;
      case 'right-origin':
        if (item) item.rightOrigin = mutation.to ? idPools.id(mutation.to) : null;
        break;
      case 'parent':
        if (item) {
          item.origin = null;
          item.rightOrigin = null;
          item.parent = ('root' in mutation.to ? mutation.to.root : idPools.id(mutation.to)) as unknown as Y.ID;
        }
        break;
      case 'parent-sub':
        if (item) item.parentSub = mutation.to;
        break;
      case 'content':
        if (item) {
          item.content = makeContent(mutation.to);
          item.length = item.content.getLength();
        }
        break;
      case 'client': {
        const client = idPools.id(mutation.to).client;
        const from = groupOf(struct);
        from.structs.splice(from.structs.indexOf(struct), 1);
        const into = mutable.groups.find((group) => group.client === client);
        if (into) into.structs.push(struct);
        else mutable.groups.push({ client, start: 0, structs: [struct] });
        break;
      }
      case 'start-clock': {
        const group = groupOf(struct);
        group.start = Math.max(0, group.start + mutation.delta);
        break;
      }
      case 'skip': {
        const group = groupOf(struct);
        group.structs.splice(group.structs.indexOf(struct), 0, new Y.Skip(Y.createID(group.client, 0), mutation.length));
        break;
      }
      case 'drop': {
        const group = groupOf(struct);
        group.structs.splice(group.structs.indexOf(struct), 1);
        break;
      }
      case 'duplicate': {
        const group = groupOf(struct);
        group.structs.splice(group.structs.indexOf(struct), 0, struct);
        break;
      }
    }
  }
  return encodeMutable(mutable);
}

function mutateBytes(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let result = Array.from(bytes);
  for (const mutation of mutations) {
    if (result.length === 0) break;
    const at = mutation.at % result.length;
    switch (mutation.kind) {
      case 'flip':
        result[at] = result[at]! ^ (1 << mutation.bit);
        break;
      case 'set':
        result[at] = mutation.byte;
        break;
      case 'insert':
        result.splice(at, 0, ...mutation.bytes);
        break;
      case 'remove':
        result.splice(at, mutation.length);
        break;
      case 'truncate':
        result = result.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(result);
}

// ——— the whole action

/** A throwaway copy of the replica writing under `clientID` (set after loading: Yjs renames a client whose id arrives from outside). */
export function copyOf(replica: Y.Doc, clientID = replica.clientID): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(replica));
  copy.clientID = clientID;
  return copy;
}

/**
 * The update `change` makes: on the replica itself for an honest edit (which must be accepted as
 * made), else on a throwaway copy, since the replica must hold only what the server accepted.
 */
function forgeOn(replica: Y.Doc, change: (doc: Y.Doc) => void, onCopy: { clientID?: number } | null): Uint8Array {
  const doc = onCopy ? copyOf(replica, onCopy.clientID) : replica;
  try {
    const before = Y.encodeStateVector(doc);
    change(doc);
    return Y.encodeStateAsUpdate(doc, before);
  } finally {
    if (onCopy) doc.destroy();
  }
}

/** The update a (mutated) frame still carries, if it still is a document message. */
function updateIn(frame: Uint8Array): Uint8Array | null {
  try {
    const message = parseMessage(frame);
    return message.type === 'sync-update' || message.type === 'sync-step-2' ? message.update : null;
  } catch {
    return null;
  }
}

const asUpdate = (payload: Uint8Array, honest = false): ForgedFrame => ({ frame: encodeSyncUpdate(payload), payload, honest });

/**
 * The frame finance's hostile client sends for `action`; throws UnforgeableError when there is
 * nothing to send (an honest edit may then have been half made on the replica: the client rejoins).
 */
export function forgeAction(replica: Y.Doc, action: FuzzAction, context: ForgeContext): ForgedFrame {
  try {
    return forgeFrame(replica, action, context);
  } catch (error) {
    if (error instanceof UnforgeableError) throw error;
    // Yjs's own encoder refuses some values (a bigint in JSON content): nothing to send.
    throw new UnforgeableError(`the forger's Yjs threw: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function forgeFrame(replica: Y.Doc, action: FuzzAction, context: ForgeContext): ForgedFrame {
  switch (action.kind) {
    case 'honest':
      return asUpdate(forgeOn(replica, (doc) => makeHonestEdit(doc, action.edit, context), null), true);
    case 'foreign-client': {
      const clientID = context.foreignIds.get(action.owner);
      if (clientID == null) throw new UnforgeableError(`no client id of ${action.owner}`);
      return asUpdate(forgeOn(replica, (doc) => makeHonestEdit(doc, action.edit, context), { clientID }));
    }
    case 'structs': {
      const clientID = action.writeAs ? context.foreignIds.get(action.writeAs) : undefined;
      if (clientID === null) throw new UnforgeableError(`no client id of ${action.writeAs}`);
      const base = forgeOn(replica, (doc) => makeHonestEdit(doc, action.base, context), { clientID });
      return asUpdate(mutateStructs(base, action.overlap, action.mutations, (structs) => new IdPools(replica, context, structs)));
    }
    case 'bytes': {
      const base = forgeOn(replica, (doc) => makeHonestEdit(doc, action.base, context), {});
      if (action.envelope) {
        const frame = mutateBytes(encodeSyncUpdate(base), action.mutations);
        return { frame, payload: updateIn(frame), honest: false };
      }
      return asUpdate(mutateBytes(base, action.mutations));
    }
    case 'replay': {
      const payload = pickFrom(context.sent, action.pick);
      if (!payload) throw new UnforgeableError('nothing sent yet');
      return { frame: action.as === 'update' ? encodeSyncUpdate(payload) : encodeSyncStep2(payload), payload, honest: false };
    }
    default:
      // On a copy: what Yjs sends can differ from what the forger's document holds (formatting
      // travels as JSON, so NaN arrives as null); the replica takes what was sent, once accepted.
      return asUpdate(forgeOn(replica, (doc) => hostileEdit(doc, action, context), {}));
  }
}
