import * as Y from 'yjs';
import { AVERAGE_PASTE_BYTES, type Edit, type ReportWriter } from './report-writer.js';

/** The document's size as a snapshot stores it. */
function encodedSize(doc: Y.Doc): number {
  return Y.encodeStateAsUpdate(doc).byteLength;
}

/**
 * `count` edits that take the report from where it is to about `targetBytes`: a report written
 * over months. Mostly keystrokes; wherever the document falls behind a straight line to the
 * target, paragraphs are pasted in (spread over the next `window` edits) to catch up.
 */
export function* mixedHistory(writer: ReportWriter, count: number, targetBytes: number, window = 500): Generator<Edit> {
  const startBytes = encodedSize(writer.doc);
  for (let done = 0; done < count; ) {
    const length = Math.min(window, count - done);
    const due = startBytes + ((targetBytes - startBytes) * (done + length)) / count;
    const pastes = Math.min(length, Math.max(0, Math.ceil((due - encodedSize(writer.doc)) / AVERAGE_PASTE_BYTES)));
    for (let i = 0; i < length; i++) {
      const pasteHere = Math.floor(((i + 1) * pastes) / length) > Math.floor((i * pastes) / length);
      yield pasteHere ? writer.paste() : writer.keystroke();
    }
    done += length;
  }
}

/** Keystrokes only, until the document reaches `targetBytes`; returns how many. */
export function typeUntil(writer: ReportWriter, targetBytes: number): number {
  let keystrokes = 0;
  while (encodedSize(writer.doc) < targetBytes) {
    for (let i = 0; i < 2_000; i++) writer.keystroke();
    keystrokes += 2_000;
  }
  return keystrokes;
}

/** Whole paragraphs pasted, until the document reaches `targetBytes`; returns how many. */
export function pasteUntil(writer: ReportWriter, targetBytes: number): number {
  let pastes = 0;
  while (encodedSize(writer.doc) < targetBytes) {
    for (let i = 0; i < 100; i++) writer.paste();
    pastes += 100;
  }
  return pastes;
}
