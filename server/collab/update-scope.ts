import * as Y from 'yjs';
import { runAtClock } from './clock-runs.js';
import { ANNEX_FIELD, BODY_FIELD, SUGGESTIONS_FIELD, isAnnexCellKey, isAnnexCellValue } from '../../blocks/contract.js';
import { suggestionEntryProblem, type SuggestionEntry } from '../../blocks/suggestions.js';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';
import { contentLimits } from '../../blocks/content-limits.js';
import { reportSchema } from '../../blocks/extensions.js';
import { markNameOfKey } from '../../blocks/report-json.js';
import { SECTION_NODE } from '../../blocks/section/section.js';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** A change only the lead office may make: it alters the report's shape, not a section's text. */
export interface StructureChange {
  kind: 'add-top-level' | 'delete-section' | 'section-attribute' | 'annex-table';
  /** The section concerned, when there is one. */
  sectionId: string | null;
  detail: string;
}

/** What an update touches, found before it is applied. */
export interface UpdateScope {
  /** Sections whose content (not attributes) the update edits. */
  sections: Set<string>;
  /** Annex tables whose cells the update writes. */
  tables: Set<string>;
  structure: StructureChange[];
  /** Items of the update whose content can never be valid; the update must be refused. */
  invalid: string[];
  /** Ids of existing or new Xml types whose children or attributes change: checked for the schema after applying. */
  changedParents: Y.ID[];
  /** The body's list of sections changes. */
  bodyChanged: boolean;
  /** An annex table node was added or removed, so which section holds which table may change. */
  annexNodesChanged: boolean;
  /** Characters (and elements, one each) the update adds to each existing section. */
  growth: Map<string, number>;
  /** Suggestions the update writes, by key; where they point is checked against the report once the guard allows them. */
  suggestionsWritten: Array<{ key: string; entry: SuggestionEntry }>;
  /** Keys of pending suggestions the update removes (withdraws). */
  suggestionsRemoved: string[];
}

/**
 * Where the children of a type live, seen from the permission model. `depth` counts the elements
 * from the body down to the type itself, the section being 1: a child element is one deeper.
 */
type Place =
  | { kind: 'section'; sectionId: string; isSectionItself: boolean; depth: number }
  | { kind: 'new-section'; depth: number }
  | { kind: 'table'; tableId: string }
  | { kind: 'inside-table' }
  | { kind: 'removed' }
  /** A parent that holds no type, or a cycle of parents: nothing can be written there. */
  | { kind: 'unresolvable' };

const REMOVED_PLACE: Place = { kind: 'removed' };
const UNRESOLVABLE_PLACE: Place = { kind: 'unresolvable' };

const describeId = (id: Y.ID) => `${id.client}:${id.clock}`;

/** The parent of an item written next to content the report has removed and garbage-collected. */
const REMOVED = Symbol('removed');
/** A root's name, the item holding the parent type, REMOVED, or null when unresolvable. */
type Parent = string | Y.Item | typeof REMOVED | null;

/** The Yjs type an item holds, when it holds one. */
function typeOf(item: Y.Item): Y.AbstractType<unknown> | null {
  return item.content instanceof Y.ContentType ? (item.content.type as Y.AbstractType<unknown>) : null;
}

/**
 * Words written into, or removed from, a paragraph's text: plain typing, which cannot break the
 * schema — text is what the paragraph holds, and words carry no marks of their own (formatting is
 * items of its own). Checking the paragraph after every keystroke cost more than judging it.
 */
function wordsInText(item: Y.Item, parent: Y.Item, parentSub: string | null): boolean {
  return item.content instanceof Y.ContentString && parentSub === null && typeOf(parent) instanceof Y.XmlText;
}

/**
 * Resolves every new item and every live deletion of an update to the section or annex table it
 * belongs to, reading only the update and the items it refers to (a keystroke walks three
 * parents). Items name their parent directly, or implicitly through a neighbour; both are
 * followed inside the update first, then in the report.
 */
export function resolveUpdateScope(doc: Y.Doc, decoded: DecodedUpdate, annexCellAllowed?: AnnexCellCheck): UpdateScope {
  return new ScopeResolver(doc, decoded, annexCellAllowed).resolve();
}

/** Whether the report's format has cell `key` in table `tableId`. */
export type AnnexCellCheck = (tableId: string, key: string) => boolean;

