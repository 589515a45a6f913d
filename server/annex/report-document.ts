import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import { cellKey } from '../../blocks/annex/definition.js';
import { reportSchema } from '../../blocks/extensions.js';
import type { NodeJSON } from '../../blocks/report-json.js';
import { createReportDoc } from '../collab/report-store.js';

/** Writes annex tables into a report's `annex` map, one Y.Map per table; blank cells are stored as null. */
function writeAnnexTables(doc: Y.Doc, tables: AnnexTables): void {
  const annex = doc.getMap<Y.Map<number | null>>(ANNEX_FIELD);
  for (const [tableId, rows] of Object.entries(tables)) {
    let cells = annex.get(tableId);
    if (!cells) annex.set(tableId, (cells = new Y.Map()));
    for (const [rowId, columns] of Object.entries(rows)) {
      for (const [columnId, value] of Object.entries(columns)) cells.set(cellKey(rowId, columnId), value);
    }
  }
}

/** A new report's first update: its sections (checked against the report schema) and its tables. */
export function buildReportUpdate(sections: NodeJSON[], tables: AnnexTables): Uint8Array {
  const doc = createReportDoc();
  prosemirrorJSONToYXmlFragment(reportSchema, { type: 'doc', content: sections }, doc.getXmlFragment(BODY_FIELD));
  writeAnnexTables(doc, tables);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
