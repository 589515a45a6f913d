import { Fragment, Mark, type ContentMatch, type Node as ProseMirrorNode, type NodeType, type Schema } from '@tiptap/pm/model';
import { TableMap } from '@tiptap/pm/tables';
import * as Y from 'yjs';
import { elementToJSON, markNameOfKey } from '../../blocks/report-json.js';
import { SECTION_NODE } from '../../blocks/section/section.js';

/**
 * An element or text that no client could show, and why. What the update created is deleted;
 * an element that was there before is never deleted for someone else's update (it may be a whole
 * section, or hold an annex table): `fill` is what to put at its start to make it valid again —
 * what an editor would have put there (an empty paragraph in an emptied section).
 */
export interface SchemaViolation {
  item: Y.Item;
  reason: string;
  /** Nodes to insert at the start of the element; null: delete the item. */
  fill: Fragment | null;
}

const describe = (item: Y.Item) => `${item.id.client}:${item.id.clock}`;

/**
 * After an update is applied, finds what y-prosemirror would delete in every browser because it
 * does not fit the schema: an element whose attributes fail validation or whose children break
 * its content expression, and text with formatting its element does not allow. Left in place,
 * each honest client would "repair" it itself — possibly in a section it may not edit — and be
 * refused in a loop; the server deletes it once, as the authority, before anyone sees it.
 *
 * Only the types whose children or attributes changed are checked, plus in full the elements the update
 * created; the cost grows with the edit, not with the report.
 */
export function findSchemaViolations(
  schema: Schema,
  body: Y.XmlFragment,
  changedParents: readonly Y.ID[],
  isNew: (item: Y.Item) => boolean,
): SchemaViolation[] {
  const checker = new ContentChecker(schema, isNew);
  const pending: Array<Y.XmlElement | Y.XmlFragment> = [];
  const doc = body.doc!;
  for (const id of changedParents) {
    const holder = Y.getItem(doc.store, id) as Y.Item | Y.GC;
    if (!(holder instanceof Y.Item) || holder.deleted || !(holder.content instanceof Y.ContentType)) continue;
    const type = holder.content.type;
    if (type instanceof Y.XmlElement) pending.push(type);
    else if (type instanceof Y.XmlText && type.parent instanceof Y.XmlElement) pending.push(type.parent);
    else if (type instanceof Y.XmlText && type.parent === body) pending.push(body);
  }
  return checker.run(pending, body);
}

/** Checks the report body itself: sections only, each valid and with a unique id. */
export function findBodyViolations(schema: Schema, body: Y.XmlFragment, isNew: (item: Y.Item) => boolean): SchemaViolation[] {
  return new ContentChecker(schema, isNew).run([body], body);
}

class ContentChecker {
  private readonly violations: SchemaViolation[] = [];
  private readonly condemned = new Set<Y.Item>();

  constructor(
    private readonly schema: Schema,
    private readonly isNew: (item: Y.Item) => boolean,
  ) {}

  run(pending: Array<Y.XmlElement | Y.XmlFragment>, body: Y.XmlFragment): SchemaViolation[] {
    const seen = new Set<Y.XmlElement | Y.XmlFragment>();
    while (pending.length > 0) {
      const type = pending.pop()!;
      if (seen.has(type)) continue;
      seen.add(type);
      if (type === body) {
        this.checkBody(body);
        continue;
      }
      const element = type as Y.XmlElement;
      const reason = this.checkElement(element);
      if (!reason) continue;
      if (!this.isNew(element._item!)) {
        this.fillOrLeave(element, reason);
        continue;
      }
      this.condemn(element._item!, reason);
      // Removing a child can leave its parent invalid in turn (a section with no block left).
      seen.delete(element.parent as Y.XmlElement);
      if (element.parent instanceof Y.XmlElement || element.parent === body) pending.push(element.parent as Y.XmlElement);
    }
    return this.violations;
  }