class ScopeResolver {
  private readonly store: Y.Doc['store'];
  private readonly body: Y.AbstractType<unknown>;
  private readonly annex: Y.AbstractType<unknown>;
  private readonly suggestions: Y.AbstractType<unknown>;
  /** New structs of the update by client, sorted by clock (as the update encodes them). */
  private readonly updateStructs = new Map<number, Y.Item[]>();
  private readonly updateItems = new Set<Y.Item>();
  private readonly places = new Map<Y.Item, Place>();
  private formats = 0;
  /** Table rows whose cells or spans the update changes, with what it sets and removes, to bound their width. */
  private readonly tableRows = new Set<Y.Item>();
  private readonly newCells = new Map<Y.Item, Y.Item[]>();
  private readonly newSpans = new Map<Y.Item, unknown>();
  private readonly deletedCells = new Set<Y.Item>();
  /** Live items this update deletes; attribute entries among them, and attributes it sets, by element. */
  private readonly deletedNow = new Set<Y.Item>();
  private readonly removedAttributes: Y.Item[] = [];
  private readonly setAttributes = new Set<string>();
  /** Parents and map keys that update items name only through a neighbour, found once each. */
  private readonly impliedParents = new Map<Y.Item, Parent>();
  private readonly impliedSubs = new Map<Y.Item, string | null>();
  private readonly scope: UpdateScope = {
    sections: new Set(),
    tables: new Set(),
    structure: [],
    invalid: [],
    changedParents: [],
    bodyChanged: false,
    annexNodesChanged: false,
    growth: new Map(),
    suggestionsWritten: [],
    suggestionsRemoved: [],
  };
  private readonly changedParentKeys = new Set<string>();

  constructor(
    doc: Y.Doc,
    private readonly decoded: DecodedUpdate,
    private readonly annexCellAllowed: AnnexCellCheck | undefined,
  ) {
    this.store = doc.store;
    this.body = doc.getXmlFragment(BODY_FIELD) as unknown as Y.AbstractType<unknown>;
    this.annex = doc.getMap(ANNEX_FIELD) as unknown as Y.AbstractType<unknown>;
    this.suggestions = doc.getMap(SUGGESTIONS_FIELD) as unknown as Y.AbstractType<unknown>;
    for (const struct of decoded.structs) {
      if (!(struct instanceof Y.Item)) continue;
      let list = this.updateStructs.get(struct.id.client);
      if (!list) this.updateStructs.set(struct.id.client, (list = []));
      list.push(struct);
      this.updateItems.add(struct);
    }
  }

  resolve(): UpdateScope {
    for (const struct of this.decoded.structs) {
      if (!(struct instanceof Y.Item)) continue;
      if (struct.id.clock + struct.length <= Y.getState(this.store, struct.id.client)) continue;
      this.classifyNewItem(struct);
    }
    for (const [client, ranges] of this.decoded.ds.clients) {
      for (const range of ranges) this.classifyDeletion(client, range.clock, range.clock + range.len);
    }
    for (const row of this.tableRows) this.checkRowWidth(row);
    this.checkRemovedAttributes();
    return this.scope;
  }

  /**
   * An attribute whose default fails its rule is required: removing it (not replacing it, and not
   * with its whole element) would leave an element no client can show.
   */
  private checkRemovedAttributes(): void {
    for (const item of this.removedAttributes) {
      const element = item.parent as Y.XmlElement;
      const holder = element._item;
      if (!holder || holder.deleted || this.deletedNow.has(holder) || this.setAttributes.has(`${describeId(holder.id)}:${item.parentSub}`)) continue;
      const refusal = attributeRemovalRefusal(element.nodeName, item.parentSub!);
      if (refusal) this.scope.invalid.push(`${refusal} (item ${describeId(item.id)})`);
    }
  }

  /** Notes a new cell, or a new span of a cell, so that its row's width is checked. */
  private noteTableCell(item: Y.Item, parent: Y.Item, parentSub: string | null): void {
    if (parentSub === null && isCell(item) && holdsNode(parent, 'tableRow')) {
      this.tableRows.add(parent);
      this.newCells.set(parent, [...(this.newCells.get(parent) ?? []), item]);
    } else if (parentSub === 'colspan' && isCell(parent) && item.content instanceof Y.ContentAny) {
      this.newSpans.set(parent, item.content.arr[0]);
      const row = this.isInDoc(parent) ? (parent.parent as Y.AbstractType<unknown> | null)?._item : null;
      if (row) this.tableRows.add(row);
    }
  }

