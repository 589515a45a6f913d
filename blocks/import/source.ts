/** The files a report or a draft can be imported from, by the name's ending. */
export const IMPORT_FILE_TYPES = ['.html', '.htm', '.docx', '.pdf', '.txt'] as const;

/** What an import was read from. */
export type ImportSource = 'html' | 'docx' | 'pdf' | 'txt';

/** A report of several hundred pages with its tables is a few MB; nothing larger is a report. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * What a file's reader hands the import, whatever the file was (a portal page, a DOCX, a PDF's
 * text layer, pasted text): its paragraphs and tables in reading order. Everything after this
 * point — finding the title, the sections and the annex figures — is one reading for all of them.
 */
export type SourceBlock = SourceText | SourceTable;

/** A paragraph, a heading or one line of text. */
export interface SourceText {
  kind: 'text';
  text: string;
}

/**
 * A table as drawn: each row's cells left to right. A merged cell appears once in each row it
 * covers (a row label spanning rows repeats; one spanning columns does not).
 */
export interface SourceTable {
  kind: 'table';
  rows: string[][];
}

/**
 * A department's Word/WPS draft made ready for its section: HTML in the report's vocabulary, and
 * what the report cannot hold (pictures, footnotes, drawn objects), counted for the notice.
 */
export interface WordDraft {
  html: string;
  dropped: Array<{ kind: 'images' | 'notes' | 'objects'; count: number }>;
}
