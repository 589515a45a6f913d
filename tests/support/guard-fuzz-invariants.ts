import type { MarkType, NodeType } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { annexCellChecker, findFormat } from '../../blocks/annex/formats/index.js';
import { ANNEX_FIELD, ANNEX_TABLE_ID_PATTERN, BODY_FIELD, isAnnexCellKey, isAnnexCellValue } from '../../blocks/contract.js';
import { contentLimits } from '../../blocks/content-limits.js';
import { reportSchema } from '../../blocks/extensions.js';
import { markNameOfKey, readBodyJSON } from '../../blocks/report-json.js';
import { SECTION_NODE } from '../../blocks/section/section.js';

// What the fuzzer compares and checks. Fingerprints read the Yjs types themselves — item ids,
// every live attribute entry (also one named "__proto__", which `getAttributes()` would hide),
// text with its formatting — without recursion, so a document nested thousands deep is read too.

const describeId = (id: Y.ID) => `${id.client}:${id.clock}`;

/** Any Yjs type, whatever its event and content types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

/** JSON that also shows what JSON drops or cannot hold (undefined, bigint, bytes, NaN, a forged prototype). */
export function showValue(value: unknown): string {
  // Most values are plain: strings, finite numbers, null.
  if (typeof value === 'string' || value === null || (typeof value === 'number' && Number.isFinite(value))) return JSON.stringify(value);
  return (
    JSON.stringify(value, (_key, inner: unknown) => {
      if (inner === undefined) return '〈undefined〉';
      if (typeof inner === 'bigint') return `〈bigint ${inner}〉`;
      if (typeof inner === 'number' && !Number.isFinite(inner)) return `〈${inner}〉`;
      if (inner instanceof Uint8Array) return `〈${inner.length} bytes〉`;
      if (inner instanceof Y.AbstractType) return `〈${inner.constructor.name}〉`;
      if (inner && typeof inner === 'object' && !Array.isArray(inner) && Object.getPrototypeOf(inner) !== Object.prototype && Object.getPrototypeOf(inner) !== null) {
        return { '〈prototype〉': Object.getPrototypeOf(inner) as unknown, ...(inner as object) };
      }
      return inner;
    }) ?? 'undefined'
  );
}

/** Every live entry of a type's map part (an element's attributes, an annex table's cells), by key. */
export function liveEntries(type: AnyType): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [];
  for (const [key, item] of (type as unknown as { _map: Map<string, Y.Item> })._map) {
    if (item.deleted) continue;
    const content = item.content.getContent();
    entries.push([key, content[content.length - 1]]);
  }
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const showEntries = (entries: ReadonlyArray<[string, unknown]>) => entries.map(([key, value]) => `${JSON.stringify(key)}=${showValue(value)}`).join(',');

const itemId = (type: AnyType) => (type._item ? describeId(type._item.id) : 'root');

/** An element and everything in it, byte for byte as far as anyone could see: ids, names, attributes, text, formatting. */
export function fingerprintElement(element: Y.XmlElement): string {
  const parts: string[] = [];
  const pending: Array<AnyType | string> = [element];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (typeof node === 'string') {
      parts.push(node);
    } else if (node instanceof Y.XmlText) {
      // Text and formatting come from strings and JSON: plain JSON shows them exactly.
      parts.push(`[text ${itemId(node)} ${JSON.stringify(node.toDelta())}]`);
    } else if (node instanceof Y.XmlElement) {
      parts.push(`<${showValue(node.nodeName)} ${itemId(node)} ${showEntries(liveEntries(node))}>`);
      pending.push('</>');
      const children = node.toArray();
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
    } else {
      parts.push(`[${node.constructor.name} ${itemId(node)}]`);
    }
  }
  return parts.join('');
}

/** The body's list of top-level nodes and their attributes, and the annex's list of tables: what only the lead office changes. */
export function fingerprintStructure(doc: Y.Doc): string {
  const body = doc.getXmlFragment(BODY_FIELD);
  const top = body.toArray().map((node) => (node instanceof Y.XmlElement ? `<${node.nodeName} ${itemId(node)} ${showEntries(liveEntries(node))}>` : `[${node.constructor.name} ${itemId(node)}]`));
  const annex = doc.getMap<unknown>(ANNEX_FIELD);
  const tables = [...annex.keys()].sort().map((key) => {
    const table = annex.get(key);
    return `${key}=${table instanceof Y.AbstractType ? itemId(table) : showValue(table)}`;
  });
  return `${top.join('')}|${tables.join(',')}`;
}

export function fingerprintTable(doc: Y.Doc, tableId: string): string {
  const table = doc.getMap<unknown>(ANNEX_FIELD).get(tableId);
  if (!(table instanceof Y.Map)) return showValue(table);
  return `${itemId(table)} ${showEntries(liveEntries(table))}`;
}