  /** A row wider than the limit makes every editor that lays the table out slow to a halt. */
  private checkRowWidth(row: Y.Item): void {
    const spanOf = (cell: Y.Item, stored: unknown) => {
      const span = this.newSpans.has(cell) ? this.newSpans.get(cell) : stored;
      return typeof span === 'number' && span > 0 ? span : 1;
    };
    let width = 0;
    const type = typeOf(row);
    if (this.isInDoc(row) && type instanceof Y.XmlElement) {
      for (const cell of type.toArray()) {
        if (cell instanceof Y.XmlElement && cell._item && !this.deletedCells.has(cell._item)) width += spanOf(cell._item, cell.getAttribute('colspan'));
      }
    }
    for (const cell of this.newCells.get(row) ?? []) width += spanOf(cell, 1);
    if (width > contentLimits.maxTableColumns) {
      this.scope.invalid.push(`maxTableColumns: a table row of ${width} columns, more than ${contentLimits.maxTableColumns} (row ${describeId(row.id)})`);
    }
  }

  private classifyNewItem(item: Y.Item): void {
    const parent = this.parentOf(item);
    if (parent === null) {
      this.scope.invalid.push(`item ${describeId(item.id)} has no resolvable parent`);
      return;
    }
    if (parent === REMOVED) {
      this.notePlace(REMOVED_PLACE, null, null, `writes at ${describeId(item.id)}`);
      return;
    }
    const parentSub = this.parentSubOf(item);
    this.checkContentFits(item, parent, parentSub);
    if (typeof parent === 'string') {
      if (parent === SUGGESTIONS_FIELD) {
        const content = item.content;
        if (parentSub !== null && content instanceof Y.ContentAny && content.arr.length === 1) this.scope.suggestionsWritten.push({ key: parentSub, entry: content.arr[0] as SuggestionEntry });
        return;
      }
      if (parent === BODY_FIELD) {
        this.scope.bodyChanged = true;
        this.scope.structure.push({ kind: 'add-top-level', sectionId: null, detail: `adds a top-level node at ${describeId(item.id)}` });
      } else {
        this.scope.structure.push({ kind: 'annex-table', sectionId: null, detail: `creates annex table "${parentSub}"` });
      }
      return;
    }
    if (parentSub !== null) this.setAttributes.add(`${describeId(parent.id)}:${parentSub}`);
    const place = this.placeOf(parent);
    this.notePlace(place, wordsInText(item, parent, parentSub) ? null : parent, parentSub, `writes at ${describeId(item.id)}`);
    if (parentSub === null) this.noteGrowth(item, place);
    this.noteTableCell(item, parent, parentSub);
    if (this.holdsAnnexNode(item) || (parentSub !== null && this.holdsAnnexNode(parent))) this.noteAnnexNodeChange(place, `places or re-points an annex table at ${describeId(item.id)}`);
  }

  /** Counts what a new child adds to its section, and refuses an element nested past the limit. */
  private noteGrowth(item: Y.Item, place: Place): void {
    if (place.kind !== 'section' && place.kind !== 'new-section') return;
    const type = typeOf(item);
    if (type instanceof Y.XmlElement && place.depth + 1 > contentLimits.maxDepth) {
      this.scope.invalid.push(`maxDepth: elements nest deeper than ${contentLimits.maxDepth} levels (item ${describeId(item.id)})`);
    }
    if (place.kind !== 'section' || item.content instanceof Y.ContentFormat) return;
    const added = type ? 1 : item.length;
    this.scope.growth.set(place.sectionId, (this.scope.growth.get(place.sectionId) ?? 0) + added);
  }

  private classifyDeletion(client: number, from: number, to: number): void {
    const known = Y.getState(this.store, client);
    for (let clock = from; clock < Math.min(to, known); ) {
      const struct = Y.getItem(this.store, Y.createID(client, clock)) as Y.Item | Y.GC;
      clock = struct.id.clock + struct.length;
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      this.classifyLiveDeletion(struct);
    }
  }

