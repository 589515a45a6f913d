import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  AlignmentType,
  DocumentGridType,
  Footer,
  LineRuleType,
  PageNumber,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  InsertedTextRun,
  DeletedTextRun,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type ILevelsOptions,
  type IParagraphOptions,
  type IStylesOptions,
  type ParagraphChild,
} from 'docx';
import { cellText, isHeaderCell, linkRuns, type Inline, type PrintBlock, type PrintCell, type PrintedReport, type PrintTable } from './printed-report.js';

/**
 * Writes the Word document of the printed report (printed-report.ts), the same layout the
 * published page is written from, as GB/T 9704-2012 has an official document: A4 with its margins
 * and its grid of 22 lines of 28 characters, 仿宋 三号 text with two-character first-line indents,
 * the title in 小标宋, 黑体 and 楷体 headings, "— 1 —" at the outer edge, and tables whose header
 * rows repeat on each page.
 */
export async function reportDocx(report: PrintedReport): Promise<Buffer> {
  try {
    const top: Block[] = [];
    // A draft's mark (征求意见稿) stands at the top right, as on a printed draft.
    if (report.draftMark) top.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: report.draftMark, bold: true })] }));
    top.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(report.title)] }));
    const document = new Document({
      title: report.title,
      styles: STYLES,
      numbering: { config: [ORDERED_LIST, BULLETED_LIST] },
      // Page numbers sit at the outer edge: right on odd pages, left on even ones.
      evenAndOddHeaderAndFooters: true,
      sections: [
        {
          properties: { page: { size: A4, margin: OFFICIAL_MARGINS }, grid: OFFICIAL_GRID },
          footers: { default: pageNumberFooter(AlignmentType.RIGHT), even: pageNumberFooter(AlignmentType.LEFT) },
          children: endWithParagraph([...top, ...new DocxWriter().write(report.blocks, BODY)]),
        },
      ],
    });
    return withOfficeSettings(await Packer.toBuffer(document));
  } catch (error) {
    throw new Error(`Cannot make the Word document of “${report.title}”: ${messageOf(error)}`, { cause: error });
  }
}

// ——— Page and styles ———

