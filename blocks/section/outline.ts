import * as Y from 'yjs';
import { SECTION_ID_PATTERN, type SectionLevel } from './section.js';

export interface SectionOutlineEntry {
  sectionId: string;
  title: string;
  level: SectionLevel;
}

/** The report's sections in document order, read straight from the shared body fragment. */
export function readSectionOutline(body: Y.XmlFragment): SectionOutlineEntry[] {
  const outline: SectionOutlineEntry[] = [];
  for (const child of body.toArray()) {
    if (!(child instanceof Y.XmlElement) || child.nodeName !== 'section') continue;
    const sectionId = child.getAttribute('sectionId');
    if (typeof sectionId !== 'string' || !SECTION_ID_PATTERN.test(sectionId)) continue;
    const title = child.getAttribute('title');
    const level: unknown = child.getAttribute('level');
    outline.push({ sectionId, title: typeof title === 'string' ? title : '', level: level === 2 ? 2 : 1 });
  }
  return outline;
}