  private classifyLiveDeletion(item: Y.Item): void {
    if (isCell(item)) this.deletedCells.add(item);
    const parentType = item.parent as Y.AbstractType<unknown> | null;
    if (item.parentSub !== null && parentType instanceof Y.XmlElement) this.removedAttributes.push(item);
    this.deletedNow.add(item);
    if (parentType === this.body) {
      this.scope.bodyChanged = true;
      const sectionId = sectionIdOf(item);
      this.scope.structure.push({ kind: 'delete-section', sectionId, detail: `deletes section ${sectionId ?? describeId(item.id)}` });
      return;
    }
    if (parentType === this.annex) {
      this.scope.structure.push({ kind: 'annex-table', sectionId: null, detail: `removes annex table "${item.parentSub}"` });
      return;
    }
    if (parentType === this.suggestions) {
      if (item.parentSub !== null) this.scope.suggestionsRemoved.push(item.parentSub);
      return;
    }
    // Inside content the report no longer has: deleting it again changes nothing anyone sees.
    if (!parentType?._item) return;
    const place = this.placeOf(parentType._item);
    this.notePlace(place, wordsInText(item, parentType._item, item.parentSub) ? null : parentType._item, item.parentSub, `deletes ${describeId(item.id)}`);
    if (this.holdsAnnexNode(item) || (item.parentSub !== null && this.holdsAnnexNode(parentType._item))) this.noteAnnexNodeChange(place, `removes an annex table at ${describeId(item.id)}`);
  }

  /**
   * Records what an edit at `place` (under `holder`, at map key `parentSub`) means. Without a
   * holder, the edit leaves its parent's schema as it was: nothing to check there.
   */
  private notePlace(place: Place, holder: Y.Item | null, parentSub: string | null, what: string): void {
    switch (place.kind) {
      case 'section':
        // Changed attributes are checked for the schema too: y-prosemirror deletes an element whose
        // attributes fail validation, in every client.
        if (place.isSectionItself && parentSub !== null) {
          this.scope.structure.push({ kind: 'section-attribute', sectionId: place.sectionId, detail: `changes attribute "${parentSub}" of section ${place.sectionId}` });
          if (holder) this.noteChangedParent(holder);
          return;
        }
        this.scope.sections.add(place.sectionId);
        // (A new element is checked in full through its parent, attributes included.)
        if (holder && (parentSub === null || this.isInDoc(holder))) this.noteChangedParent(holder);
        return;
      case 'new-section':
        if (parentSub === null && holder) this.noteChangedParent(holder);
        return;
      case 'table':
        this.scope.tables.add(place.tableId);
        return;
      case 'inside-table':
        this.scope.invalid.push(`${what}: annex cells hold numbers, not nested data`);
        return;
      case 'removed':
        // Content the report no longer has: Yjs keeps what is written there deleted (or discards
        // it), so no one sees it. A typist whose paragraph a co-editor just deleted sends this.
        return;
      case 'unresolvable':
        this.scope.invalid.push(`${what}: its parent holds no content, or its parents form a cycle`);
        return;
    }
  }

  private noteChangedParent(holder: Y.Item): void {
    const key = describeId(holder.id);
    if (this.changedParentKeys.has(key)) return;
    this.changedParentKeys.add(key);
    this.scope.changedParents.push(holder.id);
  }

