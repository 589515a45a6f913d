import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { mayDecideSuggestions } from '../../blocks/section/permissions.js';
import type { RevisionsOf, TextRevisions } from '../../blocks/report-json.js';
import { authorOfKey, isSuggestionEntry, PARAGRAPH_BREAK, SUGGESTED_DELETION, SUGGESTED_INSERTION, SUGGESTIONS_FIELD, type SuggestionEntry, type TextPositionJSON } from '../../blocks/suggestions.js';
import type { RoomRegistry } from '../collab/room-registry.js';
import type { Db } from '../db/database.js';
import { appendAudit } from '../db/sections.js';
import type { Report } from '../db/types.js';
import type { UserWithDepartment } from '../db/users.js';
import type { ReportEvents } from './report-events.js';

export interface SuggestionDecisionsDeps {
  db: Db;
  rooms: RoomRegistry;
  events: ReportEvents;
  now: () => number;
}

export interface DecisionRequest {
  decision?: unknown;
  /** The suggestions decided on, by key; or `author`, all of one person's; or neither, all in the section. */
  keys?: unknown;
  author?: unknown;
}

/** A pending suggestion found in the text: where its replaced text is now, and what is there. */
interface Located {
  key: string;
  entry: SuggestionEntry;
  text: Y.XmlText;
  from: number;
  to: number;
  current: string;
}

/**
 * The section's department (or the lead office) accepts or rejects suggestions: one, all of one
 * person's, or all in the section. Accepting writes the suggested text in place of the text it
 * replaces, as the server's own logged change under the decider's name — in the section's
 * history, and taking an approval away like any edit; rejecting removes the suggestion. Either
 * way the decision is in the audit log. When the replaced text was changed meanwhile, accepting
 * is refused and nothing changes: the suggestion no longer says what it said.
 */
export class SuggestionDecisions {
  constructor(private readonly deps: SuggestionDecisionsDeps) {}

  async decide(actor: UserWithDepartment, report: Report, sectionId: string, request: DecisionRequest): Promise<{ decided: string[]; seq: number | null }> {
    if (request.decision !== 'accept' && request.decision !== 'reject') throw invalidRequest('"decision" must be "accept" or "reject"');
    const accept = request.decision === 'accept';
    const wanted = parseSelection(request);
    let decided: Located[] = [];
    const seq = await this.deps.rooms.withRoom(report.id, (room) =>
      room.applyAuthorityChange({
        userId: actor.id,
        sectionIds: [sectionId],
        changesText: accept,
        apply: (doc) => {
          const rule = room.sectionRules.get(sectionId);
          if (rule?.locked) throw refuse('section-locked', { section: sectionId });
          if (!mayDecideSuggestions(actor, rule)) throw refuse('not-your-section', { section: sectionId });
          decided = locateSuggestions(doc, sectionId).filter((found) => wanted(found.key));
          if (decided.length === 0) throw refuse('suggestion-not-found', { section: sectionId });
          const outdated = decided.find((found) => found.current !== found.entry.quote);
          if (accept && outdated) throw refuse('suggestion-outdated', { quote: outdated.entry.quote, current: outdated.current });
          const suggestions = doc.getMap(SUGGESTIONS_FIELD);
          for (const found of accept ? inWritingOrder(doc, decided) : decided) {
            if (accept) writeSuggested(found);
            suggestions.delete(found.key);
          }
        },
      }),
    );
    await appendAudit(this.deps.db, {
      reportId: report.id,
      sectionId,
      userId: actor.id,
      action: accept ? 'suggestions-accepted' : 'suggestions-rejected',
      detail: { atSeq: seq, suggestions: decided.map(({ key, entry }) => ({ key, author: entry.author, quote: entry.quote, text: entry.text })) },
      now: this.deps.now(),
    });
    this.deps.events.publish(report.id, { type: 'sections', sectionId, action: accept ? 'suggestions-accepted' : 'suggestions-rejected' });
    return { decided: decided.map((found) => found.key), seq };
  }
}

function parseSelection(request: DecisionRequest): (key: string) => boolean {
  if (request.keys !== undefined) {
    if (!Array.isArray(request.keys) || request.keys.length === 0 || !request.keys.every((key) => typeof key === 'string')) throw invalidRequest('"keys" must be a non-empty list of suggestion keys');
    const keys = new Set(request.keys as string[]);
    return (key) => keys.has(key);
  }
  if (request.author !== undefined) {
    if (!Number.isInteger(request.author)) throw invalidRequest('"author" must be a user id');
    return (key) => authorOfKey(key) === request.author;
  }
  return () => true;
}

/** Pending suggestions that can still be found in the text (those of one section, when named). */
export function locateSuggestions(doc: Y.Doc, sectionId?: string): Located[] {
  const located: Located[] = [];
  for (const [key, entry] of doc.getMap(SUGGESTIONS_FIELD).entries()) {
    if (!isSuggestionEntry(entry) || (sectionId !== undefined && entry.sectionId !== sectionId)) continue;
    const from = absolute(doc, entry.from);
    const to = absolute(doc, entry.to);
    if (!from || !to || from.type !== to.type || !(from.type instanceof Y.XmlText) || to.index < from.index) continue;
    located.push({ key, entry, text: from.type, from: from.index, to: to.index, current: plainText(from.type).slice(from.index, to.index) });
  }
  return located;
}

/**
 * Pending suggestions as revisions of the texts they apply to, for a draft that shows them
 * (Word's 修订): the replaced words marked deleted, the suggested ones inserted after them, each
 * with its author and time.
 */
