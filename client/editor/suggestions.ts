import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { SUGGESTIONS_FIELD } from '../../blocks/contract.js';
import { isSuggestionEntry, PARAGRAPH_BREAK, suggestionKey, type SuggestionEntry, type TextPositionJSON } from '../../blocks/suggestions.js';
import { syncState } from './y-sync-state.js';

// Suggestions (blocks/suggestions.ts) in the editor: each pending one drawn where it applies —
// the words it would remove struck through, the words it would add underlined after them, in
// its author's department colour — and new ones made from the selection. The text itself is
// never touched here: accepting is the server's to do.

export function suggestionsOf(doc: Y.Doc): Y.Map<SuggestionEntry> {
  return doc.getMap<SuggestionEntry>(SUGGESTIONS_FIELD);
}

/** Where a pending suggestion applies in the editor's document, or null when its words are gone. */
export function placeOf(state: EditorState, entry: Pick<SuggestionEntry, 'from' | 'to'>): { from: number; to: number } | null {
  const sync = syncState(state);
  if (!sync) return null;
  const resolve = (json: TextPositionJSON) =>
    relativePositionToAbsolutePosition(sync.binding.doc, sync.type, Y.createRelativePositionFromJSON(json), sync.binding.mapping as never);
  const from = resolve(entry.from);
  const to = resolve(entry.to);
  return from === null || to === null || to < from ? null : { from, to };
}

const suggestionsKey = new PluginKey<DecorationSet>('suggestions');

export interface SuggestionLabels {
  /** How a suggestion is described on hover: who, when, what. */
  describe(entry: SuggestionEntry): string;
}

function decorate(state: EditorState, doc: Y.Doc, labels: SuggestionLabels): DecorationSet {
  const decorations: Decoration[] = [];
  for (const [key, entry] of suggestionsOf(doc).entries()) {
    if (!isSuggestionEntry(entry)) continue;
    const place = placeOf(state, entry);
    if (!place) continue;
    const attributes = { title: labels.describe(entry), style: `--suggestion-color:${entry.color}`, 'data-suggestion': key };
    if (place.to > place.from) decorations.push(Decoration.inline(place.from, place.to, { ...attributes, class: 'suggestion-delete' }));
    if (entry.text !== '') {
      decorations.push(
        Decoration.widget(
          place.to,
          () => {
            const added = document.createElement('ins');
            added.className = 'suggestion-insert';
            // A suggested new paragraph shows where it starts, as Word marks one: ¶ and a new line.
            entry.text.split(PARAGRAPH_BREAK).forEach((words, index) => {
              if (index > 0) added.append('¶', document.createElement('br'));
              added.append(words);
            });
            for (const [name, value] of Object.entries(attributes)) added.setAttribute(name, value);
            return added;
          },
          { side: 1, key: `${key}:${entry.text}`, ignoreSelection: true },
        ),
      );
    }
  }
  return DecorationSet.create(state.doc, decorations);
}

/** Draws the report's pending suggestions, live as anyone makes, withdraws or decides one. */
export const SuggestionMarks = Extension.create<{ doc: Y.Doc | null; labels: SuggestionLabels }>({
  name: 'suggestionMarks',
  addOptions() {
    return { doc: null, labels: { describe: () => '' } };
  },
  addProseMirrorPlugins() {
    const { doc, labels } = this.options;
    if (!doc) return [];
    return [
      new Plugin<DecorationSet>({
        key: suggestionsKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, drawn, _before, after) => (tr.docChanged || tr.getMeta(suggestionsKey) ? decorate(after, doc, labels) : drawn.map(tr.mapping, tr.doc)),
        },
        props: { decorations: (state) => suggestionsKey.getState(state) },
        view: (view) => {
          const redraw = () => {
            if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(suggestionsKey, true));
          };
          // After the Yjs transaction that changed them, never inside another dispatch.
          const later = () => void queueMicrotask(redraw);
          suggestionsOf(doc).observe(later);
          later();
          return { destroy: () => suggestionsOf(doc).unobserve(later) };
        },
      }),
    ];
  },
});

export type SuggestionTarget =
  | { ok: true; sectionId: string; from: TextPositionJSON; to: TextPositionJSON; quote: string }
  | { ok: false; why: 'no-section' | 'one-paragraph' };

/**
 * What the words between `from` and `to` (or the caret, where they meet) would be a suggestion
 * about: both ends in the text of one paragraph — not across a linked figure or a line break,
 * which split it — of one section.
 */
export function targetBetween(state: EditorState, from: number, to: number): SuggestionTarget {
  const sync = syncState(state);
  const $from = state.doc.resolve(from);
  const $to = state.doc.resolve(to);
  const sectionId: unknown = $from.depth >= 1 ? $from.node(1).attrs.sectionId : null;
  if (!sync || typeof sectionId !== 'string') return { ok: false, why: 'no-section' };
  if (!$from.sameParent($to) || !$from.parent.isTextblock || $from.parent.content.size === 0) return { ok: false, why: 'one-paragraph' };
  const position = (pos: number) => {
    const relative = absolutePositionToRelativePosition(pos, sync.type, sync.binding.mapping as never);
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, sync.binding.doc);
    return absolute?.type instanceof Y.XmlText ? (Y.relativePositionToJSON(relative) as TextPositionJSON) : null;
  };
  const start = position(from);
  const end = position(to);
  if (!start || !end || JSON.stringify(start.type) !== JSON.stringify(end.type)) return { ok: false, why: 'one-paragraph' };
  return { ok: true, sectionId, from: start, to: end, quote: state.doc.textBetween(from, to, '') };
}

export interface SuggestionAuthor {
  id: number;
  name: string;
  department: string;
  color: string;
}

/**
 * Writes the user's suggestion to put `text` in place of the target's words: under `key` when it
 * is one of theirs being typed on, or under a new key of their own. Resolves to its key.
 */
export function writeSuggestion(doc: Y.Doc, author: SuggestionAuthor, target: Extract<SuggestionTarget, { ok: true }>, text: string, key: string | null = null): string {
  const nonce = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => (byte % 36).toString(36)).join('');
  const written = key ?? suggestionKey(author.id, nonce());
  suggestionsOf(doc).set(written, {
    sectionId: target.sectionId,
    from: target.from,
    to: target.to,
    text,
    quote: target.quote,
    author: author.name,
    department: author.department,
    color: author.color,
    at: Date.now(),
  });
  return written;
}