/** The whole report: body and annex. Two documents with equal fingerprints show everyone the same report. */
export function fingerprintDocument(doc: Y.Doc): string {
  const body = doc
    .getXmlFragment(BODY_FIELD)
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? fingerprintElement(node) : `[${node.constructor.name} ${itemId(node)} ${node.toString()}]`));
  const annex = [...doc.getMap(ANNEX_FIELD).keys()].sort().map((key) => `${key}:${fingerprintTable(doc, key)}`);
  return `${body.join('\n')}\n${annex.join('\n')}`;
}

export function sectionElements(doc: Y.Doc): Map<string, Y.XmlElement> {
  const sections = new Map<string, Y.XmlElement>();
  for (const node of doc.getXmlFragment(BODY_FIELD).toArray()) {
    if (!(node instanceof Y.XmlElement) || node.nodeName !== SECTION_NODE) continue;
    const id: unknown = node.getAttribute('sectionId');
    if (typeof id === 'string' && !sections.has(id)) sections.set(id, node);
  }
  return sections;
}

// ——— validity for the schema

interface AttributeSpecOf {
  hasDefault: boolean;
  default: unknown;
  validate?: (value: unknown) => void;
}

const attributesOf = (type: NodeType | MarkType) => (type as unknown as { attrs: Record<string, AttributeSpecOf> }).attrs;

