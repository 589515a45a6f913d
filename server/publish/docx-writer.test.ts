import { isTag, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeJSON } from '../../blocks/report-json.js';
import { reportDocx } from './docx-writer.js';
import { reportHtml } from './render-html.js';
import { DEMO_TITLE as TITLE, demoReport, format, reportOf } from './pages.fixture.js';

const text = (value: string, marks?: NodeJSON['marks']): NodeJSON => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const paragraph = (...content: NodeJSON[]): NodeJSON => ({ type: 'paragraph', content });

/** The document as Word reads it, back as HTML: the title style as h1.title, headings as h1, h2…, underlines kept. */
async function asHtml(docx: Buffer): Promise<string> {
  const styleMap = ["p[style-name='Title'] => h1.title:fresh", 'u => u'];
  return (await mammoth.convertToHtml({ buffer: docx }, { styleMap })).value;
}

interface WordParts {
  document: string;
  styles: string;
  core: string;
  relationships: string;
  settings: string;
  fonts: string;
  /** The footers in the order the section names them: odd (default) pages, then even ones. */
  footers: string[];
}

async function partsOf(docx: Buffer): Promise<WordParts> {
  const zip = await JSZip.loadAsync(docx);
  const part = (name: string) => zip.file(name)!.async('string');
  return {
    document: await part('word/document.xml'),
    styles: await part('word/styles.xml'),
    core: await part('docProps/core.xml'),
    relationships: await part('word/_rels/document.xml.rels'),
    settings: await part('word/settings.xml'),
    fonts: await part('word/fontTable.xml'),
    footers: await Promise.all(['word/footer1.xml', 'word/footer2.xml'].filter((name) => zip.file(name)).map(part)),
  };
}

interface WordCell {
  text: string;
  column: number;
  span: number;
  merge: string | undefined;
  xml: Element;
}

/** Each top-level Word table as rows of cells placed on its grid, read from document.xml. */
function wordTables(documentXml: string): Array<{ grid: number; rows: Array<{ xml: Element; cells: WordCell[] }>; xml: Element }> {
  const xml = parseDocument(documentXml, { xmlMode: true });
  const body = DomUtils.findOne((element) => element.name === 'w:body', xml.children)!;
  const childrenNamed = (parent: Element, name: string) => parent.children.filter((child): child is Element => isTag(child) && child.name === name);
  const attribute = (parent: Element, path: string[]) => {
    let element: Element | undefined = parent;
    for (const name of path) element = element && childrenNamed(element, name)[0];
    return element?.attribs['w:val'];
  };
  return childrenNamed(body, 'w:tbl').map((table) => ({
    xml: table,
    grid: childrenNamed(childrenNamed(table, 'w:tblGrid')[0]!, 'w:gridCol').length,
    rows: childrenNamed(table, 'w:tr').map((row) => {
      let column = 0;
      const cells = childrenNamed(row, 'w:tc').map((cell) => {
        const span = Number(attribute(cell, ['w:tcPr', 'w:gridSpan']) ?? 1);
        const merge = childrenNamed(childrenNamed(cell, 'w:tcPr')[0] ?? cell, 'w:vMerge')[0];
        const placed = { text: DomUtils.textContent(cell), column, span, merge: merge && (merge.attribs['w:val'] ?? 'continue'), xml: cell };
        column += span;
        return placed;
      });
      return { xml: row, cells };
    }),
  }));
}