export function suggestionRevisions(doc: Y.Doc): RevisionsOf {
  const byText = new Map<Y.XmlText, { marks: TextRevisions['marks'][number][]; insertions: TextRevisions['insertions'][number][] }>();
  for (const { entry, text, from, to } of locateSuggestions(doc)) {
    let revisions = byText.get(text);
    if (!revisions) byText.set(text, (revisions = { marks: [], insertions: [] }));
    const attrs = { author: entry.author, at: entry.at };
    if (to > from) revisions.marks.push({ from, to, mark: { type: SUGGESTED_DELETION, attrs } });
    if (entry.text !== '') revisions.insertions.push({ at: to, text: entry.text, mark: { type: SUGGESTED_INSERTION, attrs } });
  }
  return (text) => byText.get(text) ?? null;
}

function absolute(doc: Y.Doc, position: TextPositionJSON) {
  try {
    return Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(position), doc);
  } catch {
    return null;
  }
}

/**
 * The order in which accepted suggestions are written so that none moves another's words: the
 * latest in the report first, and within a text the later places first. A paragraph break carries
 * what follows it in its paragraph into a new one, so what lies after it must be written already.
 */
function inWritingOrder(doc: Y.Doc, decided: readonly Located[]): Located[] {
  const order = textOrder(doc);
  return [...decided].sort((a, b) => order.get(b.text)! - order.get(a.text)! || b.from - a.from);
}

/** Each paragraph text of the body, numbered in reading order. */
function textOrder(doc: Y.Doc): Map<Y.XmlText, number> {
  const order = new Map<Y.XmlText, number>();
  const pending: Array<Y.XmlElement | Y.XmlText | Y.XmlHook> = doc.getXmlFragment(BODY_FIELD).toArray().reverse();
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node instanceof Y.XmlText) order.set(node, order.size);
    else if (node instanceof Y.XmlElement) pending.push(...node.toArray().reverse());
  }
  return order;
}

/** Puts an accepted suggestion's words in place of the ones it replaces, starting the new paragraphs it asks for. */
function writeSuggested({ text, from, to, entry }: Located): void {
  const look = formattingAt(text, from);
  text.delete(from, to - from);
  const [words, ...paragraphs] = entry.text.split(PARAGRAPH_BREAK) as [string, ...string[]];
  if (words !== '') text.insert(from, words, look);
  if (paragraphs.length > 0) breakParagraph(text, from + words.length, paragraphs, look);
}

/**
 * Ends the paragraph holding `text` at `at` and starts new ones after it, of the same kind, with
 * `paragraphs`' words: the last of them goes on with what followed `at` — the rest of the text
 * and whatever came after it in the paragraph (a linked figure, a line break, more text).
 */
function breakParagraph(text: Y.XmlText, at: number, paragraphs: readonly string[], look: Record<string, unknown>): void {
  const paragraph = text.parent;
  const container = paragraph?.parent;
  if (!(paragraph instanceof Y.XmlElement) || !(container instanceof Y.XmlElement || container instanceof Y.XmlFragment)) {
    throw new Error('a suggested paragraph break outside a paragraph');
  }
  const rest = deltaFrom(text, at);
  if (text.length > at) text.delete(at, text.length - at);
  const siblings = paragraph.toArray();
  const after = siblings.indexOf(text) + 1;
  const following = siblings.slice(after).flatMap((node) => (node instanceof Y.XmlHook ? [] : [node.clone()]));
  if (following.length > 0) paragraph.delete(after, following.length);
  const attributes = paragraph.getAttributes();
  const started = paragraphs.map((words, index) => {
    const element = new Y.XmlElement(paragraph.nodeName);
    for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
    const last = index === paragraphs.length - 1;
    const delta = [...(words === '' ? [] : [{ insert: words, attributes: look }]), ...(last ? rest : [])];
    const content = new Y.XmlText();
    content.applyDelta(delta);
    const children = [...(delta.length > 0 ? [content] : []), ...(last ? following : [])];
    if (children.length > 0) element.insert(0, children);
    return element;
  });
  container.insert(container.toArray().indexOf(paragraph) + 1, started);
}

type DeltaOp = { insert: string | object; attributes?: Record<string, unknown> };

/** The text from `at` on, with its formatting, ready to be written into a new text. */
function deltaFrom(text: Y.XmlText, at: number): DeltaOp[] {
  const ops: DeltaOp[] = [];
  let passed = 0;
  for (const op of text.toDelta() as DeltaOp[]) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    const start = Math.max(0, at - passed);
    passed += length;
    if (start >= length) continue;
    if (typeof op.insert === 'string') ops.push({ ...op, insert: op.insert.slice(start) });
    // An embedded type belongs to this text: the new one gets a copy.
    else ops.push({ ...op, insert: op.insert instanceof Y.AbstractType ? (op.insert as Y.XmlElement).clone() : op.insert });
  }
  return ops;
}

/** The text's characters, an embedded node counting as one, as Yjs indexes them. */
function plainText(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('');
}

/** The marks in effect at `index` (of the character there, or of the one before at the end), so accepted text reads like the text it replaces. */
function formattingAt(text: Y.XmlText, index: number): Record<string, unknown> {
  let at = 0;
  let look: Record<string, unknown> = {};
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    look = op.attributes ?? {};
    if (index < at + length) break;
    at += length;
  }
  // Yjs sets these and clears every other mark in effect there.
  return { ...look };
}
