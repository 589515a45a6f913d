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
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type ILevelsOptions,
  type IParagraphOptions,
  type IRunOptions,
  type IStylesOptions,
  type ParagraphChild,
} from 'docx';
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { gridOf, tableRows, type Grid, type GridCell } from './html-table-grid.js';
import { safeHref } from './render-html.js';

/**
 * Makes the Word document of a published report from its HTML page, so the page stays the one
 * rendering every output comes from. It reads the renderer's small vocabulary (see ReportRenderer)
 * and lays it out as GB/T 9704-2012 has an official document: A4 with its margins and its grid of
 * 22 lines of 28 characters, 仿宋 三号 text with two-character first-line indents, the title in
 * 小标宋, 黑体 and 楷体 headings, "— 1 —" at the outer edge, and tables whose header rows repeat on
 * each page.
 */
export async function docxFromHtml(html: string): Promise<Buffer> {
  const page = parseDocument(html);
  const title = DomUtils.findOne((element) => element.name === 'title', page.children);
  const titleText = title ? collapseWhiteSpace(DomUtils.textContent(title)).trim() : undefined;
  const body = DomUtils.findOne((element) => element.name === 'body', page.children) ?? page;
  const flow = new Flow(BODY);
  try {
    new DocxWriter().walkChildren(body, flow, {});
    flow.end();
    const document = new Document({
      title: titleText,
      styles: STYLES,
      numbering: { config: [ORDERED_LIST, BULLETED_LIST] },
      // Page numbers sit at the outer edge: right on odd pages, left on even ones.
      evenAndOddHeaderAndFooters: true,
      sections: [
        {
          properties: { page: { size: A4, margin: OFFICIAL_MARGINS }, grid: OFFICIAL_GRID },
          footers: { default: pageNumberFooter(AlignmentType.RIGHT), even: pageNumberFooter(AlignmentType.LEFT) },
          children: endWithParagraph(flow.blocks),
        },
      ],
    });
    return withOfficeSettings(await Packer.toBuffer(document));
  } catch (error) {
    throw new Error(`Cannot make the Word document of “${titleText ?? 'untitled page'}”: ${messageOf(error)}`, { cause: error });
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

// ——— Places and looks ———

type Block = Paragraph | Table;
type ParagraphLook = Omit<IParagraphOptions, 'children' | 'text'>;
type Numbering = NonNullable<Exclude<IParagraphOptions['numbering'], false>>;

/** Where blocks are written — the body, a quote, a list item, a table cell — and how paragraphs look there. */
interface Place {
  paragraph: ParagraphLook;
  /** Body text opens each <p> with a two-character indent; cells and list items do not. */
  indentsFirstLine: boolean;
  /** The level of the list this place is in, -1 outside lists. */
  listLevel: number;
  /** The number or bullet of the list item this place is, for its first paragraph. */
  marker?: ItemMarker;
}

const BODY: Place = { paragraph: {}, indentsFirstLine: true, listLevel: -1 };

/** How text looks where it is, from the inline elements around it. */
interface Look {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  /** Inside <pre>: spaces and newlines are kept, as the browser keeps them. */
  preserve?: boolean;
  link?: { href: string; anchor: Element };
}

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

type Piece = { kind: 'text'; text: string; look: Look } | { kind: 'break'; look: Look };

/**
 * The blocks of one place, in order. Inline content between blocks is gathered here and becomes
 * a paragraph when a block or the end of the place comes, as a browser makes anonymous blocks.
 */
class Flow {
  readonly blocks: Block[] = [];
  private pieces: Piece[] = [];

  constructor(
    readonly place: Place,
    private readonly look: ParagraphLook = {},
  ) {}

  addText(text: string, look: Look): void {
    if (!look.preserve) {
      this.pieces.push({ kind: 'text', text, look });
      return;
    }
    text.split('\n').forEach((line, index) => {
      if (index > 0) this.pieces.push({ kind: 'break', look });
      if (line !== '') this.pieces.push({ kind: 'text', text: line, look });
    });
  }

  addBreak(look: Look): void {
    this.pieces.push({ kind: 'break', look });
  }

  /** Call end() first: blocks go after the paragraph of the text before them. */
  addBlocks(blocks: readonly Block[]): void {
    for (const block of blocks) {
      // Word merges two tables with nothing between them into one.
      if (block instanceof Table && this.blocks.at(-1) instanceof Table) this.blocks.push(new Paragraph({}));
      this.blocks.push(block);
    }
  }

  end(): void {
    const pieces = collapsePieces(this.pieces);
    this.pieces = [];
    if (pieces.length === 0) return;
    // A line break that ends a paragraph makes no line in a browser, but would in Word.
    if (pieces.at(-1)?.kind === 'break') pieces.pop();
    this.blocks.push(paragraphAt(this.place, paragraphChildren(pieces), this.look));
  }
}

/** Word ends the body and every cell, an empty one too, with a paragraph. */
function endWithParagraph(blocks: Block[], look: ParagraphLook = {}): Block[] {
  return blocks.at(-1) instanceof Paragraph ? blocks : [...blocks, new Paragraph(look)];
}

function paragraphAt(place: Place, children: ParagraphChild[], look: ParagraphLook = {}): Paragraph {
  const numbering = place.marker?.take();
  // A numbered paragraph takes its indent from its list level.
  const placeLook = numbering ? { ...place.paragraph, indent: undefined, numbering } : place.paragraph;
  return new Paragraph({ ...placeLook, ...look, children });
}

// ——— Walking the page ———

/** Not rendered by a browser, so not text of the page. */
const UNRENDERED = new Set(['head', 'title', 'style', 'script', 'template']);
/** Blocks that only group others: their content starts and ends paragraphs. */
const CONTAINERS = new Set(['html', 'body', 'main', 'section', 'article', 'header', 'footer', 'nav', 'aside', 'div', 'figure', 'figcaption', 'address', 'li', 'dl', 'dt', 'dd']);
/** Elements that start and end paragraphs; every other element, known or not, is inline. */
const BLOCKS = new Set([...CONTAINERS, 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'pre', 'hr', 'table']);
const HEADINGS: Record<string, (typeof HeadingLevel)[keyof typeof HeadingLevel]> = {
  h1: HeadingLevel.TITLE,
  h2: HeadingLevel.HEADING_1,
  h3: HeadingLevel.HEADING_2,
  h4: HeadingLevel.HEADING_3,
  h5: HeadingLevel.HEADING_4,
  h6: HeadingLevel.HEADING_5,
};

/** Writes the page's elements as Word blocks and runs. Unknown elements are walked into, so no text is lost. */
class DocxWriter {
  /** Each <ol> is a list of its own in Word, counting from 1. */
  private orderedLists = 0;

  walkChildren(parent: { children: ChildNode[] }, flow: Flow, look: Look): void {
    for (const child of parent.children) this.walk(child, flow, look);
  }

  private walk(node: ChildNode, flow: Flow, look: Look): void {
    if (isText(node)) return flow.addText(node.data, look);
    if (!isTag(node) || UNRENDERED.has(node.name)) return;
    if (node.name === 'br') return flow.addBreak(look);
    if (!BLOCKS.has(node.name)) return this.walkChildren(node, flow, inlineLook(node, look));
    // The text before a block is a paragraph before the block's own, so it is the one to take a list item's number.
    flow.end();
    const heading = HEADINGS[node.name];
    if (heading) return this.block(node, flow, look, flow.place, { heading });
    switch (node.name) {
      case 'p':
        // A draft's mark (征求意见稿) stands at the top right, as on a printed draft.
        if (node.attribs.class === 'draft-mark') return this.block(node, flow, { ...look, bold: true }, flow.place, { alignment: AlignmentType.RIGHT });
        return this.block(node, flow, look, flow.place, flow.place.indentsFirstLine ? { indent: firstLineIndent(flow.place) } : {});
      case 'ul':
      case 'ol':
        return this.list(node, flow, look);
      case 'blockquote':
        return this.block(node, flow, look, quoted(flow.place));
      case 'pre':
        return this.block(node, flow, { ...look, code: true, preserve: true }, { ...flow.place, paragraph: { ...flow.place.paragraph, alignment: AlignmentType.LEFT } });
      case 'hr':
        return flow.addBlocks([new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'auto', space: 1 } } })]);
      case 'table':
        return this.table(node, flow, look);
      default:
        this.walkChildren(node, flow, look);
        flow.end();
    }
  }

  /** An element whose content is blocks of their own, at `place`, its loose text in paragraphs that look like `paragraph`. */
  private block(element: Element, flow: Flow, look: Look, place: Place, paragraph: ParagraphLook = {}): void {
    flow.addBlocks(this.blocksOf(element, look, place, paragraph));
  }

  private blocksOf(element: Element, look: Look, place: Place, paragraph: ParagraphLook = {}): Block[] {
    const inner = new Flow(place, paragraph);
    this.walkChildren(element, inner, look);
    inner.end();
    return inner.blocks;
  }

  private list(list: Element, flow: Flow, look: Look): void {
    const level = Math.min(8, flow.place.listLevel + 1);
    const numbering: Numbering =
      list.name === 'ol' ? { reference: ORDERED_LIST_REFERENCE, level, instance: ++this.orderedLists } : { reference: BULLETED_LIST_REFERENCE, level };
    const itemPlace = (marker?: ItemMarker): Place => ({
      paragraph: { ...flow.place.paragraph, indent: { left: listTextIndent(level) } },
      indentsFirstLine: false,
      listLevel: level,
      marker,
    });
    for (const child of list.children) {
      // Anything in a list but outside its items keeps the list's indent, without a number.
      const place = isTag(child) && child.name === 'li' ? itemPlace(new ItemMarker(numbering)) : itemPlace();
      const item = new Flow(place);
      this.walk(child, item, look);
      item.end();
      flow.addBlocks(item.blocks);
    }
  }

  private table(table: Element, flow: Flow, look: Look): void {
    const caption = table.children.find((child): child is Element => isTag(child) && child.name === 'caption');
    if (caption) flow.addBlocks(this.blocksOf(caption, { ...look, bold: true }, CAPTION, { keepNext: true }));
    try {
      flow.addBlocks([this.docxTable(table, look)]);
    } catch (error) {
      const name = table.attribs.id ?? (caption ? collapseWhiteSpace(DomUtils.textContent(caption)).trim() : 'without a caption');
      throw new Error(`cannot write the table ${name}: ${messageOf(error)}`, { cause: error });
    }
  }

  private docxTable(table: Element, look: Look): Table {
    const grid = gridOf(tableRows(table));
    const headerRows = leadingColumnHeaderRows(grid);
    const textStyle = grid.width > 10 ? NARROW_TABLE_TEXT_STYLE : TABLE_TEXT_STYLE;
    // Cells merged down from rows above into the row being written.
    let mergedDown: GridCell[] = [];
    const rows = grid.rows.map((row, index) => {
      mergedDown = mergedDown.filter((cell) => cell.rowIndex + cell.rowSpan > index);
      const slots = [...row.map((cell) => ({ cell, continued: false })), ...mergedDown.map((cell) => ({ cell, continued: true }))];
      slots.sort((a, b) => a.cell.column - b.cell.column);
      mergedDown.push(...row.filter((cell) => cell.rowSpan > 1));
      return new TableRow({
        children: slots.map(({ cell, continued }) => (continued ? mergedCell(cell, textStyle) : this.cell(cell, textStyle, look))),
        tableHeader: index < headerRows || undefined,
        cantSplit: true,
        // A row of headers (a sub-heading of an annex table) stays with the row it heads.
        keepNext: row.every((cell) => cell.element.name === 'th') || undefined,
      });
    });
    return new Table({
      rows,
      width: { size: 100, type: WidthType.PERCENTAGE },
      columnWidths: columnWidths(grid),
      layout: TableLayoutType.FIXED,
      borders: TABLE_BORDERS,
      margins: CELL_MARGINS,
    });
  }

  private cell(cell: GridCell, textStyle: string, look: Look): TableCell {
    const kind = headerKind(cell.element);
    const place = cellPlace(cell, textStyle);
    // Row labels deeper than the second level are set normal weight, as on the page.
    const bold = kind !== undefined && (kind !== 'row' || cell.depth < 2);
    const blocks = this.blocksOf(cell.element, { ...look, bold: look.bold || bold }, place);
    return new TableCell({
      children: endWithParagraph(blocks, place.paragraph),
      columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
      // Not docx's rowSpan: its own cells for the rows below lose the paragraph style. See mergedCell.
      verticalMerge: cell.rowSpan > 1 ? VerticalMergeType.RESTART : undefined,
      verticalAlign: VerticalAlignTable.CENTER,
      shading: kind === 'column' ? HEADER_SHADING : undefined,
    });
  }
}