  /**
   * Refuses content that no report can hold, whatever its position: Xml types hold elements and
   * text, elements' attributes are plain values, text holds strings and formatting of known marks,
   * annex cells hold a number or null.
   */
  private checkContentFits(item: Y.Item, parent: string | Y.Item, parentSub: string | null): void {
    const content = item.content;
    if (content instanceof Y.ContentDeleted) return;
    const where = `item ${describeId(item.id)}`;
    if (parent === ANNEX_FIELD) {
      if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) this.scope.invalid.push(`${where}: an annex table must be a map`);
      return;
    }
    if (parent === SUGGESTIONS_FIELD) {
      const problem = parentSub === null ? 'the suggestions map holds entries by key' : !(content instanceof Y.ContentAny) || content.arr.length !== 1 ? 'a suggestion is one plain value' : suggestionEntryProblem(content.arr[0]);
      if (problem) this.scope.invalid.push(`${where}: ${problem}`);
      return;
    }
    const parentType = typeof parent === 'string' ? null : typeOf(parent);
    if (parentType instanceof Y.Map) {
      if (!(content instanceof Y.ContentAny) || content.arr.length !== 1 || !isAnnexCellValue(content.arr[0]) || !parentSub || !isAnnexCellKey(parentSub)) {
        this.scope.invalid.push(`${where}: an annex cell is "row:column" → a number or null`);
        return;
      }
      const tableId = parentType._item?.parentSub;
      if (this.annexCellAllowed && tableId && !this.annexCellAllowed(tableId, parentSub)) {
        this.scope.invalid.push(`table ${tableId} has no cell "${parentSub}" (${where})`);
      }
      return;
    }
    if (parentSub !== null) {
      if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) {
        this.scope.invalid.push(`${where}: attribute "${parentSub}" must be a plain value`);
        return;
      }
      const refusal = parentType instanceof Y.XmlElement ? attributeRefusal(parentType.nodeName, parentSub, content.arr[0]) : 'text has no attributes';
      if (refusal) this.scope.invalid.push(`${refusal} (${where})`);
      return;
    }
    if (parentType instanceof Y.XmlText) {
      if (content instanceof Y.ContentString) return;
      if (content instanceof Y.ContentFormat) {
        if (++this.formats === contentLimits.maxFormatsPerUpdate + 1) {
          this.scope.invalid.push(`maxFormatsPerUpdate: more than ${contentLimits.maxFormatsPerUpdate} formatting changes in one update`);
        }
        const refusal = formatRefusal(content.key, content.value) ?? this.markPlacementRefusal(content.key, parent as Y.Item);
        if (refusal) this.scope.invalid.push(`${refusal} (${where})`);
        return;
      }
      this.scope.invalid.push(`${where}: text may hold only characters and formatting`);
      return;
    }
    const isXmlChild = content instanceof Y.ContentType && (content.type instanceof Y.XmlElement || content.type instanceof Y.XmlText);
    if (!isXmlChild) {
      this.scope.invalid.push(`${where}: the report body holds only elements and text`);
      return;
    }
    if (content.type instanceof Y.XmlElement && !this.isKnownNode(content.type.nodeName)) {
      this.scope.invalid.push(`${where}: unknown element <${content.type.nodeName}>`);
    }
  }

  private isKnownNode = (name: string) => knownNodes.has(name);

  /** Why formatting `key` cannot be in the text held by `textHolder`: the element around it allows no such mark. */
  private markPlacementRefusal(key: string, textHolder: Y.Item): string | null {
    const markType = reportSchema.marks[markNameOfKey(key)]!;
    const elementHolder = this.isInDoc(textHolder) ? ((textHolder.parent as Y.AbstractType<unknown> | null)?._item ?? null) : this.parentOf(textHolder);
    const element = elementHolder instanceof Y.Item ? typeOf(elementHolder) : null;
    if (!(element instanceof Y.XmlElement)) return null; // text outside any element is refused or repaired as such
    const nodeType = reportSchema.nodes[element.nodeName];
    if (!nodeType || nodeType.allowsMarkType(markType)) return null;
    return `<${element.nodeName}> allows no formatting "${markType.name}"`;
  }

  /**
   * Which section holds a table decides who writes its cells, so placing, removing or re-pointing
   * an annex table node is the lead office's: a department could otherwise claim another's table.
   */
  private noteAnnexNodeChange(place: Place, detail: string): void {
    this.scope.annexNodesChanged = true;
    const sectionId = place.kind === 'section' ? place.sectionId : null;
    // A node and its attributes arrive together: one change per section says it.
    if (this.scope.structure.some((change) => change.kind === 'annex-table' && change.sectionId === sectionId)) return;
    this.scope.structure.push({ kind: 'annex-table', sectionId, detail });
  }

  private holdsAnnexNode(item: Y.Item | null): boolean {
    if (!item) return false;
    const type = typeOf(item);
    return type instanceof Y.XmlElement && type.nodeName === ANNEX_TABLE_NODE;
  }

  /**
   * A root's name, or the item holding the type that is `item`'s parent; REMOVED when it was written
   * next to content the report has garbage-collected (Yjs discards it); null if unresolvable.
   * A paste or an offline session chains many new items through their neighbours: the chain is
   * walked once, without recursion, and remembered for every item on it.
   */
  private parentOf(item: Y.Item): Parent {
    const chain: Y.Item[] = [];
    let current: Y.Item | null = item;
    let found: Parent = null;
    while (current) {
      const parent: unknown = current.parent;
      if (typeof parent === 'string') {
        found = parent;
        break;
      }
      if (parent instanceof Y.ID) {
        found = this.findItem(parent) ?? (this.isCollected(parent) ? REMOVED : null);
        break;
      }
      const known = this.impliedParents.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      // Until resolved, an item on the chain counts as unresolvable: a cycle of neighbours ends here.
      this.impliedParents.set(current, null);
      chain.push(current);
      // No parent written: it is the parent of a neighbour this item was inserted next to (the left
      // one first). As Yjs decides, an item next to garbage-collected content on either side is
      // itself discarded.
      const neighbours = [current.origin, current.rightOrigin].filter((id): id is Y.ID => id !== null);
      if (neighbours.some((id) => this.isCollected(id))) {
        found = REMOVED;
        break;
      }
      let next: Y.Item | null = null;
      for (const neighbour of neighbours) {
        const sibling = this.findItem(neighbour);
        if (!sibling) continue;
        if (this.isInDoc(sibling)) found = this.parentOfDocItem(sibling);
        else next = sibling;
        break;
      }
      current = next;
    }
    for (const link of chain) this.impliedParents.set(link, found);
    return found;
  }

  private parentOfDocItem(item: Y.Item): string | Y.Item | null {
    const type = item.parent as Y.AbstractType<unknown> | null;
    if (!type) return null;
    if (type._item) return type._item;
    return type === this.body ? BODY_FIELD : type === this.annex ? ANNEX_FIELD : type === this.suggestions ? SUGGESTIONS_FIELD : null;
  }

  /** The report holds this clock only as garbage: the content around it was removed. */
  private isCollected(id: Y.ID): boolean {
    return id.clock < Y.getState(this.store, id.client) && this.findItem(id) === null;
  }

  private parentSubOf(item: Y.Item): string | null {
    const chain: Y.Item[] = [];
    let current: Y.Item | null = item;
    let found: string | null = null;
    while (current) {
      if (current.parentSub !== null || current.parent !== null) {
        found = current.parentSub;
        break;
      }
      const known = this.impliedSubs.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      this.impliedSubs.set(current, null);
      chain.push(current);
      // Map entries name their key only through the entry they replace.
      const sibling: Y.Item | null = current.origin ? this.findItem(current.origin) : null;
      if (!sibling) break;
      if (this.isInDoc(sibling)) {
        found = sibling.parentSub;
        break;
      }
      current = sibling;
    }
    for (const link of chain) this.impliedSubs.set(link, found);
    return found;
  }

  private isInDoc(item: Y.Item): boolean {
    return item.id.clock < Y.getState(this.store, item.id.client) && !this.isUpdateItem(item);
  }

  private isUpdateItem(item: Y.Item): boolean {
    return this.updateItems.has(item);
  }

  /** The item containing `id`: the report's if it holds that clock, else the update's. */
  private findItem(id: Y.ID): Y.Item | null {
    if (id.clock < Y.getState(this.store, id.client)) {
      const struct = Y.getItem(this.store, id) as Y.Item | Y.GC;
      return struct instanceof Y.Item ? struct : null;
    }
    const list = this.updateStructs.get(id.client);
    return list ? runAtClock(list, id.clock, (item) => item.id.clock, (item) => item.length) : null;
  }

  /**
   * Where the children of the type held by `holder` live. Walks up without recursion — a hostile
   * update may nest thousands of elements — and remembers the place of every type on the way.
   */
  private placeOf(holder: Y.Item): Place {
    const chain: Y.Item[] = [];
    const onChain = new Set<Y.Item>();
    let current = holder;
    let place: Place;
    for (;;) {
      const known = this.places.get(current);
      if (known) {
        place = known;
        break;
      }
      if (onChain.has(current)) {
        place = UNRESOLVABLE_PLACE;
        break;
      }
      const up = this.isInDoc(current) ? this.stepUpExisting(current) : this.stepUpNew(current);
      if (!(up instanceof Y.Item)) {
        place = up;
        this.places.set(current, place);
        break;
      }
      chain.push(current);
      onChain.add(current);
      current = up;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      place = deeper(place);
      this.places.set(chain[i]!, place);
    }
    return place;
  }

  /** The place of a type of the report when it is known outright, else the item holding its parent. */
  private stepUpExisting(holder: Y.Item): Place | Y.Item {
    if (!typeOf(holder)) return holder.deleted ? REMOVED_PLACE : UNRESOLVABLE_PLACE;
    if (holder.deleted) return REMOVED_PLACE;
    const parentType = holder.parent as Y.AbstractType<unknown> | null;
    if (parentType === this.body) {
      const sectionId = sectionIdOf(holder);
      return sectionId ? { kind: 'section', sectionId, isSectionItself: true, depth: 1 } : REMOVED_PLACE;
    }
    if (parentType === this.annex) return { kind: 'table', tableId: holder.parentSub ?? '' };
    return parentType?._item ?? REMOVED_PLACE;
  }

  /** The same for a type the update creates. */
  private stepUpNew(holder: Y.Item): Place | Y.Item {
    if (!typeOf(holder)) return UNRESOLVABLE_PLACE;
    const parent = this.parentOf(holder);
    if (parent === BODY_FIELD) return { kind: 'new-section', depth: 1 };
    if (parent === ANNEX_FIELD) return { kind: 'table', tableId: this.parentSubOf(holder) ?? '' };
    if (parent === null || parent === REMOVED || typeof parent === 'string') return REMOVED_PLACE;
    return parent;
  }
}

