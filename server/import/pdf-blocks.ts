import type { SourceBlock } from '../../blocks/import/source.js';

interface PositionedText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Items whose baselines are this close (in font heights) sit on one line. */
const SAME_LINE = 0.4;
/** A gap wider than this (in font heights) separates two cells or columns. */
const CELL_GAP = 0.6;

/**
 * A PDF's text layer as lines, page by page: items on one baseline joined left to right, with a
 * tab where a gap separates them (table cells). Scanned pages without text give nothing: the
 * caller says so rather than guess.
 */
export async function pdfBlocks(bytes: Uint8Array): Promise<SourceBlock[]> {
  return (await pdfPageLines(bytes)).flat().map((text) => ({ kind: 'text', text }));
}

/** Each page's lines of text, top to bottom, its page number left out. */
export async function pdfPageLines(bytes: Uint8Array): Promise<string[][]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[][] = [];
  try {
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items: PositionedText[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        items.push({ text: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, height: Math.abs(item.height) || Math.abs(item.transform[3] as number) || 10 });
      }
      pages.push(withoutPageNumber(groupLines(items)));
      page.cleanup();
    }
  } finally {
    await pdf.destroy();
  }
  return pages;
}

/** A page number ("— 3 —", "- 3 -", "3", "第3页") at the top or foot of a page is not the report's text. */
const PAGE_NUMBER = /^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)$/;

function withoutPageNumber(lines: string[]): string[] {
  const kept = [...lines];
  if (kept.length > 0 && PAGE_NUMBER.test(kept[kept.length - 1]!)) kept.pop();
  if (kept.length > 0 && PAGE_NUMBER.test(kept[0]!)) kept.shift();
  return kept;
}

function groupLines(items: PositionedText[]): string[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: PositionedText[][] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(line[0]!.y - item.y) <= SAME_LINE * Math.max(line[0]!.height, item.height)) line.push(item);
    else lines.push([item]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    let text = '';
    let end: number | null = null;
    for (const item of line) {
      if (end !== null) text += item.x - end > CELL_GAP * item.height ? '\t' : '';
      text += item.text;
      end = item.x + item.width;
    }
    return text.trim();
  });
}