/** Where a row-spanning cell reaches into a row below, Word wants a cell there that continues it. */
function mergedCell(cell: GridCell, textStyle: string): TableCell {
  return new TableCell({
    children: [new Paragraph(cellPlace(cell, textStyle).paragraph)],
    columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
    verticalMerge: VerticalMergeType.CONTINUE,
    verticalAlign: VerticalAlignTable.CENTER,
    shading: headerKind(cell.element) === 'column' ? HEADER_SHADING : undefined,
  });
}

function cellPlace(cell: GridCell, textStyle: string): Place {
  const kind = headerKind(cell.element);
  // One character of table text per level, like the page's padding of nested row labels.
  const indent = kind === 'row' && cell.depth > 0 ? { left: 210 * cell.depth } : undefined;
  return { paragraph: { style: textStyle, alignment: cellAlignment(cell.element, kind), indent }, indentsFirstLine: false, listLevel: -1 };
}

const CAPTION: Place = { paragraph: { alignment: AlignmentType.LEFT }, indentsFirstLine: false, listLevel: -1 };

function firstLineIndent(place: Place): ParagraphLook['indent'] {
  // In characters for Word and WPS, in twips for readers without character units.
  return { ...place.paragraph.indent, firstLine: TWO_CHARACTERS, firstLineChars: 200 };
}

