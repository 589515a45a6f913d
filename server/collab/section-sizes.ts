import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { contentLimits } from '../../blocks/content-limits.js';
import { findSectionElement } from '../../blocks/report-json.js';

/**
 * Keeps each section within `contentLimits.maxSectionLength` at a cost that grows with the edit,
 * not with the section: a section's size is measured once, then grown by what each accepted
 * update adds. Deletions are not subtracted as they come; the estimate only ever runs high, and is
 * measured again exactly when it would pass the limit.
 */
export class SectionSizes {
  private readonly estimates = new Map<string, number>();

  /** The first section that `growth` would take past the limit, with its size, or null. */
  overLimit(doc: Y.Doc, growth: ReadonlyMap<string, number>): { sectionId: string; size: number } | null {
    for (const [sectionId, added] of growth) {
      let size = this.estimates.get(sectionId) ?? measureSection(doc, sectionId);
      if (size + added > contentLimits.maxSectionLength) size = measureSection(doc, sectionId);
      this.estimates.set(sectionId, size);
      if (size + added > contentLimits.maxSectionLength) return { sectionId, size: size + added };
    }
    return null;
  }

  /** Counts what an accepted update added. */
  grow(growth: ReadonlyMap<string, number>): void {
    for (const [sectionId, added] of growth) {
      const size = this.estimates.get(sectionId);
      if (size !== undefined) this.estimates.set(sectionId, size + added);
    }
  }

  /** Forgets every estimate: the server rewrote sections (a restore) or moved them. */
  forget(): void {
    this.estimates.clear();
  }
}

/** Characters of a section's text plus one per element in it, walked without recursion. */
function measureSection(doc: Y.Doc, sectionId: string): number {
  const section = findSectionElement(doc.getXmlFragment(BODY_FIELD), sectionId);
  if (!section) return 0;
  let size = 0;
  const pending: Y.XmlElement[] = [section];
  while (pending.length > 0) {
    for (const child of pending.pop()!.toArray()) {
      if (child instanceof Y.XmlElement) {
        size += 1;
        pending.push(child);
      } else if (child instanceof Y.XmlText) {
        size += child.length;
      }
    }
  }
  return size;
}
