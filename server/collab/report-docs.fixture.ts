import * as Y from 'yjs';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import { findSectionElement } from '../../blocks/report-json.js';
import { buildDemoReportUpdate } from '../demo/seed-demo.js';
import { createReportDoc } from './report-store.js';

/** The seeded demo report as one update. */
export const demoUpdate = buildDemoReportUpdate();

/** Report documents for unit tests: the demo report as a room holds it, and browsers synced with it. */
export class ReportDocs {
  private readonly docs: Y.Doc[] = [];

  /** A report document with nothing in it yet. */
  empty(): Y.Doc {
    const doc = createReportDoc();
    this.docs.push(doc);
    return doc;
  }

  /** The server's copy of the demo report, as a room holds it. */
  server(): Y.Doc {
    const doc = this.empty();
    Y.applyUpdate(doc, demoUpdate);
    return doc;
  }

  /** A browser that has synced with the server and records each of its own edits as an update. */
  client(server: Y.Doc) {
    const doc = new Y.Doc();
    this.docs.push(doc);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const edits: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => edits.push(update));
    return { doc, body: doc.getXmlFragment(BODY_FIELD), annex: doc.getMap<unknown>(ANNEX_FIELD), edits };
  }

  destroyAll(): void {
    for (const doc of this.docs.splice(0)) doc.destroy();
  }
}

/** The section with this id; the test is wrong if there is none. */
export function sectionOf(body: Y.XmlFragment, sectionId: string): Y.XmlElement {
  const section = findSectionElement(body, sectionId);
  if (!section) throw new Error(`no section ${sectionId}`);
  return section;
}

export function indexOfSection(body: Y.XmlFragment, sectionId: string): number {
  return body.toArray().indexOf(sectionOf(body, sectionId));
}
