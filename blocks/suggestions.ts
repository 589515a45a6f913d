import { isRecord } from './describe-value.js';
export { SUGGESTIONS_FIELD } from './contract.js';
import { SECTION_ID_PATTERN } from './section/section.js';

/**
 * Suggestions (修订): proposed changes to a section's text that are not its text until the
 * section's department or the lead office accepts them. Each lives beside the body, in the
 * report's `suggestions` map, never in the body itself: the accepted text cannot be changed by
 * suggesting, whoever suggests. An entry replaces the text between two Yjs relative positions
 * of one paragraph with its own text — an insertion where both ends meet, a deletion when its
 * text is empty — so it stays on its words however the text around it is edited.
 *
 * Its key is `<userId>:<nonce>`: the server lets each user write and withdraw only entries under
 * their own id, and fills nothing in for them — the author, department and colour written must be
 * the user's own.
 */

/**
 * How pending suggestions are marked in a text read with its revisions (a draft that shows them):
 * marks of these names, with `{ author, at }`, never stored in the document.
 */
export const SUGGESTED_INSERTION = 'suggestedInsertion';
export const SUGGESTED_DELETION = 'suggestedDeletion';

/** Suggested text is a sentence or a few paragraphs, not a chapter. */
export const MAX_SUGGESTION_TEXT = 2000;
/**
 * In a suggestion's text, where a new paragraph starts: accepting it ends the paragraph there and
 * starts a new one of the same kind, which goes on with the rest of the paragraph.
 */
export const PARAGRAPH_BREAK = '\n';
const MAX_SUGGESTED_PARAGRAPHS = 20;
const MAX_NAME = 100;
const KEY_PATTERN = /^(\d{1,12}):([A-Za-z0-9_-]{6,32})$/;

interface IdJSON {
  client: number;
  clock: number;
}

/**
 * A Yjs relative position in a paragraph's text, as `Y.relativePositionToJSON` writes it: the
 * text (`type`, the id of the item holding it) and the character it sticks to (`item`), or the
 * text alone for its end.
 */
export interface TextPositionJSON {
  type: IdJSON;
  item?: IdJSON;
  assoc: number;
}

export interface SuggestionEntry {
  sectionId: string;
  /** Where the replaced text starts and ends; equal for an insertion. */
  from: TextPositionJSON;
  to: TextPositionJSON;
  /** What replaces it: empty for a deletion; PARAGRAPH_BREAK where it starts a new paragraph. */
  text: string;
  /** The replaced text as the suggester saw it: accepting is refused when the text there is no longer this. */
  quote: string;
  author: string;
  /** The author's department id, and its colour (#rrggbb) for marking the suggestion. */
  department: string;
  color: string;
  /** When it was made, in milliseconds. */
  at: number;
}

export function suggestionKey(userId: number, nonce: string): string {
  return `${userId}:${nonce}`;
}

/** The user a key belongs to, or null when it is not a suggestion key. */
export function authorOfKey(key: string): number | null {
  const match = KEY_PATTERN.exec(key);
  return match ? Number(match[1]) : null;
}

function isId(value: unknown): value is IdJSON {
  return (
    isRecord(value) &&
    Object.keys(value).length === 2 &&
    Number.isInteger(value.client) &&
    (value.client as number) >= 0 &&
    (value.client as number) <= 0xffffffff &&
    Number.isInteger(value.clock) &&
    (value.clock as number) >= 0
  );
}

function isTextPosition(value: unknown): value is TextPositionJSON {
  return (
    isRecord(value) &&
    Object.keys(value).every((key) => key === 'type' || key === 'item' || key === 'assoc') &&
    isId(value.type) &&
    (value.item === undefined || isId(value.item)) &&
    (value.assoc === 0 || value.assoc === -1)
  );
}

const text = (value: unknown, max: number) => typeof value === 'string' && value.length <= max;

/** Why `value` is not a suggestion entry, or null when it is one. */
export function suggestionEntryProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'a suggestion is an object';
  const allowed = ['sectionId', 'from', 'to', 'text', 'quote', 'author', 'department', 'color', 'at'];
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) return `a suggestion has no field "${extra}"`;
  if (typeof value.sectionId !== 'string' || !SECTION_ID_PATTERN.test(value.sectionId)) return 'sectionId must be a section id';
  if (!isTextPosition(value.from) || !isTextPosition(value.to)) return 'from and to must be relative positions in a paragraph’s text';
  if (!text(value.text, MAX_SUGGESTION_TEXT) || !text(value.quote, MAX_SUGGESTION_TEXT)) return `text and quote are text of at most ${MAX_SUGGESTION_TEXT} characters`;
  if (value.text === '' && value.quote === '') return 'a suggestion changes something: text or quote is not empty';
  const wordsProblem = suggestedWordsProblem(value.text as string);
  if (wordsProblem) return wordsProblem;
  if (!text(value.author, MAX_NAME) || !text(value.department, 64)) return 'author and department are short text';
  if (typeof value.color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(value.color)) return 'color must be #rrggbb';
  if (!Number.isInteger(value.at) || (value.at as number) < 0) return 'at must be a time in milliseconds';
  return null;
}

/** Why `words` cannot be what a suggestion puts in (beyond its length), or null. */
export function suggestedWordsProblem(words: string): string | null {
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(words)) return 'text holds no control characters but tabs and paragraph breaks';
  if (words.split(PARAGRAPH_BREAK).length - 1 > MAX_SUGGESTED_PARAGRAPHS) return `a suggestion starts at most ${MAX_SUGGESTED_PARAGRAPHS} new paragraphs`;
  return null;
}

export function isSuggestionEntry(value: unknown): value is SuggestionEntry {
  return suggestionEntryProblem(value) === null;
}
