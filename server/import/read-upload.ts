import { refuse } from '../../blocks/errors.js';
import { IMPORT_FILE_TYPES, MAX_IMPORT_BYTES, type ImportSource, type SourceBlock } from '../../blocks/import/source.js';
import { htmlBlocks } from './html-blocks.js';
import { pdfBlocks } from './pdf-blocks.js';
import { toSimplified } from './traditional.js';
import { checkUnpackedSize } from './zip-limits.js';

/** The files a report can be imported from, by the name's ending. */
const KINDS: Record<string, ImportSource> = { html: 'html', htm: 'html', docx: 'docx', pdf: 'pdf', txt: 'txt' };
const IMPORT_TYPES = IMPORT_FILE_TYPES.join(', ');

export interface Upload {
  name: string;
  bytes: Uint8Array;
}

export interface UploadReading {
  kind: ImportSource;
  blocks: SourceBlock[];
  /** The text was in traditional characters and was read in simplified ones. */
  traditional: boolean;
}

/** The kind of an uploaded file by its name, checked against its first bytes. */
export function uploadKind(upload: Upload): ImportSource {
  const extension = /\.([a-z0-9]+)$/i.exec(upload.name)?.[1]?.toLowerCase() ?? '';
  const kind = KINDS[extension];
  if (!kind) throw refuse('import-type-unsupported', { name: upload.name, types: IMPORT_TYPES });
  if (upload.bytes.length > MAX_IMPORT_BYTES) throw refuse('import-too-large', { max: `${MAX_IMPORT_BYTES / 1024 / 1024} MB` });
  const starts = (magic: string) => Buffer.from(upload.bytes.subarray(0, magic.length)).toString('latin1') === magic;
  if (kind === 'docx' && !starts('PK\u0003\u0004')) throw refuse('import-unreadable', { name: upload.name, detail: 'not a DOCX (Office Open XML) file' });
  if (kind === 'pdf' && !starts('%PDF-')) throw refuse('import-unreadable', { name: upload.name, detail: 'not a PDF file' });
  return kind;
}

/** An uploaded report as lines and tables, in simplified characters. */
export async function readUpload(upload: Upload): Promise<UploadReading> {
  const kind = uploadKind(upload);
  let blocks: SourceBlock[];
  try {
    blocks = await blocksOf(kind, upload.name, upload.bytes);
  } catch (error) {
    throw refuse('import-unreadable', { name: upload.name, detail: error instanceof Error ? error.message : String(error) });
  }
  if (!blocks.some((block) => block.kind === 'table' || block.text.trim() !== '')) throw refuse('import-no-text', { name: upload.name });
  const converted = await toSimplified(blocks);
  return { kind, ...converted };
}

async function blocksOf(kind: ImportSource, name: string, bytes: Uint8Array): Promise<SourceBlock[]> {
  switch (kind) {
    case 'html':
      return htmlBlocks(decodeText(bytes, true));
    case 'txt':
      return decodeText(bytes, false)
        .split(/\r\n|\r|\n/)
        .map((text) => ({ kind: 'text', text }));
    case 'docx': {
      checkUnpackedSize(name, bytes);
      // Word's document model as HTML — paragraphs, headings and tables with their merged cells.
      const { default: mammoth } = await import('mammoth');
      const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
      return htmlBlocks(value);
    }
    case 'pdf':
      return pdfBlocks(bytes);
  }
}

/**
 * Text whatever its encoding: UTF-8 (with or without a byte-order mark), UTF-16 with one, the
 * charset a page declares, or else GB18030 — what Chinese Windows saves text in.
 */
function decodeText(bytes: Uint8Array, isPage: boolean): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const declared = isPage ? /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(Buffer.from(bytes.subarray(0, 4096)).toString('latin1'))?.[1] : undefined;
  if (declared && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An encoding this runtime does not know: read it as the others.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