describe('the Word document of the published report', () => {
  const report = demoReport();
  let html: string;
  let parts: WordParts;

  beforeAll(async () => {
    const docx = await reportDocx(report);
    html = await asHtml(docx);
    parts = await partsOf(docx);
  });

  it('has the report title as its title, and the six parts and their sub-parts as headings', () => {
    expect(parts.core).toContain(`<dc:title>${TITLE}</dc:title>`);
    expect(html).toMatch(new RegExp(`^<h1 class="title">${TITLE}</h1>`));
    for (const title of format.sections.map((section) => section.title)) expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain('<h2>（一）财政资金信息公开</h2>');
  });

  it('has every paragraph of the published page word for word, linked figures as their values', () => {
    const paragraphs = DomUtils.findAll((element) => element.name === 'p', parseDocument(reportHtml(report)).children).map((p) => DomUtils.textContent(p));
    expect(paragraphs.length).toBeGreaterThan(20);
    for (const text of paragraphs) expect(html).toContain(text);
    expect(html).toContain('全年共新收政府信息公开申请124件');
  });

  it('is laid out as GB/T 9704 has an official document: A4, 37/35/28/26 mm margins, 22 lines of 28 characters', () => {
    expect(parts.document).toContain('<w:pgSz w:w="11906" w:h="16838"');
    // Mirrored: the 28 mm binding margin on the inside of each page printed on both sides.
    expect(parts.document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(parts.settings).toContain('<w:displayBackgroundShape/><w:mirrorMargins/><w:defaultTabStop');
    expect(parts.document).toMatch(/<w:docGrid w:type="linesAndChars" w:linePitch="580" w:charSpace="-?\d+"\/>/);
    // Body text 仿宋 三号 on the grid's exact 28.95 pt lines, each paragraph two characters in.
    expect(parts.styles).toMatch(/<w:rPrDefault><w:rPr><w:rFonts [^>]*w:eastAsia="仿宋_GB2312"[^>]*\/><w:sz w:val="32"\/>/);
    expect(parts.styles).toMatch(/<w:pPrDefault><w:pPr>.*?<w:spacing w:after="0" w:before="0" w:line="580" w:lineRule="exact"\/>/);
    expect(parts.document).toMatch(/<w:p><w:pPr><w:ind w:firstLine="640" w:firstLineChars="200"\/><\/w:pPr><w:r><w:t xml:space="preserve">2025年，示范区人民政府/);
  });

  it('sets the title in 小标宋 二号 centred, 一、 parts in 黑体 and （一） sub-parts in 楷体, all 三号', () => {
    expect(parts.styles).toMatch(/w:styleId="Title">.*?<w:jc w:val="center"\/>.*?w:eastAsia="方正小标宋简体".*?<w:sz w:val="44"\/>/);
    expect(parts.styles).toMatch(/w:styleId="Heading1">.*?<w:rFonts [^>]*w:eastAsia="黑体"[^>]*\/>.*?<w:sz w:val="32"\/>/);
    expect(parts.styles).toMatch(/w:styleId="Heading2">.*?<w:rFonts [^>]*w:eastAsia="楷体_GB2312"[^>]*\/>.*?<w:sz w:val="32"\/>/);
  });

  it('names the fonts as offices have them, each with the font Word and WPS fall back to', () => {
    expect(parts.fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
    expect(parts.fonts).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>');
    expect(parts.fonts).toContain('<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>');
  });

  it('numbers its pages "— 1 —" in 宋体 四号 at the outer edge: right on odd pages, left on even ones', () => {
    expect(parts.settings).toContain('<w:evenAndOddHeaders/>');
    expect(parts.document).toMatch(/<w:footerReference w:type="default" r:id="(rId\d+)"\/><w:footerReference w:type="even" r:id="(rId\d+)"\/>/);
    const [odd, even] = parts.footers;
    for (const [footer, side] of [[odd!, 'right'], [even!, 'left']] as const) {
      expect(footer).toContain(`<w:jc w:val="${side}"/>`);
      expect(footer).toMatch(/w:eastAsia="宋体"[^>]*\/><w:sz w:val="28"\/>/);
      expect(footer).toMatch(/<w:t xml:space="preserve">— <\/w:t>.*<w:instrText xml:space="preserve">PAGE<\/w:instrText>.*<w:t xml:space="preserve"> —<\/w:t>/s);
    }
  });

  it('keeps each annex table’s caption on the page of its table: the paragraph just before it, kept with the next', () => {
    const body = DomUtils.findOne((element) => element.name === 'w:body', parseDocument(parts.document, { xmlMode: true }).children)!;
    const blocks = body.children.filter((child): child is Element => isTag(child));
    const captions = blocks.flatMap((block, index) => (block.name === 'w:tbl' ? [blocks[index - 1]!] : [])).filter((before) => DomUtils.textContent(before).startsWith('附表'));
    expect(captions.map((caption) => DomUtils.textContent(caption))).toEqual(['附表A 主动公开政府信息情况', '附表B 收到和处理政府信息公开申请情况', '附表C 政府信息公开行政复议、行政诉讼情况']);
    for (const caption of captions) expect(DomUtils.findOne((element) => element.name === 'w:keepNext', [caption])).not.toBeNull();
  });

  it('prints annex table B with its caption just before it, its header rows, and its numbers each in a cell of its own', () => {
    expect(html).toContain('<p><strong>附表B 收到和处理政府信息公开申请情况</strong></p><table><thead>');
    const tableB = /<p><strong>附表B .*?<\/table>/.exec(html)![0];
    expect(tableB.match(/<td><p>\d+<\/p><\/td>/g)).toHaveLength(175);
    expect(tableB).toContain('<th rowspan="3"><p><strong>（本列数据的勾稽关系为：');
    expect(tableB).toContain('<th colspan="7"><p><strong>申请人情况</strong></p></th>');
    expect(tableB).toContain('<th rowspan="2"><p><strong>自然人</strong></p></th><th colspan="5"><p><strong>法人或其他组织</strong></p></th><th rowspan="2"><p><strong>总计</strong></p></th>');
    expect(tableB).toContain(
      '一、本年新收政府信息公开申请数量</strong></p></td><td><p>96</p></td><td><p>18</p></td><td><p>2</p></td><td><p>1</p></td><td><p>4</p></td><td><p>3</p></td><td><p>124</p></td>',
    );
  });

  it('makes each annex table a full-width Word table with single borders, rows kept whole, numbers right-aligned', () => {
    const tables = wordTables(parts.document);
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      const properties = DomUtils.getOuterHTML(table.xml.children[0]!, { xmlMode: true });
      expect(properties).toContain('<w:tblW w:type="pct" w:w="5000"/>');
      for (const side of ['top', 'left', 'bottom', 'right', 'insideH', 'insideV']) expect(properties).toContain(`<w:${side} w:val="single"`);
      for (const row of table.rows) expect(DomUtils.getOuterHTML(row.xml, { xmlMode: true })).toContain('<w:cantSplit/>');
    }
    const number96 = tables[1]!.rows[3]!.cells[1]!;
    expect(number96.text).toBe('96');
    expect(DomUtils.getOuterHTML(number96.xml, { xmlMode: true })).toContain('<w:jc w:val="right"/>');
  });

  it('repeats the column headers of tables B and C on each page, but not table A’s part captions', () => {
    const repeated = wordTables(parts.document).map((table) => table.rows.filter((row) => DomUtils.getOuterHTML(row.xml, { xmlMode: true }).includes('<w:tblHeader/>')).length);
    expect(repeated).toEqual([0, 3, 3]);
  });

  it('merges cells as Word does: every row fills the grid, and each merged-down cell sits under the cell it continues', () => {
    const [, tableB, tableC] = wordTables(parts.document);
    for (const table of [tableB!, tableC!]) {
      table.rows.forEach((row, index) => {
        expect(row.cells.reduce((sum, cell) => sum + cell.span, 0)).toBe(table.grid);
        for (const cell of row.cells.filter((cell) => cell.merge === 'continue')) {
          const above = table.rows[index - 1]!.cells.find((candidate) => candidate.column === cell.column);
          expect(above).toMatchObject({ span: cell.span, merge: expect.stringMatching(/^(restart|continue)$/) });
          expect(cell.text).toBe('');
        }
      });
    }
    const header = tableB!.rows.slice(0, 3).map((row) => row.cells.map((cell) => [cell.text.slice(0, 4), cell.span, cell.merge ?? '']));
    expect(header).toEqual([
      [['（本列数', 1, 'restart'], ['申请人情', 7, '']],
      [['', 1, 'continue'], ['自然人', 1, 'restart'], ['法人或其', 5, ''], ['总计', 1, 'restart']],
      [['', 1, 'continue'], ['', 1, 'continue'], ['商业企业', 1, ''], ['科研机构', 1, ''], ['社会公益', 1, ''], ['法律服务', 1, ''], ['其他', 1, ''], ['', 1, 'continue']],
    ]);
  });

  it('gives the long row labels of table B a wider column than its numbers', () => {
    const gridOf = (table: Element) => DomUtils.findAll((element) => element.name === 'w:gridCol', [table]).map((column) => Number(column.attribs['w:w']));
    const [label, ...numbers] = gridOf(wordTables(parts.document)[1]!.xml);
    expect(label).toBeGreaterThanOrEqual(2 * Math.max(...numbers));
  });
});

describe('text a writer typed, in the Word document', () => {
  it('stays text when it looks like markup', async () => {
    const docx = await reportDocx(reportOf([paragraph(text('<script>alert(1)</script> & <b>粗</b>'))]));
    expect((await mammoth.extractRawText({ buffer: docx })).value).toContain('<script>alert(1)</script> & <b>粗</b>');
    expect((await partsOf(docx)).document).not.toContain('<script>');
  });

  it('keeps web and mail links as links, and a javascript: link as its plain text', async () => {
    const docx = await reportDocx(
      reportOf([
        paragraph(
          text('坏链接', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]),
          text('门户', [{ type: 'link', attrs: { href: 'https://www.gov.cn/?a=1&b="2"' } }]),
          text('网站', [{ type: 'link', attrs: { href: 'https://www.gov.cn/?a=1&b="2"' } }, { type: 'bold' }]),
          text('、'),
          text('邮箱', [{ type: 'link', attrs: { href: 'mailto:gk@example.gov.cn' } }]),
        ),
      ]),
    );
    const html = await asHtml(docx);
    expect(html).toContain('<p>坏链接<a href="https://www.gov.cn/?a=1&amp;b=&quot;2&quot;">门户<strong>网站</strong></a>、<a href="mailto:gk@example.gov.cn">邮箱</a></p>');
    const { document, styles, relationships } = await partsOf(docx);
    expect(relationships).not.toContain('javascript:');
    expect(document).toContain('<w:rStyle w:val="Hyperlink"/>');
    expect(styles).toContain('w:styleId="Hyperlink"');
  });

  it('keeps bold, italic, underlined, struck-through and code text marked, and line breaks as line breaks', async () => {
    const docx = await reportDocx(
      reportOf([
        paragraph(
          text('粗', [{ type: 'bold' }]),
          text('斜', [{ type: 'italic' }]),
          text('下划', [{ type: 'underline' }]),
          text('删除', [{ type: 'strike' }]),
          text('npm run', [{ type: 'code' }]),
          { type: 'hardBreak' },
          text('第二行'),
        ),
      ]),
    );
    expect(await asHtml(docx)).toContain('<strong>粗</strong><em>斜</em><u>下划</u><s>删除</s>npm run<br />第二行</p>');
    expect((await partsOf(docx)).document).toContain('<w:rFonts w:ascii="Courier New" w:cs="Courier New" w:hAnsi="Courier New"/></w:rPr><w:t xml:space="preserve">npm run</w:t>');
  });

  it('makes bullet and numbered lists Word lists, nested by level, and a quotation an indented paragraph', async () => {
    const item = (value: string, ...nested: NodeJSON[]): NodeJSON => ({ type: 'listItem', content: [paragraph(text(value)), ...nested] });
    const docx = await reportDocx(
      reportOf([
        { type: 'orderedList', content: [item('第一项', { type: 'bulletList', content: [item('要点甲'), item('要点乙')] }), item('第二项')] },
        { type: 'blockquote', content: [paragraph(text('引用的原文'))] },
      ]),
    );
    expect(await asHtml(docx)).toContain('<ol><li>第一项<ul><li>要点甲</li><li>要点乙</li></ul></li><li>第二项</li></ol><p>引用的原文</p>');
    expect((await partsOf(docx)).document).toContain('<w:ind w:left="640" w:firstLine="640" w:firstLineChars="200"/></w:pPr><w:r><w:t xml:space="preserve">引用的原文');
  });

  it('keeps a code block’s lines and leading spaces', async () => {
    const docx = await reportDocx(reportOf([{ type: 'codeBlock', content: [text('第一行\n    缩进的第二行')] }]));
    expect((await partsOf(docx)).document).toMatch(/>第一行<\/w:t><\/w:r><w:r><w:rPr>[^]*?<\/w:rPr><w:br\/><w:t xml:space="preserve"> {4}缩进的第二行</);
  });

  it('writes a table the writer made with its header row repeated, merged cells merged, and empty cells that Word accepts', async () => {
    const cell = (type: string, value: string, attrs?: Record<string, unknown>): NodeJSON => ({ type, attrs, content: value ? [paragraph(text(value))] : [paragraph()] });
    const docx = await reportDocx(
      reportOf([
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [cell('tableHeader', '项目'), cell('tableHeader', '数量', { colspan: 2 })] },
            { type: 'tableRow', content: [cell('tableCell', '合并', { rowspan: 2 }), cell('tableCell', ''), cell('tableCell', '3')] },
            { type: 'tableRow', content: [cell('tableCell', '跨两列', { colspan: 2 })] },
          ],
        },
        { type: 'horizontalRule' },
      ]),
    );
    expect(await asHtml(docx)).toContain(
      '<table><thead><tr><th><p><strong>项目</strong></p></th><th colspan="2"><p><strong>数量</strong></p></th></tr></thead><tbody><tr><td rowspan="2"><p>合并</p></td><td></td><td><p>3</p></td></tr><tr><td colspan="2"><p>跨两列</p></td></tr></tbody></table>',
    );
    const { document } = await partsOf(docx);
    const [table] = wordTables(document);
    for (const row of table!.rows) for (const cell of row.cells) expect(DomUtils.findOne((element) => element.name === 'w:p', [cell.xml])).not.toBeNull();
    expect(document).toContain('<w:pBdr><w:bottom w:val="single"');
  });

  it('puts an empty paragraph between two tables, which Word would otherwise join into one', async () => {
    const table = (value: string): NodeJSON => ({ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [paragraph(text(value))] }] }] });
    const { document } = await partsOf(await reportDocx(reportOf([table('甲'), table('乙')])));
    expect(document).toMatch(/<\/w:tbl><w:p\/><w:tbl>/);
  });

  it('prints a blank annex table with every cell present', async () => {
    const docx = await reportDocx(reportOf([{ type: 'annexTable', attrs: { tableId: 'B' } }]));
    const [table] = wordTables((await partsOf(docx)).document);
    for (const row of table!.rows) expect(row.cells.reduce((sum, cell) => sum + cell.span, 0)).toBe(8);
    expect(await asHtml(docx)).toContain('一、本年新收政府信息公开申请数量</strong></p></td><td></td><td></td>');
  });
});

describe('text as the writer typed it', () => {
  it('keeps spaces, full-width spaces and tabs, and drops a line break that ends a paragraph', async () => {
    const docx = await reportDocx(reportOf([paragraph(text('　　两个  空格\t制表'), { type: 'hardBreak' })]));
    const { document } = await partsOf(docx);
    expect(document).toMatch(/<w:t xml:space="preserve">　　两个 {2}空格<\/w:t><w:tab\/><w:t xml:space="preserve">制表<\/w:t><\/w:r><\/w:p>/);
  });

  it('leaves out empty paragraphs and headings, which take no room on the page either', async () => {
    const { document } = await partsOf(await reportDocx(reportOf([paragraph(), { type: 'heading', attrs: { level: 3 } }, paragraph(text('正文'))])));
    const body = /<w:body>(.*)<\/w:body>/s.exec(document)![1]!;
    expect(body.match(/<w:p>|<w:p\/>|<w:p /g)).toHaveLength(3); // the title, the part heading and 正文
  });
});
