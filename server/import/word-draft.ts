import { isTag, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { refuse } from '../../blocks/errors.js';
import type { WordDraft } from '../../blocks/import/source.js';
import { uploadKind } from './read-upload.js';
import { checkUnpackedSize } from './zip-limits.js';

/**
 * Word's heading styles as a section's headings: a section's own title is its heading, so the
 * draft's levels start below it (the schema has levels 3 and 4).
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h3:fresh",
  "p[style-name='heading 1'] => h3:fresh",
  "p[style-name='heading 2'] => h3:fresh",
  "p[style-name='heading 3'] => h4:fresh",
  "p[style-name='heading 4'] => h4:fresh",
  "p[style-name='heading 5'] => h4:fresh",
  "p[style-name='heading 6'] => h4:fresh",
];

/**
 * A department's Word or WPS draft (.docx) as HTML the report's schema holds — headings,
 * paragraphs, lists, bold and italic, links and prose tables — and a count of what it could not
 * hold, for the notice the person sees: pictures, footnotes, and objects Word draws (text boxes,
 * shapes, charts). The browser inserts the HTML through its editor, where the guard judges it as
 * any edit.
 */
export async function convertWordDraft(name: string, bytes: Uint8Array): Promise<WordDraft> {
  if (!/\.docx$/i.test(name)) throw refuse('import-type-unsupported', { name, types: '.docx' });
  // The checks every upload gets: its size, and that its first bytes are a DOCX's.
  uploadKind({ name, bytes });
  checkUnpackedSize(name, bytes);
  const { default: mammoth } = await import('mammoth');
  let images = 0;
  let converted: { value: string; messages: Array<{ type: string; message: string }> };
  try {
    converted = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      {
        styleMap: STYLE_MAP,
        convertImage: mammoth.images.imgElement(async () => {
          images++;
          return { src: '' };
        }),
      },
    );
  } catch (error) {
    throw refuse('import-unreadable', { name, detail: error instanceof Error ? error.message : String(error) });
  }
  const page = parseDocument(converted.value);
  const all = (test: (element: Element) => boolean) => DomUtils.findAll(test, page.children);
  for (const image of all((element) => element.name === 'img')) DomUtils.removeElement(image);
  // Footnotes and endnotes: the references in the text and the notes mammoth lists at the end.
  const notes = all((element) => element.name === 'li' && /^(foot|end)note-/.test(element.attribs.id ?? ''));
  for (const note of notes) DomUtils.removeElement(note);
  for (const reference of all((element) => element.name === 'sup' && DomUtils.findOne((child) => /^#(foot|end)note-/.test(child.attribs.href ?? ''), element.children) !== null)) {
    DomUtils.removeElement(reference);
  }
  for (const list of all((element) => (element.name === 'ol' || element.name === 'ul') && !element.children.some(isTag))) DomUtils.removeElement(list);
  const unrecognised = converted.messages.filter((message) => message.type === 'warning' && /unrecognised element|unsupported/i.test(message.message)).length;
  const dropped = [
    { kind: 'images' as const, count: images },
    { kind: 'notes' as const, count: notes.length },
    { kind: 'objects' as const, count: unrecognised },
  ].filter((entry) => entry.count > 0);
  return { html: DomUtils.getOuterHTML(page.children, { encodeEntities: 'utf8' }), dropped };
}