/** "— 1 —" in 宋体 四号, one character in from the page's outer edge. */
function pageNumberFooter(alignment: (typeof AlignmentType)[keyof typeof AlignmentType]): Footer {
  const inset = alignment === AlignmentType.RIGHT ? { right: 280 } : { left: 280 };
  return new Footer({
    children: [
      new Paragraph({
        alignment,
        indent: inset,
        children: [new TextRun({ font: PAGE_NUMBER_FONT, size: 28, children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

/**
 * What the docx library does not write: each office font's fallback in the font table (仿宋_GB2312
 * → 仿宋, …), so Word and WPS on a machine without the *_GB2312 fonts still set the text in the
 * right family; and mirrored margins, so the 28 mm binding margin is on the inside of every page
 * printed on both sides.
 */
function withOfficeSettings(docx: Buffer): Buffer {
  const parts = unzipSync(docx);
  const edit = (name: string, change: (xml: string) => string) => {
    const before = strFromU8(parts[name] ?? new Uint8Array());
    const after = change(before);
    if (after === before) throw new Error(`the Word document's ${name} is not as expected`);
    parts[name] = strToU8(after);
  };
  const fonts = Object.entries(FONT_FALLBACKS)
    .map(([font, fallback]) => `<w:font w:name="${font}"><w:altName w:val="${fallback}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`)
    .join('');
  // docx writes the table empty (<w:fonts …/>) or with fonts of its own.
  edit('word/fontTable.xml', (table) => (table.includes('</w:fonts>') ? table.replace('</w:fonts>', `${fonts}</w:fonts>`) : table.replace(/<w:fonts([^>]*)\/>/, `<w:fonts$1>${fonts}</w:fonts>`)));
  // The schema orders settings: mirrorMargins comes right after displayBackgroundShape, before the tab stop.
  edit('word/settings.xml', (settings) => settings.replace('<w:displayBackgroundShape/>', '<w:displayBackgroundShape/><w:mirrorMargins/>'));
  return Buffer.from(zipSync(parts));
}

/** Twips (1/20 pt): A4 is 210 × 297 mm. */
const A4 = { width: 11906, height: 16838 };
const mm = (millimetres: number) => Math.round((millimetres * 1440) / 25.4);
/**
 * GB/T 9704-2012: a type area of 156 × 225 mm, 37 mm from the top and 28 mm from the binding
 * edge; the page number sits 7 mm below the type area.
 */
const OFFICIAL_MARGINS = { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(35 - 7 - 6) };
const TEXT_WIDTH = A4.width - OFFICIAL_MARGINS.left - OFFICIAL_MARGINS.right;
/** 三号 (16 pt), the size of the body text and of every heading but the title. */
const BODY_SIZE = 32;
/** 22 lines to the type area's 225 mm: a line pitch of 28.95 pt, exactly. */
const LINE_PITCH = Math.round((A4.height - OFFICIAL_MARGINS.top - OFFICIAL_MARGINS.bottom) / 22);
const EXACT_LINES = { line: LINE_PITCH, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
/** 28 characters to the line: Word's character grid adds the difference to the 16 pt of each character (in 1/4096 pt). */
const OFFICIAL_GRID = { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE_PITCH, charSpace: Math.round((TEXT_WIDTH / 28 / 20 - BODY_SIZE / 2) * 4096) };
/** Two characters of 16 pt body text, the indent of a Chinese paragraph's first line (and of headings). */
const TWO_CHARACTERS = 640;

/**
 * The typefaces as Chinese offices have them installed (the *_GB2312 names of older Windows and of
 * WPS); `FONT_FALLBACKS` names the font each falls back to where it is missing. Latin letters and
 * figures in Times New Roman.
 */
const LATIN = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman' };
const BODY_FONT = { ...LATIN, eastAsia: '仿宋_GB2312' };
const TITLE_FONT = { ...LATIN, eastAsia: '方正小标宋简体' };
const PART_FONT = { ...LATIN, eastAsia: '黑体' };
const SUBPART_FONT = { ...LATIN, eastAsia: '楷体_GB2312' };
const PAGE_NUMBER_FONT = { ...LATIN, eastAsia: '宋体' };
const FONT_FALLBACKS: Readonly<Record<string, string>> = { 仿宋_GB2312: '仿宋', 方正小标宋简体: '宋体', 楷体_GB2312: '楷体' };
const MONOSPACE_FONT = { ascii: 'Courier New', hAnsi: 'Courier New', cs: 'Courier New' };
const TABLE_TEXT_STYLE = 'TableText';
const NARROW_TABLE_TEXT_STYLE = 'TableTextNarrow';

/** 黑体 and 楷体 are distinct enough on their own: headings are set unbolded, two characters in, on the line grid. */
function headingStyle(font: typeof BODY_FONT, outlineLevel: number) {
  return {
    run: { font, size: BODY_SIZE, bold: false, italics: false, color: '000000' },
    paragraph: { keepNext: true, keepLines: true, outlineLevel, spacing: EXACT_LINES, indent: { firstLine: TWO_CHARACTERS, firstLineChars: 200 } },
  };
}

/** GB/T 9704 type: 仿宋 三号 text, the title in 小标宋 二号, 一、 parts in 黑体 and （一） sub-parts in 楷体. */
const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: BODY_FONT, size: BODY_SIZE, language: { value: 'en-US', eastAsia: 'zh-CN' } },
      paragraph: { alignment: AlignmentType.JUSTIFIED, spacing: EXACT_LINES },
    },
    title: {
      run: { font: TITLE_FONT, size: 44, bold: false, color: '000000' },
      // Set on the grid's lines with a blank line below it, as the standard has it.
      paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { ...EXACT_LINES, line: LINE_PITCH + 240, after: LINE_PITCH } },
    },
    heading1: headingStyle(PART_FONT, 0),
    heading2: headingStyle(SUBPART_FONT, 1),
    heading3: headingStyle(BODY_FONT, 2),
    heading4: headingStyle(BODY_FONT, 3),
    heading5: headingStyle(BODY_FONT, 4),
    heading6: headingStyle(BODY_FONT, 5),
  },
  paragraphStyles: [
    {
      id: TABLE_TEXT_STYLE,
      name: 'Table Text',
      basedOn: 'Normal',
      quickFormat: true,
      // 五号 single-spaced, so the national annex tables keep to the page width.
      run: { size: 21 },
      // Tables keep their own rows, off the text's line grid.
      paragraph: { alignment: AlignmentType.LEFT, spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 }, indent: { firstLine: 0 } },
    },
    // 小五 for tables of more than ten columns, such as annex table C's sixteen.
    { id: NARROW_TABLE_TEXT_STYLE, name: 'Table Text Narrow', basedOn: TABLE_TEXT_STYLE, quickFormat: true, run: { size: 18 } },
  ],
};

const ORDERED_LIST_REFERENCE = 'ordered-list';
const BULLETED_LIST_REFERENCE = 'bulleted-list';

/** A list level's number sits at the body text's two-character indent, and its text two characters further in. */
function listTextIndent(level: number): number {
  return TWO_CHARACTERS * (level + 2);
}

function listLevels(level: (index: number) => Pick<ILevelsOptions, 'format' | 'text'>): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, index) => ({
    level: index,
    alignment: AlignmentType.LEFT,
    ...level(index),
    style: { paragraph: { indent: { left: listTextIndent(index), hanging: TWO_CHARACTERS } } },
  }));
}

/** 1. then （1） then ①, as Chinese official documents number their points. */
const ORDERED_LIST = {
  reference: ORDERED_LIST_REFERENCE,
  levels: listLevels((index) =>
    [
      { format: LevelFormat.DECIMAL, text: `%${index + 1}.` },
      { format: LevelFormat.DECIMAL, text: `（%${index + 1}）` },
      { format: LevelFormat.DECIMAL_ENCLOSED_CIRCLE, text: `%${index + 1}` },
    ][index % 3]!,
  ),
};

const BULLETED_LIST = {
  reference: BULLETED_LIST_REFERENCE,
  levels: listLevels((index) => ({ format: LevelFormat.BULLET, text: ['•', '◦', '▪'][index % 3]! })),
};

const THIN_LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const TABLE_BORDERS = { top: THIN_LINE, bottom: THIN_LINE, left: THIN_LINE, right: THIN_LINE, insideHorizontal: THIN_LINE, insideVertical: THIN_LINE };
const HEADER_SHADING = { type: ShadingType.CLEAR, color: 'auto', fill: 'F2F2F2' };
/** 0.1 cm, half Word's default, so a sixteen-column table still has two characters a line in each column. */
const CELL_MARGINS = { left: 57, right: 57 };

// ——— Places ———

type Block = Paragraph | Table;
type ParagraphLook = Omit<IParagraphOptions, 'children' | 'text'>;
type Numbering = NonNullable<Exclude<IParagraphOptions['numbering'], false>>;

/** Where blocks are written — the body, a quote, a list item, a table cell — and how paragraphs look there. */
interface Place {
  paragraph: ParagraphLook;
  /** Body text opens each paragraph with a two-character indent; cells and list items do not. */
  indentsFirstLine: boolean;
  /** The level of the list this place is in, -1 outside lists. */
  listLevel: number;
  /** The number or bullet of the list item this place is, for its first paragraph. */
  marker?: ItemMarker;
  /** Header cells set their text bold. */
  bold?: boolean;
}

const BODY: Place = { paragraph: {}, indentsFirstLine: true, listLevel: -1 };
const CAPTION_LOOK: ParagraphLook = { alignment: AlignmentType.LEFT, keepNext: true };

/** A list item's number or bullet goes on its first paragraph only; the rest line up with its text. */
class ItemMarker {
  private taken = false;
  constructor(private readonly numbering: Numbering) {}

  take(): Numbering | undefined {
    if (this.taken) return undefined;
    this.taken = true;
    return this.numbering;
  }
}

/** Word ends the body and every cell, an empty one too, with a paragraph. */
function endWithParagraph(blocks: Block[], look: ParagraphLook = {}): Block[] {
  return blocks.at(-1) instanceof Paragraph ? blocks : [...blocks, new Paragraph(look)];
}

/** Adds blocks after others: Word merges two tables with nothing between them into one. */
function append(blocks: Block[], more: readonly Block[]): void {
  for (const block of more) {
    if (block instanceof Table && blocks.at(-1) instanceof Table) blocks.push(new Paragraph({}));
    blocks.push(block);
  }
}

function paragraphAt(place: Place, inlines: readonly Inline[], nextRevision: () => number, look: ParagraphLook = {}): Paragraph {
  const numbering = place.marker?.take();
  // A numbered paragraph takes its indent from its list level.
  const placeLook = numbering ? { ...place.paragraph, indent: undefined, numbering } : place.paragraph;
  return new Paragraph({ ...placeLook, ...look, children: paragraphChildren(inlines, place, nextRevision) });
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5];

// ——— Blocks ———

/** Writes the printed report's blocks as Word paragraphs and tables. */
class DocxWriter {
  /** Each numbered list is a list of its own in Word, counting from 1. */
  private orderedLists = 0;
  /** Each revision (修订) has an id of its own in the document. */
  private revisions = 0;
  readonly nextRevision = () => ++this.revisions;

  write(blocks: readonly PrintBlock[], place: Place): Block[] {
    const written: Block[] = [];
    for (const block of blocks) append(written, this.block(block, place));
    return written;
  }

  private block(block: PrintBlock, place: Place): Block[] {
    switch (block.kind) {
      case 'section':
        return this.write(block.blocks, place);
      case 'heading':
        return [paragraphAt(place, block.inlines, this.nextRevision, { heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_5 })];
      case 'paragraph':
        return [paragraphAt(place, block.inlines, this.nextRevision, place.indentsFirstLine ? { indent: firstLineIndent(place) } : {})];
      case 'list':
        return this.list(block.ordered, block.items, place);
      case 'quote':
        return this.write(block.blocks, quoted(place));
      case 'code':
        return [paragraphAt({ ...place, paragraph: { ...place.paragraph, alignment: AlignmentType.LEFT } }, block.inlines.map(asCode), this.nextRevision)];
      case 'rule':
        return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'auto', space: 1 } } })];
      case 'table':
        return this.table(block.table);
    }
  }

  private list(ordered: boolean, items: readonly PrintBlock[][], place: Place): Block[] {
    const level = Math.min(8, place.listLevel + 1);
    const numbering: Numbering = ordered ? { reference: ORDERED_LIST_REFERENCE, level, instance: ++this.orderedLists } : { reference: BULLETED_LIST_REFERENCE, level };
    const written: Block[] = [];
    for (const item of items) {
      const itemPlace: Place = {
        paragraph: { ...place.paragraph, indent: { left: listTextIndent(level) } },
        indentsFirstLine: false,
        listLevel: level,
        marker: new ItemMarker(numbering),
        bold: place.bold,
      };
      append(written, this.write(item, itemPlace));
    }
    return written;
  }

  private table(table: PrintTable): Block[] {
    const caption = table.caption ? [new Paragraph({ ...CAPTION_LOOK, children: [new TextRun({ text: table.caption, bold: true })] })] : [];
    try {
      return [...caption, this.docxTable(table)];
    } catch (error) {
      throw new Error(`cannot write the table ${table.annex?.tableId ?? table.caption ?? 'without a caption'}: ${messageOf(error)}`, { cause: error });
    }
  }

  private docxTable(table: PrintTable): Table {
    const textStyle = table.width > 10 ? NARROW_TABLE_TEXT_STYLE : TABLE_TEXT_STYLE;
    // Cells merged down from rows above into the row being written.
    let mergedDown: Array<{ cell: PrintCell; row: number; depth: number }> = [];
    const rows = table.rows.map((row, index) => {
      mergedDown = mergedDown.filter(({ cell, row: start }) => start + cell.rowSpan > index);
      const slots = [...row.cells.map((cell) => ({ cell, depth: row.depth, continued: false })), ...mergedDown.map(({ cell, depth }) => ({ cell, depth, continued: true }))];
      slots.sort((a, b) => a.cell.column - b.cell.column);
      mergedDown.push(...row.cells.filter((cell) => cell.rowSpan > 1).map((cell) => ({ cell, row: index, depth: row.depth })));
      return new TableRow({
        children: slots.map(({ cell, depth, continued }) => (continued ? mergedCell(cell, depth, textStyle) : this.cell(cell, depth, textStyle))),
        tableHeader: index < table.headerRows || undefined,
        cantSplit: true,
        // A row of headers (a sub-heading of an annex table) stays with the row it heads.
        keepNext: row.cells.every(isHeaderCell) || undefined,
      });
    });
    return new Table({
      rows,
      width: { size: 100, type: WidthType.PERCENTAGE },
      columnWidths: columnWidths(table),
      layout: TableLayoutType.FIXED,
      borders: TABLE_BORDERS,
      margins: CELL_MARGINS,
    });
  }

  private cell(cell: PrintCell, depth: number, textStyle: string): TableCell {
    const place = cellPlace(cell, depth, textStyle);
    const content: PrintBlock[] = 'text' in cell ? (cell.text === '' ? [] : [{ kind: 'paragraph', inlines: [{ kind: 'text', text: cell.text, look: {} }] }]) : cell.blocks;
    return new TableCell({
      children: endWithParagraph(this.write(content, place), place.paragraph),
      columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
      // Not docx's rowSpan: its own cells for the rows below lose the paragraph style. See mergedCell.
      verticalMerge: cell.rowSpan > 1 ? VerticalMergeType.RESTART : undefined,
      verticalAlign: VerticalAlignTable.CENTER,
      shading: isColumnHeader(cell) ? HEADER_SHADING : undefined,
    });
  }
}