/** The place of a type nested one level below a type at `outer`. */
function deeper(outer: Place): Place {
  switch (outer.kind) {
    case 'section':
      return { ...outer, isSectionItself: false, depth: outer.depth + 1 };
    case 'new-section':
      return { kind: 'new-section', depth: outer.depth + 1 };
    case 'table':
    case 'inside-table':
      return { kind: 'inside-table' };
    default:
      return outer;
  }
}

function holdsNode(item: Y.Item, nodeName: string): boolean {
  const type = typeOf(item);
  return type instanceof Y.XmlElement && type.nodeName === nodeName;
}

const isCell = (item: Y.Item) => holdsNode(item, 'tableCell') || holdsNode(item, 'tableHeader');

/** Why a node attribute cannot hold `value`, judged by the schema's own rule, or null if it can. */
function attributeRefusal(nodeName: string, name: string, value: unknown): string | null {
  const nodeType = reportSchema.nodes[nodeName];
  if (!nodeType) return null; // the element itself is refused as unknown
  const attribute = attributesOf(nodeType)[name];
  if (!attribute) return `<${nodeName}> has no attribute "${name}"`;
  return validationRefusal(() => attribute.validate?.(value));
}

interface AttributeSpec {
  hasDefault: boolean;
  default: unknown;
  validate?: (value: unknown) => void;
}

