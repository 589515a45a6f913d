import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { SECTION_NODE } from '../../blocks/section/section.js';
import { demoSections } from '../../server/demo/demo-sections.js';

/** Real report prose (the demo report's paragraphs, linked-figure markers dropped), so the text has the byte profile of Chinese. */
const PROSE: readonly string[] = demoSections.flatMap((section) =>
  section.blocks.flatMap((block) => ('paragraph' in block ? [block.paragraph.replace(/\{[^}]*\}/g, '')] : [])),
);

/** What pasting one paragraph adds to the encoded document, on average: its UTF-8 text and a little structure. */
export const AVERAGE_PASTE_BYTES = PROSE.reduce((sum, paragraph) => sum + Buffer.byteLength(paragraph), 0) / PROSE.length + 16;

/** How a writer types. Probabilities are per keystroke. */
export interface TypingHabits {
  backspace: number;
  /** Moving the caret elsewhere in the section before typing: a correction or an insertion. */
  caretJump: number;
  /** Enter: a new paragraph after the current one. */
  newParagraph: number;
  /** Keystrokes before the writer reloads the page (a new Yjs client id) and turns to another section. */
  sessionLength: number;
}

/** A few corrections per sentence, a new paragraph every few sentences, a reload every hour or so of typing. */
const TYPICAL_HABITS: TypingHabits = { backspace: 0.06, caretJump: 0.01, newParagraph: 1 / 150, sessionLength: 2_000 };

/** One transaction as the editor sends it, and the section whose history it belongs to. */
export interface Edit {
  update: Uint8Array;
  sectionId: string;
}

/**
 * Someone writing the report in the editor. Each call is one transaction the browser would send —
 * a keystroke (one character, a backspace or Enter) or the paste of a whole paragraph — returned
 * as the update the server receives. The writer edits `doc` itself, so `doc` is always the
 * document the server holds after applying every update returned so far.
 */
export class ReportWriter {
  private sectionId = '';
  private section!: Y.XmlElement;
  private paragraph: Y.XmlElement | null = null;
  private text!: Y.XmlText;
  private caret = 0;
  private keystrokesLeftInSession = 0;
  private typed = { paragraph: 0, offset: 0 };
  private pasted = 0;
  private readonly produced: Uint8Array[] = [];

  constructor(
    readonly doc: Y.Doc,
    private readonly random: () => number,
    private readonly habits: TypingHabits = TYPICAL_HABITS,
  ) {
    doc.on('update', (update: Uint8Array) => this.produced.push(update));
  }

  keystroke(): Edit {
    if (this.keystrokesLeftInSession === 0) this.startSession();
    this.keystrokesLeftInSession--;
    const roll = this.random();
    const { newParagraph, backspace, caretJump } = this.habits;
    return this.transact(() => {
      if (roll < newParagraph) {
        this.openParagraph('');
      } else if (roll < newParagraph + backspace && this.caret > 0) {
        this.text.delete(--this.caret, 1);
      } else {
        if (roll < newParagraph + backspace + caretJump) this.moveCaret();
        this.text.insert(this.caret++, this.nextCharacter());
      }
    });
  }

  /** A paragraph pasted after the current one; typing continues at its end. */
  paste(): Edit {
    if (this.keystrokesLeftInSession === 0) this.startSession();
    return this.transact(() => {
      this.openParagraph(PROSE[this.pasted++ % PROSE.length]!);
      this.caret = this.text.length;
    });
  }

  private transact(change: () => void): Edit {
    this.doc.transact(change);
    const update = this.produced.length === 1 ? this.produced[0]! : Y.mergeUpdates(this.produced);
    this.produced.length = 0;
    return { update, sectionId: this.sectionId };
  }

  /**
   * A page reload: a fresh client id, so later items cannot merge with the earlier session's. Drawn
   * from all of uint32 as Yjs draws them: ids of 2^31 and above do not fit V8's small integers and
   * make every Yjs ID object in the process heavier, so a narrower range would understate memory.
   */
  private startSession(): void {
    this.doc.clientID = Math.floor(this.random() * 2 ** 32);
    this.keystrokesLeftInSession = this.habits.sessionLength;
    const sections = this.doc
      .getXmlFragment(BODY_FIELD)
      .toArray()
      .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === SECTION_NODE);
    this.section = sections[Math.floor(this.random() * sections.length)]!;
    this.sectionId = String(this.section.getAttribute('sectionId'));
    // A section without a paragraph gets one; its update goes out merged with the next edit's.
    if (!this.moveCaret()) this.doc.transact(() => this.openParagraph(''));
  }

  /** Puts the caret somewhere in one of the section's paragraphs; false if it has none. */
  private moveCaret(): boolean {
    const paragraphs = this.section.toArray().filter(isTextParagraph);
    if (paragraphs.length === 0) return false;
    this.paragraph = paragraphs[Math.floor(this.random() * paragraphs.length)]!;
    this.text = this.paragraph.get(0) as Y.XmlText;
    this.caret = Math.floor(this.random() * (this.text.length + 1));
    return true;
  }

  private openParagraph(content: string): void {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText(content);
    paragraph.insert(0, [text]);
    // -1 when the caret is still in the previous session's section.
    const current = this.paragraph ? this.section.toArray().indexOf(this.paragraph) : -1;
    this.section.insert(current >= 0 ? current + 1 : this.section.length, [paragraph]);
    this.paragraph = paragraph;
    this.text = text;
    this.caret = 0;
  }

  private nextCharacter(): string {
    const prose = PROSE[this.typed.paragraph]!;
    const character = prose[this.typed.offset]!;
    if (++this.typed.offset === prose.length) this.typed = { paragraph: (this.typed.paragraph + 1) % PROSE.length, offset: 0 };
    return character;
  }
}

function isTextParagraph(node: Y.XmlElement | Y.XmlText | Y.XmlHook): node is Y.XmlElement {
  return node instanceof Y.XmlElement && node.nodeName === 'paragraph' && node.get(0) instanceof Y.XmlText;
}