/** Where a row-spanning cell reaches into a row below, Word wants a cell there that continues it. */
function mergedCell(cell: PrintCell, depth: number, textStyle: string): TableCell {
  return new TableCell({
    children: [new Paragraph(cellPlace(cell, depth, textStyle).paragraph)],
    columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
    verticalMerge: VerticalMergeType.CONTINUE,
    verticalAlign: VerticalAlignTable.CENTER,
    shading: isColumnHeader(cell) ? HEADER_SHADING : undefined,
  });
}

function isColumnHeader(cell: PrintCell): boolean {
  return cell.role === 'column' || cell.role === 'column-group';
}

function cellPlace(cell: PrintCell, depth: number, textStyle: string): Place {
  const row = cell.role === 'row';
  // One character of table text per level, like the page's padding of nested row labels.
  const indent = row && depth > 0 ? { left: 210 * depth } : undefined;
  const alignment = isColumnHeader(cell) || cell.role === 'caption' ? AlignmentType.CENTER : cell.role === 'number' ? AlignmentType.RIGHT : undefined;
  // Row labels deeper than the second level are set normal weight, as on the page.
  const bold = isHeaderCell(cell) && (!row || depth < 2);
  return { paragraph: { style: textStyle, alignment, indent }, indentsFirstLine: false, listLevel: -1, bold };
}

