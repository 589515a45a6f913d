import mammoth from 'mammoth';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A DOCX as Word would read it, turned back into HTML by mammoth (headings, paragraphs, tables). */
export async function docxAsHtml(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  return value;
}

interface LoadedFont {
  name: string;
  missingFile: boolean;
}

/** A PDF's text, page by page, exactly as copy-and-paste gets it, its pages' sizes in points, and the fonts embedded in it. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; sizes: Array<[number, number]>; embeddedFonts: string[] }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  const pages: string[] = [];
  const sizes: Array<[number, number]> = [];
  const fonts = new Set<string>();
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const [, , width, height] = page.view as [number, number, number, number];
    sizes.push([Math.round(width), Math.round(height)]);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
    await page.getOperatorList();
    for (const item of content.items) {
      if (!('fontName' in item)) continue;
      const font = page.commonObjs.get(item.fontName) as LoadedFont;
      if (!font.missingFile) fonts.add(font.name.replace(/^[A-Z]{6}\+/, ''));
    }
  }
  await pdf.destroy();
  return { pages, sizes, embeddedFonts: [...fonts] };
}