  private condemn(item: Y.Item, reason: string): void {
    if (this.condemned.has(item)) return;
    this.condemned.add(item);
    this.violations.push({ item, reason, fill: null });
  }

  /**
   * An element that was there before, left invalid by the update (its blocks deleted): the nodes
   * its content expression needs in front of what it still holds. Should nothing make it valid
   * (an invalid attribute from before these checks existed), it is left as it is.
   */
  private fillOrLeave(element: Y.XmlElement, reason: string): void {
    const nodeType = this.schema.nodes[element.nodeName]!;
    const held = element
      .toArray()
      .filter((child) => !this.condemned.has(child._item!))
      .flatMap((child) => {
        // Only the types matter to the content expression: the shallowest node of each type stands in.
        if (child instanceof Y.XmlElement) return [this.schema.nodes[child.nodeName]?.createAndFill() ?? null];
        return child instanceof Y.XmlText && child.length > 0 ? [this.schema.text(' ')] : [];
      });
    if (held.includes(null)) return;
    const fill = nodeType.contentMatch.fillBefore(Fragment.fromArray(held as ProseMirrorNode[]), true);
    if (fill && fill.childCount > 0) this.violations.push({ item: element._item!, reason, fill });
  }

  private checkBody(body: Y.XmlFragment): void {
    const children = body.toArray();
    // A section already in the report keeps its id: a new section repeating it is the duplicate,
    // wherever it was inserted.
    const established = new Set<unknown>();
    for (const child of children) {
      if (child instanceof Y.XmlElement && !this.isNew(child._item!)) established.add(child.getAttribute('sectionId'));
    }
    const ids = new Set<string>();
    for (const child of children) {
      const item = child._item!;
      if (this.condemned.has(item)) continue;
      if (!(child instanceof Y.XmlElement) || child.nodeName !== SECTION_NODE) {
        this.condemn(item, `top-level ${describe(item)} is not a section`);
        continue;
      }
      const sectionId: unknown = child.getAttribute('sectionId');
      if (typeof sectionId === 'string' && (ids.has(sectionId) || (this.isNew(item) && established.has(sectionId)))) {
        this.condemn(item, `section id "${sectionId}" is used twice`);
        continue;
      }
      if (typeof sectionId === 'string') ids.add(sectionId);
      if (!this.isNew(item)) continue;
      const reason = this.checkElement(child);
      if (reason) this.condemn(item, reason);
    }
  }

  /**
   * Why `element` cannot become a ProseMirror node, or null if it can. Condemns bad children.
   * The elements the update created inside it are judged first, deepest first, from an explicit
   * list rather than by recursion: however deep an update nests, the check keeps to the heap.
   */
  private checkElement(element: Y.XmlElement): string | null {
    const order: Y.XmlElement[] = [];
    const pending = [element];
    while (pending.length > 0) {
      const current = pending.pop()!;
      order.push(current);
      for (const child of current.toArray()) {
        if (child instanceof Y.XmlElement && this.isNew(child._item!) && this.schema.nodes[child.nodeName]) pending.push(child);
      }
    }
    // Every element comes after its descendants in the reversed list.
    const verdicts = new Map<Y.XmlElement, string | null>();
    for (let i = order.length - 1; i >= 0; i--) verdicts.set(order[i]!, this.checkOne(order[i]!, verdicts));
    return verdicts.get(element)!;
  }