function firstLineIndent(place: Place): ParagraphLook['indent'] {
  // In characters for Word and WPS, in twips for readers without character units.
  return { ...place.paragraph.indent, firstLine: TWO_CHARACTERS, firstLineChars: 200 };
}

function quoted(place: Place): Place {
  const left = Number(place.paragraph.indent?.left ?? 0) + TWO_CHARACTERS;
  return { ...place, paragraph: { ...place.paragraph, indent: { ...place.paragraph.indent, left } } };
}

// ——— Text ———

function asCode(inline: Inline): Inline {
  return inline.kind === 'text' ? { ...inline, look: { ...inline.look, code: true } } : inline;
}

/** Runs, with each link's runs inside one hyperlink. A line break that ends a paragraph makes no line in a browser, so none here. */
function paragraphChildren(inlines: readonly Inline[], place: Place, nextRevision: () => number): ParagraphChild[] {
  const shown = inlines.at(-1)?.kind === 'break' ? inlines.slice(0, -1) : inlines;
  return linkRuns(shown).flatMap((run): ParagraphChild[] => {
    const runs = run.inlines.flatMap((inline) => textRuns(inline, run.href !== undefined, place, nextRevision));
    return run.href ? [new ExternalHyperlink({ link: run.href, children: runs })] : runs;
  });
}

