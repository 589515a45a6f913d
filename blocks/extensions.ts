import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { AnnexFigure } from './annex/annex-figure-node.js';
import { AnnexTable } from './annex/annex-table-node.js';
import { isAllowedLinkHref, withAttributeRules } from './attribute-rules.js';
import { ReportDocument } from './report-document.js';
import { Section } from './section/section.js';

/**
 * The one list of extensions that defines a report's content. The browser's editor, the
 * server's checks and the publishing renderer all build their schema from it.
 */
export const reportExtensions: AnyExtension[] = [
  ReportDocument,
  Section,
  withAttributeRules(
    StarterKit.configure({
      document: false,
      // Collaboration brings its own undo history, scoped to the user's own edits.
      undoRedo: false,
      // A trailing paragraph after the last section would not fit `section+`.
      trailingNode: false,
      heading: { levels: [3, 4] },
      link: { openOnClick: false, defaultProtocol: 'https', isAllowedUri: (href) => isAllowedLinkHref(href) },
    }),
  ),
  withAttributeRules(TableKit.configure({ table: { resizable: false } })),
  AnnexTable,
  AnnexFigure,
];

export const reportSchema = getSchema(reportExtensions);