  /** `checkElement` for one element whose new child elements have their `verdicts` already. */
  private checkOne(element: Y.XmlElement, verdicts: ReadonlyMap<Y.XmlElement, string | null>): string | null {
    const nodeType = this.schema.nodes[element.nodeName];
    if (!nodeType) return `unknown element <${element.nodeName}>`;
    try {
      const node = nodeType.create(element.getAttributes());
      // Left out, an attribute takes its default, which must pass its rule too (a linked figure needs its cell).
      for (const [name, attribute] of Object.entries((nodeType as unknown as { attrs: Record<string, { validate?: (value: unknown) => void }> }).attrs)) {
        attribute.validate?.(node.attrs[name]);
      }
    } catch (error) {
      return `<${element.nodeName}> ${describe(element._item!)}: ${(error as Error).message}`;
    }
    let match: ContentMatch | null = nodeType.contentMatch;
    for (const child of element.toArray()) {
      const item = child._item!;
      if (this.condemned.has(item)) continue;
      if (child instanceof Y.XmlElement) {
        const childType = this.schema.nodes[child.nodeName];
        const childReason = !childType ? `unknown element <${child.nodeName}>` : (verdicts.get(child) ?? null);
        if (childReason) {
          this.condemn(item, childReason);
          continue;
        }
        const next: ContentMatch | null = match?.matchType(childType!) ?? null;
        // A child the update just put where it cannot be goes, not the element around it.
        if (!next && this.isNew(item)) {
          this.condemn(item, `<${element.nodeName}> ${describe(element._item!)} cannot hold <${child.nodeName}> there`);
          continue;
        }
        match = next;
      } else if (child instanceof Y.XmlText) {
        const marksReason = this.checkText(child, nodeType);
        if (marksReason === 'text-invalid') continue;
        if (marksReason) return marksReason;
        if (child.length > 0) {
          const next: ContentMatch | null = match?.matchType(this.schema.nodes.text!) ?? null;
          if (!next && this.isNew(item)) {
            this.condemn(item, `<${element.nodeName}> ${describe(element._item!)} cannot hold <text> there`);
            continue;
          }
          match = next;
        }
      } else {
        return `<${element.nodeName}> holds something that is neither element nor text`;
      }
      if (!match) return `<${element.nodeName}> ${describe(element._item!)} cannot hold <${child instanceof Y.XmlElement ? child.nodeName : 'text'}> there`;
    }
    if (!match?.validEnd) return `<${element.nodeName}> ${describe(element._item!)} is incomplete for its schema`;
    if (element.nodeName === 'table' && this.isNew(element._item!)) return this.checkTableShape(element);
    return null;
  }

  /**
   * A new table's rows must make a rectangle: every editor's table plugin would otherwise "fix" it
   * (adding cells, cutting spans) in the section of whoever wrote it.
   */
  private checkTableShape(element: Y.XmlElement): string | null {
    const table = this.schema.nodeFromJSON(elementToJSON(element));
    const { problems } = TableMap.get(table);
    return problems && problems.length > 0 ? `<table> ${describe(element._item!)} has rows of different widths or spans past its edge` : null;
  }

  /**
   * 'text-invalid' when the text itself cannot be shown (y-prosemirror deletes it); a reason when
   * its marks are not allowed in the parent (the parent is invalid); null when fine.
   */
  private checkText(text: Y.XmlText, parent: NodeType): string | null {
    for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      if (typeof op.insert !== 'string') {
        this.condemn(text._item!, 'text holds an embedded object');
        return 'text-invalid';
      }
      const marks = [];
      for (const [key, attrs] of Object.entries(op.attributes ?? {})) {
        const markType = this.schema.marks[markNameOfKey(key)];
        try {
          if (!markType) throw new Error(`unknown mark "${key}"`);
          marks.push(markType.create(attrs as Record<string, unknown>));
        } catch (error) {
          this.condemn(text._item!, (error as Error).message);
          return 'text-invalid';
        }
      }
      // Marks that exclude each other (code excludes every other) cannot be on one character.
      if (marks.reduce((set, mark) => mark.addToSet(set), Mark.none).length !== marks.length) {
        this.condemn(text._item!, `text carries formatting that excludes each other: ${marks.map((m) => m.type.name).join(', ')}`);
        return 'text-invalid';
      }
      if (!parent.allowsMarks(marks)) return `<${parent.name}> does not allow ${marks.map((m) => m.type.name).join(', ')}`;
    }
    return null;
  }
}
