import type { Editor } from '@tiptap/core';
import type * as Y from 'yjs';
import { MAX_SUGGESTION_TEXT, PARAGRAPH_BREAK, suggestedWordsProblem } from '../../blocks/suggestions.js';
import { placeOf, suggestionsOf, targetBetween, writeSuggestion, type SuggestionAuthor, type SuggestionTarget } from './suggestions.js';

type Target = Extract<SuggestionTarget, { ok: true }>;

export interface ComposerOptions {
  doc: Y.Doc;
  author: SuggestionAuthor;
  /** The positioned element around the editor the box is drawn in. */
  frame: HTMLElement;
  /** Whether the user may suggest in a section now. */
  maySuggest(sectionId: string): boolean;
  /** The user pointed somewhere no suggestion can be about (across paragraphs, a locked section). */
  onRefused(why: 'where' | 'not-allowed'): void;
  /** The box's accessible name. */
  label: string;
}

/** Where a suggestion being typed stands: what it is about, what is typed so far, and its key once written. */
interface Typing {
  target: Target;
  text: string;
  key: string | null;
}

/**
 * Typing suggestions in the text (修订). While the mode is on, the editor's own text takes no
 * keystrokes at all; clicking in a paragraph, or selecting words in it, opens a small text box
 * there in the author's colour. What is typed in the box goes, piece by piece as it is
 * committed, into the user's own suggestion, drawn in the text for everyone (SuggestionMarks).
 *
 * The box is a plain text field outside the editor's document, so every input method composes
 * in it as it does anywhere: a composition in the editor itself would be torn apart the moment
 * its text had to be turned into a suggestion instead.
 *
 * Backspace or Delete with words selected suggests removing them. Otherwise Backspace in the
 * empty box takes back the last suggested character, then strikes out the one before; Delete
 * strikes out the one after; Enter starts a new paragraph. Escape, Tab or leaving the box ends
 * the suggestion; a suggestion left with nothing in it is withdrawn.
 */
export class SuggestionComposer {
  private readonly input: HTMLInputElement;
  private typing: Typing | null = null;
  private active = false;
  private pointerDown = false;
  private placing = 0;

  constructor(
    private readonly editor: Editor,
    private readonly options: ComposerOptions,
  ) {
    const input = document.createElement('input');
    input.type = 'text';
    input.className = 'suggestion-composer';
    input.setAttribute('aria-label', options.label);
    input.setAttribute('data-testid', 'suggestion-composer');
    input.style.setProperty('--suggestion-color', options.author.color);
    input.hidden = true;
    input.addEventListener('input', this.onInput);
    input.addEventListener('compositionend', this.commit);
    input.addEventListener('keydown', this.onKeyDown);
    input.addEventListener('blur', this.onBlur);
    options.frame.append(input);
    this.input = input;
    editor.view.dom.addEventListener('mousedown', this.onPointerDown);
    window.addEventListener('mouseup', this.onPointerUp);
    document.addEventListener('selectionchange', this.onSelectionChange);
    editor.on('transaction', this.place);
  }

  /** Turns suggesting on or off; turning it off ends the suggestion being typed. */
  setActive(active: boolean): void {
    this.active = active;
    if (!active) this.finish();
  }

  destroy(): void {
    this.finish();
    cancelAnimationFrame(this.placing);
    this.editor.view.dom.removeEventListener('mousedown', this.onPointerDown);
    window.removeEventListener('mouseup', this.onPointerUp);
    document.removeEventListener('selectionchange', this.onSelectionChange);
    this.editor.off('transaction', this.place);
    this.input.remove();
  }

  private readonly onPointerDown = (event: MouseEvent) => {
    // The section's own controls (submit, assign, …) are pressed, not pointed into.
    this.pointerDown = !(event.target instanceof Element && event.target.closest('button, input, select, textarea, a, label'));
  };

  private readonly onPointerUp = () => {
    if (!this.pointerDown) return;
    this.pointerDown = false;
    if (this.active) this.openAtSelection(true);
  };

  /** A selection made without the mouse (by a script, or the keyboard in an accessibility mode). */
  private readonly onSelectionChange = () => {
    if (this.active && !this.pointerDown) this.openAtSelection(false);
  };

  /** Opens the box where the user clicked or selected words, if a suggestion can be about them. */
  private openAtSelection(pointed: boolean): void {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const { view } = this.editor;
    if (!view.dom.contains(range.startContainer) || !view.dom.contains(range.endContainer)) return;
    let from: number;
    let to: number;
    try {
      from = view.posAtDOM(range.startContainer, range.startOffset);
      to = view.posAtDOM(range.endContainer, range.endOffset);
    } catch {
      return;
    }
    const target = targetBetween(view.state, Math.min(from, to), Math.max(from, to));
    if (!target.ok) {
      // Words selected across paragraphs are worth a word; a click beside the text is not.
      if (pointed && !range.collapsed && target.why === 'one-paragraph') this.options.onRefused('where');
      return;
    }
    if (!this.options.maySuggest(target.sectionId)) {
      if (pointed) this.options.onRefused('not-allowed');
      return;
    }
    this.open(target);
  }

  private open(target: Target): void {
    this.finish();
    this.typing = { target, text: '', key: null };
    this.input.value = '';
    this.input.hidden = false;
    this.place();
    this.input.focus({ preventScroll: true });
  }