/** Why these attributes cannot be the type's: an unknown name, or a value (given, or the default taken for it) its rule refuses. */
function attributeProblem(type: NodeType | MarkType, entries: ReadonlyArray<[string, unknown]>): string | null {
  const declared = attributesOf(type);
  const given = new Map(entries);
  for (const [name] of entries) if (!(name in declared)) return `unknown attribute ${showValue(name)}`;
  for (const [name, spec] of Object.entries(declared)) {
    let value = given.get(name);
    if (value === undefined) {
      if (!spec.hasDefault) return `attribute "${name}" missing and without default`;
      value = spec.default;
    }
    try {
      spec.validate?.(value);
    } catch (error) {
      return `attribute "${name}" = ${showValue(value).slice(0, 80)}${given.has(name) ? '' : ' (its default, the attribute being absent)'}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return null;
}

function formattingProblems(text: Y.XmlText): string[] {
  const problems: string[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== 'string') {
      problems.push(`text ${itemId(text)} embeds ${showValue(op.insert).slice(0, 80)}`);
      continue;
    }
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      const markType = reportSchema.marks[markNameOfKey(key)];
      const where = `formatting ${showValue(key)} of text ${itemId(text)}`;
      if (!markType) problems.push(`${where}: no such mark`);
      else if (value === null || typeof value !== 'object' || Array.isArray(value)) problems.push(`${where}: attributes ${showValue(value).slice(0, 80)} are not an object`);
      else if (Object.getPrototypeOf(value) !== Object.prototype) problems.push(`${where}: attributes object with a forged prototype ${showValue(value).slice(0, 120)}`);
      else {
        const problem = attributeProblem(markType, Object.entries(value));
        if (problem) problems.push(`${where}: ${problem}`);
      }
    }
  }
  return problems;
}

/**
 * What in the live document no client could show: elements nested past the limit, sections and
 * table rows larger than the limits, elements the
 * schema does not have, attributes and formatting its rules refuse (unknown names, bad values, and
 * absent attributes whose default the rule refuses), content out of place (ProseMirror's own
 * `nodeFromJSON(...).check()`), duplicate or missing section ids, annex cells the format lacks.
 */
export function schemaProblems(doc: Y.Doc, format: string | null): string[] {
  const problems: string[] = [];
  const body = doc.getXmlFragment(BODY_FIELD);
  const seenSections = new Set<string>();
  const pending: Array<{ element: Y.XmlElement; depth: number }> = [];
  for (const node of body.toArray()) {
    if (!(node instanceof Y.XmlElement) || node.nodeName !== SECTION_NODE) {
      problems.push(`top-level ${node.constructor.name} ${itemId(node)} is not a section`);
      continue;
    }
    const id = node.getAttribute('sectionId') as unknown;
    if (typeof id === 'string' && seenSections.has(id)) problems.push(`section id ${id} is used twice`);
    if (typeof id === 'string') seenSections.add(id);
    pending.push({ element: node, depth: 1 });
  }
  let tooDeep = false;
  /** Each section's size as the limit counts it: characters, and one per element inside. */
  const sizes = new Map<Y.XmlElement, number>();
  const sectionOf = new Map<Y.XmlElement, Y.XmlElement>();
  while (pending.length > 0) {
    const { element, depth } = pending.pop()!;
    const section = depth === 1 ? element : sectionOf.get(element)!;
    sizes.set(section, (sizes.get(section) ?? 0) + (depth === 1 ? 0 : 1));
    const where = `<${showValue(element.nodeName).slice(0, 40)}> ${itemId(element)}`;
    if (depth > contentLimits.maxDepth && !tooDeep) {
      tooDeep = true;
      problems.push(`${where} nests ${depth} deep, past maxDepth ${contentLimits.maxDepth}`);
    }
    const nodeType = reportSchema.nodes[element.nodeName];
    if (!nodeType) problems.push(`${where}: no such element in the schema`);
    else {
      const problem = attributeProblem(nodeType, liveEntries(element));
      if (problem) problems.push(`${where}: ${problem}`);
    }
    let rowWidth = 0;
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlElement) {
        pending.push({ element: child, depth: depth + 1 });
        sectionOf.set(child, section);
        const colspan: unknown = child.getAttribute('colspan');
        rowWidth += typeof colspan === 'number' && colspan > 0 ? colspan : 1;
      } else if (child instanceof Y.XmlText) {
        problems.push(...formattingProblems(child));
        sizes.set(section, sizes.get(section)! + child.length);
      } else problems.push(`${where} holds a ${(child as object).constructor.name}`);
    }
    if (element.nodeName === 'tableRow' && rowWidth > contentLimits.maxTableColumns) problems.push(`${where} is ${rowWidth} columns wide, past maxTableColumns ${contentLimits.maxTableColumns}`);
  }
  for (const [section, size] of sizes) {
    if (size > contentLimits.maxSectionLength) problems.push(`section ${showValue(section.getAttribute('sectionId'))} holds ${size}, past maxSectionLength ${contentLimits.maxSectionLength}`);
  }
  // ProseMirror's own judgement of content and marks; its reading recurses, so only within the depth limit.
  if (!tooDeep) {
    try {
      const node = reportSchema.nodeFromJSON(readBodyJSON(doc));
      node.check();
    } catch (error) {
      problems.push(`ProseMirror: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  problems.push(...annexProblems(doc, format));
  problems.push(...integrityProblems(doc));
  return problems;
}

/**
 * Whether the document's own bookkeeping agrees with its content: each type's length with the
 * items in its list, each map key's current value with the end of that key's chain. An item
 * linked into one type's list while naming another as its parent breaks both, invisibly to a
 * reading of the content, until an editor computes a position from the length.
 */
export function integrityProblems(doc: Y.Doc): string[] {
  const problems: string[] = [];
  const pending: AnyType[] = [doc.getXmlFragment(BODY_FIELD), doc.getMap(ANNEX_FIELD)];
  while (pending.length > 0) {
    const type = pending.pop()!;
    let counted = 0;
    for (let item = type._start; item !== null; item = item.right) {
      if (item.parent !== type) problems.push(`item ${describeId(item.id)} is in the list of ${itemId(type)} but names ${item.parent instanceof Y.AbstractType ? itemId(item.parent) : 'another'} as its parent`);
      if (!item.deleted && item.countable) counted += item.length;
      if (item.content instanceof Y.ContentType) pending.push(item.content.type);
    }
    if (counted !== type._length) problems.push(`${type.constructor.name} ${itemId(type)} has length ${type._length} but holds ${counted}`);
    for (const [key, item] of (type as unknown as { _map: Map<string, Y.Item> })._map) {
      if (item.right !== null) problems.push(`the value of ${showValue(key)} in ${itemId(type)} is not the last of its chain (${describeId(item.right.id)} follows)`);
      if (item.parent !== type) problems.push(`the value of ${showValue(key)} in ${itemId(type)} names another parent`);
      if (item.content instanceof Y.ContentType) pending.push(item.content.type);
    }
  }
  return problems.slice(0, 5);
}

function annexProblems(doc: Y.Doc, format: string | null): string[] {
  const problems: string[] = [];
  const definition = format ? findFormat(format) : null;
  const hasCell = definition ? annexCellChecker(definition) : null;
  for (const [tableId, table] of liveEntries(doc.getMap(ANNEX_FIELD))) {
    if (!ANNEX_TABLE_ID_PATTERN.test(tableId)) problems.push(`annex table id ${showValue(tableId)}`);
    if (!(table instanceof Y.Map)) {
      problems.push(`annex ${showValue(tableId)} is ${showValue(table).slice(0, 60)}, not a table`);
      continue;
    }
    for (const [key, value] of liveEntries(table)) {
      if (!isAnnexCellKey(key) || !isAnnexCellValue(value)) problems.push(`annex ${tableId} cell ${showValue(key)} = ${showValue(value).slice(0, 60)}`);
      else if (hasCell && !hasCell(tableId, key)) problems.push(`annex ${tableId} has cell ${key}, which the format does not`);
    }
  }
  return problems;
}