/** A text's runs: its tabs as Word tabs and its line breaks (in code) as breaks, as w:t holds neither. */
function textRuns(inline: Inline, linked: boolean, place: Place, nextRevision: () => number): Array<TextRun | InsertedTextRun | DeletedTextRun> {
  const look = inline.kind === 'text' ? inline.look : {};
  const options = {
    bold: look.bold || place.bold || undefined,
    italics: look.italic,
    underline: look.underline ? {} : undefined,
    strike: look.strike,
    font: look.code ? MONOSPACE_FONT : undefined,
    style: linked ? 'Hyperlink' : undefined,
  };
  if (inline.kind === 'break') return [new TextRun({ ...options, break: 1 })];
  return inline.text.split('\n').map((line, index) => {
    const children = line.split('\t').flatMap((part, at) => (at === 0 ? [part] : [new Tab(), part]));
    const run = { ...options, break: index > 0 ? 1 : undefined, children };
    const revision = inline.look.revision;
    if (!revision) return new TextRun(run);
    // A suggestion as Word's own revision (修订), which Word and WPS show with its author and accept or reject.
    const change = { id: nextRevision(), author: revision.author, date: new Date(revision.at).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    return revision.kind === 'insertion' ? new InsertedTextRun({ ...run, ...change }) : new DeletedTextRun({ ...run, ...change });
  });
}

// ——— Tables ———

/** Half-width units: CJK and full-width characters are two. */
function textUnits(text: string): number {
  let units = 0;
  for (const character of text) units += character.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return units;
}

/**
 * Word, WPS and LibreOffice lay a table out from its grid. Equal columns would squeeze an annex
 * table's long row labels into a narrow first column, so each column gets what its longest
 * one-column cell asks — at least four characters, at most twelve — shared out over the text width.
 */
function columnWidths(table: PrintTable): number[] {
  const wants = Array.from({ length: table.width }, () => 8);
  for (const cell of table.rows.flatMap((row) => row.cells)) {
    if (cell.colSpan === 1) wants[cell.column] = Math.max(wants[cell.column]!, Math.min(24, textUnits(cellText(cell).replace(/\s+/g, ' ').trim())));
  }
  const total = wants.reduce((sum, want) => sum + want, 0);
  return wants.map((want) => Math.floor((want / total) * TEXT_WIDTH));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