  /** Ends the suggestion being typed: what is committed stays (one emptied was withdrawn as it emptied). */
  private finish(): void {
    const typing = this.typing;
    if (!typing) return;
    this.commit();
    this.typing = null;
    this.input.value = '';
    this.input.classList.remove('is-composing');
    this.input.hidden = true;
  }

  private readonly onBlur = () => this.finish();

  private readonly onInput = (event: Event) => {
    // While a composition is under way its text is the input method's, not yet the user's.
    if ((event as InputEvent).isComposing) this.place();
    else this.commit();
    this.input.classList.toggle('is-composing', this.input.value !== '');
  };

  /** Moves what the box holds (typed or composed and committed) into the suggestion. */
  private readonly commit = () => {
    const typing = this.typing;
    const typed = this.input.value;
    if (!typing || typed === '') return;
    this.input.value = '';
    typing.text = (typing.text + typed).slice(0, MAX_SUGGESTION_TEXT);
    this.write(typing);
  };

  private readonly onKeyDown = (event: KeyboardEvent) => {
    const typing = this.typing;
    if (!typing || event.isComposing) return;
    const empty = this.input.value === '';
    if ((event.key === 'Backspace' || event.key === 'Delete') && empty && typing.key === null && typing.target.quote !== '') {
      // As in any editor: removing with words selected removes those words.
      event.preventDefault();
      this.write(typing);
    } else if (event.key === 'Backspace' && empty) {
      event.preventDefault();
      if (typing.text !== '') {
        typing.text = Array.from(typing.text).slice(0, -1).join('');
        this.write(typing);
      } else {
        this.strike(typing, 'before');
      }
    } else if (event.key === 'Delete' && empty) {
      event.preventDefault();
      this.strike(typing, 'after');
    } else if (event.key === 'Enter' && empty) {
      // As in the text: a new paragraph, which accepting the suggestion starts.
      event.preventDefault();
      const text = typing.text + PARAGRAPH_BREAK;
      if (text.length <= MAX_SUGGESTION_TEXT && suggestedWordsProblem(text) === null) {
        typing.text = text;
        this.write(typing);
      }
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      this.input.blur();
    }
  };

  /** Widens what the suggestion replaces by the character before or after it, within the paragraph's text. */
  private strike(typing: Typing, side: 'before' | 'after'): void {
    const { state } = this.editor.view;
    const place = placeOf(state, typing.target);
    if (!place) return;
    const from = side === 'before' ? place.from - characterWidth(state.doc.textBetween(Math.max(0, place.from - 2), place.from, '', '\uFFFC'), 'last') : place.from;
    const to = side === 'after' ? place.to + characterWidth(state.doc.textBetween(place.to, Math.min(state.doc.content.size, place.to + 2), '', '\uFFFC'), 'first') : place.to;
    if (from === place.from && to === place.to) return;
    const wider = targetBetween(state, from, to);
    // A linked figure or a line break ends the paragraph's text, as its edges do.
    if (!wider.ok || wider.quote.length !== to - from) return;
    typing.target = wider;
    this.write(typing);
  }

  private write(typing: Typing): void {
    if (typing.text === '' && typing.target.quote === '') {
      if (typing.key) suggestionsOf(this.options.doc).delete(typing.key);
      typing.key = null;
    } else {
      typing.key = writeSuggestion(this.options.doc, this.options.author, typing.target, typing.text, typing.key);
    }
    this.place();
  }

  /** Puts the box right after the suggestion as drawn (after the redraw), or ends it when its words are gone. */
  private readonly place = () => {
    if (!this.typing) return;
    cancelAnimationFrame(this.placing);
    this.placing = requestAnimationFrame(() => {
      const typing = this.typing;
      if (!typing) return;
      const caret = this.caretAfter(typing);
      if (!caret) {
        this.input.blur();
        return;
      }
      const frame = this.options.frame.getBoundingClientRect();
      this.input.style.left = `${caret.left - frame.left}px`;
      this.input.style.top = `${caret.top - frame.top}px`;
      this.input.style.height = `${caret.height}px`;
      // A caret while empty, so the words after it stay readable; as wide as the composition while composing.
      this.input.style.width = this.input.value === '' ? '2px' : `${this.input.value.length + 1}em`;
    });
  };

  private caretAfter(typing: Typing): { left: number; top: number; height: number } | null {
    const { view } = this.editor;
    if (typing.key) {
      const drawn = view.dom.querySelectorAll(`[data-suggestion="${CSS.escape(typing.key)}"]`);
      const rects = drawn[drawn.length - 1]?.getClientRects();
      const last = rects?.[rects.length - 1];
      if (last) return { left: last.right, top: last.top, height: last.height };
    }
    const place = placeOf(view.state, typing.target);
    if (!place) return null;
    const coords = view.coordsAtPos(place.to);
    return { left: coords.left, top: coords.top, height: coords.bottom - coords.top };
  }
}

/** How many UTF-16 units the first or last character of `text` takes (a character outside the BMP takes two). */
function characterWidth(text: string, which: 'first' | 'last'): number {
  const characters = Array.from(text);
  const character = which === 'first' ? characters[0] : characters[characters.length - 1];
  return character === undefined || character === '\uFFFC' ? 0 : character.length;
}