const attributesOf = (type: object) => (type as { attrs: Record<string, AttributeSpec> }).attrs;

/** Why a formatting change (a mark's start, with its attributes, or its end) cannot be, or null. */
function formatRefusal(key: string, value: unknown): string | null {
  const name = markNameOfKey(key);
  const markType = reportSchema.marks[name];
  if (!markType) return `unknown formatting "${key}"`;
  // y-prosemirror stores a mark under "<name>--<hash>" only where the same mark may overlap itself;
  // none of the report's marks may, and two bolds on one character are no valid text.
  if (key !== name && markType.excludes(markType)) return `formatting "${markType.name}" cannot overlap itself ("${key}")`;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return `formatting "${key}" must carry its attributes as an object`;
  const given = value as Record<string, unknown>;
  const attributes = attributesOf(markType);
  for (const name of Object.keys(given)) if (!attributes[name]) return `formatting "${markType.name}" has no attribute "${name}"`;
  // Left out, an attribute takes its default, which must pass the rule too (a link needs an address).
  for (const [name, attribute] of Object.entries(attributes)) {
    const refusal = validationRefusal(() => attribute.validate?.(name in given ? given[name] : attribute.default));
    if (refusal) return refusal;
  }
  return null;
}

/** Why removing attribute `name` of a `nodeName` element cannot be: its default fails its rule (it is required). */
function attributeRemovalRefusal(nodeName: string, name: string): string | null {
  const nodeType = reportSchema.nodes[nodeName];
  const attribute = nodeType ? attributesOf(nodeType)[name] : undefined;
  if (!attribute) return null;
  const refusal = validationRefusal(() => attribute.validate?.(attribute.default));
  return refusal ? `<${nodeName}> cannot lose its attribute "${name}": ${refusal}` : null;
}

function validationRefusal(validate: () => void): string | null {
  try {
    validate();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The sectionId attribute of a top-level element, if it is a live section. */
function sectionIdOf(item: Y.Item): string | null {
  const type = typeOf(item);
  if (!(type instanceof Y.XmlElement) || type.nodeName !== SECTION_NODE) return null;
  const id: unknown = type.getAttribute('sectionId');
  return typeof id === 'string' ? id : null;
}

const knownNodes = new Set(Object.keys(reportSchema.nodes));
