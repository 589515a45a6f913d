import * as Y from 'yjs';
import { invalidRequest, refuse } from '../../blocks/errors.js';
import { mayDecideSuggestions } from '../../blocks/section/permissions.js';
import type { RevisionsOf, TextRevisions } from '../../blocks/report-json.js';
import { authorOfKey, isSuggestionEntry, SUGGESTED_DELETION, SUGGESTED_INSERTION, SUGGESTIONS_FIELD, type SuggestionEntry, type TextPositionJSON } from '../../blocks/suggestions.js';
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
          // Later places first, so that writing one does not move the next.
          for (const found of [...decided].sort((a, b) => b.from - a.from)) {
            if (accept) {
              const look = formattingAt(found.text, found.from);
              found.text.delete(found.from, found.to - found.from);
              if (found.entry.text !== '') found.text.insert(found.from, found.entry.text, look);
            }
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
