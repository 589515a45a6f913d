import { Node, mergeAttributes } from '@tiptap/core';
import { contentLimits } from '../content-limits.js';
import { describeValue } from '../describe-value.js';

export const SECTION_NODE = 'section';

/** Section ids are stable keys shared with the sections API and the database. */
export const SECTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export type SectionLevel = 1 | 2;

export interface SectionAttributes {
  sectionId: string;
  title: string;
  /** 1: one of the report's six chapters; 2: a department's part inside a chapter. */
  level: SectionLevel;
}

function validateSectionId(value: unknown): void {
  if (typeof value !== 'string' || !SECTION_ID_PATTERN.test(value)) {
    throw new RangeError(`section: sectionId must match ${SECTION_ID_PATTERN}, got ${describeValue(value)}`);
  }
}

function validateTitle(value: unknown): void {
  if (typeof value !== 'string' || value.length > contentLimits.maxTitleLength) {
    throw new RangeError(`section: title must be a string of at most ${contentLimits.maxTitleLength} characters`);
  }
}

function validateLevel(value: unknown): void {
  if (value !== 1 && value !== 2) throw new RangeError(`section: level must be 1 or 2, got ${describeValue(value)}`);
}

/**
 * A report section: the unit a department owns and the lead office assigns, locks and
 * approves. Its attributes are structure (only the lead office may change them); who owns it
 * and its review state live in the database, never here, so no client can rewrite them.
 */
export const Section = Node.create({
  name: SECTION_NODE,
  content: 'block+',
  defining: true,
  isolating: true,
  selectable: false,
  draggable: false,

  addAttributes() {
    return {
      sectionId: {
        default: null,
        validate: validateSectionId,
        parseHTML: (element) => element.getAttribute('data-section-id'),
        renderHTML: (attributes) => ({ 'data-section-id': attributes.sectionId }),
      },
      title: {
        default: '',
        validate: validateTitle,
        parseHTML: (element) => element.getAttribute('data-title') ?? '',
        renderHTML: (attributes) => ({ 'data-title': attributes.title }),
      },
      level: {
        default: 1,
        validate: validateLevel,
        parseHTML: (element) => (element.getAttribute('data-level') === '2' ? 2 : 1),
        renderHTML: (attributes) => ({ 'data-level': String(attributes.level) }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'section[data-section-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const heading = node.attrs.level === 2 ? 'h3' : 'h2';
    return [
      'section',
      mergeAttributes(HTMLAttributes, { class: 'report-section' }),
      [heading, { class: 'report-section-title', contenteditable: 'false' }, node.attrs.title],
      ['div', { class: 'report-section-body' }, 0],
    ];
  },
});