function quoted(place: Place): Place {
  const left = Number(place.paragraph.indent?.left ?? 0) + TWO_CHARACTERS;
  return { ...place, paragraph: { ...place.paragraph, indent: { ...place.paragraph.indent, left } } };
}

function inlineLook(element: Element, look: Look): Look {
  switch (element.name) {
    case 'strong':
      return { ...look, bold: true };
    case 'em':
      return { ...look, italics: true };
    case 'u':
      return { ...look, underline: true };
    case 's':
      return { ...look, strike: true };
    case 'code':
      return { ...look, code: true };
    case 'a': {
      // Only web and mail links are links, as on the page; any other address leaves plain text.
      const href = safeHref(element.attribs.href);
      return href ? { ...look, link: { href, anchor: element } } : look;
    }
    default:
      return look;
  }
}

// ——— Text ———

/** HTML's white space is spaces, tabs and line breaks only: U+3000 and no-break spaces are text. */
function collapseWhiteSpace(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, ' ');
}

/** A paragraph's text as a browser shows it: white space collapsed, and none at the start or end of a line. */
function collapsePieces(pieces: readonly Piece[]): Piece[] {
  const kept: Piece[] = [];
  let atSpace = true;
  const trimLineEnd = () => {
    const last = kept.at(-1);
    if (last?.kind !== 'text' || last.look.preserve || !last.text.endsWith(' ')) return;
    const text: string = last.text.slice(0, -1);
    if (text === '') kept.pop();
    else kept[kept.length - 1] = { ...last, text };
  };
  for (const piece of pieces) {
    if (piece.kind === 'break') {
      trimLineEnd();
      kept.push(piece);
      atSpace = true;
    } else if (piece.look.preserve) {
      kept.push(piece);
      atSpace = false;
    } else {
      const collapsed = collapseWhiteSpace(piece.text);
      const text: string = atSpace ? collapsed.replace(/^ /, '') : collapsed;
      if (text === '') continue;
      kept.push({ ...piece, text });
      atSpace = text.endsWith(' ');
    }
  }
  trimLineEnd();
  return kept;
}

