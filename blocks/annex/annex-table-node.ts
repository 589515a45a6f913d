import { Node, mergeAttributes } from '@tiptap/core';
import { ANNEX_TABLE_ID_PATTERN } from '../contract.js';
import { describeValue } from '../describe-value.js';

export const ANNEX_TABLE_NODE = 'annexTable';

function validateTableId(value: unknown): void {
  if (typeof value !== 'string' || !ANNEX_TABLE_ID_PATTERN.test(value)) {
    throw new RangeError(`annexTable: tableId must match ${ANNEX_TABLE_ID_PATTERN}, got ${describeValue(value)}`);
  }
}

/**
 * Where an annex table appears in the report. The node holds only the table's id; the cells live
 * in the report's `annex` map, so concurrent edits to different cells never conflict and the
 * table's national shape cannot be edited. The section holding this node owns the table's cells.
 */
export const AnnexTable = Node.create({
  name: ANNEX_TABLE_NODE,
  group: 'block',
  atom: true,
  selectable: true,
  draggable: false,

  addAttributes() {
    return {
      tableId: {
        default: null,
        validate: validateTableId,
        parseHTML: (element) => element.getAttribute('data-annex-table'),
        renderHTML: (attributes) => ({ 'data-annex-table': attributes.tableId }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'div[data-annex-table]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes(HTMLAttributes, { class: 'annex-table' })];
  },
});
