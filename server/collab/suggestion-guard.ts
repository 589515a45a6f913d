import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { maySuggest } from '../../blocks/section/permissions.js';
import { SECTION_NODE } from '../../blocks/section/section.js';
import { authorOfKey, type SuggestionEntry, type TextPositionJSON } from '../../blocks/suggestions.js';
import type { PresenceIdentity } from './awareness-identity.js';
import type { EditVerdict, Editor, SectionRule } from './section-guard.js';
import type { UpdateScope } from './update-scope.js';

/** Who is suggesting, as the session knows them. */
export interface Suggester {
  userId: number;
  editor: Editor;
  identity: PresenceIdentity;
}

const refuse = (sectionId: string | null, reason: string): EditVerdict => ({ allowed: false, sectionId, reason });

/** A suggestion's time may be off by a client's clock, not by days. */
const CLOCK_SLACK_MS = 24 * 3600_000;

/**
 * The promise of suggestions: anyone who may suggest in a section adds suggestions there under
 * their own name — never under another's, never in a locked section, never pointing outside the
 * paragraph and section it names — and withdraws only their own. Accepting and rejecting are the
 * server's to do (SuggestionDecisions), so no client removes anyone else's suggestion.
 */
export function judgeSuggestions(doc: Y.Doc, scope: UpdateScope, suggester: Suggester, rules: ReadonlyMap<string, SectionRule>, now: number): EditVerdict {
  for (const key of scope.suggestionsRemoved) {
    if (authorOfKey(key) !== suggester.userId) return refuse(null, `只能撤回自己的修改建议（a suggestion of someone else: ${key}）`);
  }
  for (const { key, entry } of scope.suggestionsWritten) {
    if (authorOfKey(key) !== suggester.userId) return refuse(entry.sectionId, `修改建议只能以本人名义提出（suggestion under another user's id: ${key}）`);
    const { identity } = suggester;
    if (entry.author !== identity.name || entry.department !== identity.department || entry.color.toLowerCase() !== identity.color.toLowerCase()) {
      return refuse(entry.sectionId, `修改建议的署名不是本人（suggestion signed as ${entry.author}/${entry.department}）`);
    }
    if (Math.abs(entry.at - now) > CLOCK_SLACK_MS) return refuse(entry.sectionId, '修改建议的时间不对（suggestion time far from now）');
    const rule = rules.get(entry.sectionId);
    if (!maySuggest(suggester.editor, rule)) {
      return refuse(entry.sectionId, rule?.locked ? `章节 ${entry.sectionId} 已锁定（locked）` : `不能对章节 ${entry.sectionId} 提出修改建议（may not suggest here）`);
    }
    const problem = placeProblem(doc, entry);
    if (problem) return refuse(entry.sectionId, `修改建议的位置不对（${problem}）`);
  }
  return { allowed: true };
}

/** Why the suggestion's two ends are not in one paragraph of the section it names, or null. */
function placeProblem(doc: Y.Doc, entry: SuggestionEntry): string | null {
  const from = textOf(doc, entry.from);
  const to = textOf(doc, entry.to);
  if (!from || !to) return 'its ends are not in a paragraph’s text';
  if (from !== to) return 'its ends are in different paragraphs';
  if (sectionOf(doc, from as unknown as Y.AbstractType<unknown>) !== entry.sectionId) return `its text is not in section ${entry.sectionId}`;
  return null;
}

function findItem(doc: Y.Doc, id: { client: number; clock: number }): Y.Item | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct = Y.getItem(doc.store, Y.createID(id.client, id.clock)) as Y.Item | Y.GC;
  return struct instanceof Y.Item ? struct : null;
}

/** The paragraph text a position is in: the text it names, holding the character it names. */
function textOf(doc: Y.Doc, position: TextPositionJSON): Y.XmlText | null {
  const holder = findItem(doc, position.type);
  const text = holder?.content instanceof Y.ContentType ? holder.content.type : null;
  if (!(text instanceof Y.XmlText) || holder!.deleted) return null;
  if (position.item) {
    const character = findItem(doc, position.item);
    if (!character || character.parent !== text) return null;
  }
  return text;
}

/** The id of the top-level section holding `type`, walking up its parents. */
function sectionOf(doc: Y.Doc, type: Y.AbstractType<unknown>): string | null {
  const body = doc.getXmlFragment(BODY_FIELD) as unknown as Y.AbstractType<unknown>;
  let current: Y.AbstractType<unknown> | null = type;
  for (let depth = 0; current && depth < 64; depth++) {
    const parent = current._item?.parent as Y.AbstractType<unknown> | null | undefined;
    if (parent === body) return current instanceof Y.XmlElement && current.nodeName === SECTION_NODE ? String(current.getAttribute('sectionId') ?? '') : null;
    if (!parent || current._item?.deleted) return null;
    current = parent;
  }
  return null;
}