/** Runs, with each link's runs inside one hyperlink. */
function paragraphChildren(pieces: readonly Piece[]): ParagraphChild[] {
  const children: ParagraphChild[] = [];
  for (let start = 0; start < pieces.length; ) {
    const link = pieces[start]!.look.link;
    let end = start + 1;
    while (end < pieces.length && pieces[end]!.look.link?.anchor === link?.anchor) end++;
    const runs = pieces.slice(start, end).map(textRun);
    if (link) children.push(new ExternalHyperlink({ link: link.href, children: runs }));
    else children.push(...runs);
    start = end;
  }
  return children;
}

function textRun(piece: Piece): TextRun {
  const { look } = piece;
  const options: IRunOptions = {
    bold: look.bold || undefined,
    italics: look.italics || undefined,
    underline: look.underline ? {} : undefined,
    strike: look.strike || undefined,
    font: look.code ? MONOSPACE_FONT : undefined,
    style: look.link ? 'Hyperlink' : undefined,
  };
  if (piece.kind === 'break') return new TextRun({ ...options, break: 1 });
  // A tab inside w:t is not a tab to Word; only code keeps tabs, the rest were collapsed to spaces.
  const children = piece.text.split('\t').flatMap((part, index) => (index === 0 ? [part] : [new Tab(), part]));
  return new TextRun({ ...options, children });
}

// ——— Tables ———

type HeaderKind = 'column' | 'row' | 'caption' | undefined;

/** Rows of column headers at the top repeat on each page; an annex table's caption rows belong to one part only. */
function leadingColumnHeaderRows(grid: Grid): number {
  const index = grid.rows.findIndex((row) => !row.every((cell) => headerKind(cell.element) === 'column'));
  return index === -1 ? grid.rows.length : index;
}

function headerKind(cell: Element): HeaderKind {
  if (cell.name !== 'th') return undefined;
  if (cell.attribs.scope === 'row') return 'row';
  return cell.attribs.scope === 'rowgroup' ? 'caption' : 'column';
}

function cellAlignment(cell: Element, kind: HeaderKind) {
  if (kind === 'column' || kind === 'caption') return AlignmentType.CENTER;
  return /(?:^|\s)number(?:\s|$)/.test(cell.attribs.class ?? '') ? AlignmentType.RIGHT : undefined;
}

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
function columnWidths(grid: Grid): number[] {
  const wants = Array.from({ length: grid.width }, () => 8);
  for (const cell of grid.rows.flat()) {
    if (cell.colSpan === 1) wants[cell.column] = Math.max(wants[cell.column]!, Math.min(24, textUnits(collapseWhiteSpace(DomUtils.textContent(cell.element)).trim())));
  }
  const total = wants.reduce((sum, want) => sum + want, 0);
  return wants.map((want) => Math.floor((want / total) * TEXT_WIDTH));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
