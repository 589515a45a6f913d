import Document from '@tiptap/extension-document';

/** A report is a sequence of sections and nothing else at the top level. */
export const ReportDocument = Document.extend({
  content: 'section+',
});
