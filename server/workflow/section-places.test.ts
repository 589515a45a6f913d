import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { ReportDocs, indexOfSection, sectionOf } from '../collab/report-docs.fixture.js';
import { SectionPlaces } from './section-places.js';

const docs = new ReportDocs();
afterEach(() => docs.destroyAll());

/** The first text of a section (its first paragraph's). */
function firstText(section: Y.XmlElement): Y.XmlText {
  const pending: Array<Y.XmlElement | Y.XmlText> = [section];
  while (pending.length > 0) {
    const next = pending.shift()!;
    if (next instanceof Y.XmlText) return next;
    pending.push(...next.toArray().filter((child): child is Y.XmlElement | Y.XmlText => child instanceof Y.XmlElement || child instanceof Y.XmlText));
  }
  throw new Error('the section has no text');
}

const plain = (text: Y.XmlText) => text.toDelta().map((part: { insert: unknown }) => (typeof part.insert === 'string' ? part.insert : '')).join('');

/** Where a relative position is now: its text and the index in it. */
function resolve(doc: Y.Doc, position: Y.RelativePosition) {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute) throw new Error('the position does not resolve');
  return absolute;
}

/** Moves a section the way the lead office does: a copy at the new place, the original deleted. */
function move(doc: Y.Doc, sectionId: string, to: number) {
  const body = doc.getXmlFragment(BODY_FIELD);
  const original = sectionOf(body, sectionId);
  const places = SectionPlaces.of(original);
  const copy = original.clone();
  doc.transact(() => {
    body.delete(indexOfSection(body, sectionId), 1);
    body.insert(to, [copy]);
  });
  return { places, copy };
}

describe('positions in a section follow it into the copy a move makes', () => {
  it('a quoted stretch of text reads the same in the copy, at either end and with either association', () => {
    const doc = docs.server();
    const text = firstText(sectionOf(doc.getXmlFragment(BODY_FIELD), 'overview-food'));
    const quote = plain(text).slice(3, 9);
    const anchors = [
      [Y.createRelativePositionFromTypeIndex(text, 3), Y.createRelativePositionFromTypeIndex(text, 9)],
      [Y.createRelativePositionFromTypeIndex(text, 3, -1), Y.createRelativePositionFromTypeIndex(text, 9, -1)],
    ] as const;
    const { places, copy } = move(doc, 'overview-food', 0);
    expect(indexOfSection(doc.getXmlFragment(BODY_FIELD), 'overview-food')).toBe(0);
    for (const [from, to] of anchors) {
      // The old positions name deleted items; the carried ones name the copy's.
      expect(Y.createAbsolutePositionFromRelativePosition(from, doc)?.type === firstText(copy)).toBe(false);
      const start = resolve(doc, places.translate(from, copy)!);
      const end = resolve(doc, places.translate(to, copy)!);
      expect(start.type === firstText(copy)).toBe(true);
      expect(plain(firstText(copy)).slice(start.index, end.index)).toBe(quote);
    }
  });

  it('a carried position keeps following its text as the copy is edited', () => {
    const doc = docs.server();
    const text = firstText(sectionOf(doc.getXmlFragment(BODY_FIELD), 'overview-food'));
    const quote = plain(text).slice(5, 12);
    const from = Y.createRelativePositionFromTypeIndex(text, 5);
    const to = Y.createRelativePositionFromTypeIndex(text, 12);
    const { places, copy } = move(doc, 'overview-food', 0);
    const carried = [places.translate(from, copy)!, places.translate(to, copy)!];
    firstText(copy).insert(0, '新增的开头。');
    const [start, end] = carried.map((position) => resolve(doc, position).index);
    expect(plain(firstText(copy)).slice(start, end)).toBe(quote);
  });

  it('the end of a text, and a character deleted before the move, land where they stood', () => {
    const doc = docs.server();
    const text = firstText(sectionOf(doc.getXmlFragment(BODY_FIELD), 'overview-food'));
    const length = text.length;
    const atEnd = Y.createRelativePositionFromTypeIndex(text, length);
    expect(atEnd.item).toBeNull();
    const onDeleted = Y.createRelativePositionFromTypeIndex(text, 4);
    text.delete(4, 1);
    const { places, copy } = move(doc, 'overview-food', 0);
    const end = resolve(doc, places.translate(atEnd, copy)!);
    const deleted = resolve(doc, places.translate(onDeleted, copy)!);
    expect(end.type === firstText(copy) && deleted.type === firstText(copy)).toBe(true);
    expect([end.index, deleted.index]).toEqual([length - 1, 4]);
  });

  it('a position outside the section is not the move\'s to carry', () => {
    const doc = docs.server();
    const elsewhere = firstText(sectionOf(doc.getXmlFragment(BODY_FIELD), 'overview-env'));
    const position = Y.createRelativePositionFromTypeIndex(elsewhere, 2);
    const { places, copy } = move(doc, 'overview-food', 0);
    expect(places.translate(position, copy)).toBeNull();
    expect(places.translate(Y.createRelativePositionFromJSON({ item: { client: 1, clock: 99 }, assoc: 0 }), copy)).toBeNull();
  });
});
