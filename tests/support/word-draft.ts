import { Document, FootnoteReferenceRun, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';

/** A 1×1 PNG: a picture as a department's draft might carry. */
const PICTURE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * A department's draft as Word writes it: a heading, bold and italic text, a list, a prose table,
 * a picture and a footnote — the last two are what the report cannot hold.
 */
export function departmentDraft(): Promise<Buffer> {
  const doc = new Document({
    footnotes: { 1: { children: [new Paragraph('数据来源：区财政局统计。')] } },
    sections: [
      {
        children: [
          new Paragraph({ text: '财政预决算公开', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [new TextRun('全年公开部门预算'), new TextRun({ text: '126个', bold: true }), new TextRun('，'), new TextRun({ text: '公开率100%', italics: true }), new FootnoteReferenceRun(1)],
          }),
          new Paragraph({ text: '预算公开及时', bullet: { level: 0 } }),
          new Paragraph({ text: '决算公开完整', bullet: { level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [new TableCell({ children: [new Paragraph('项目')] }), new TableCell({ children: [new Paragraph('数量')] })] }),
              new TableRow({ children: [new TableCell({ children: [new Paragraph('部门预算')] }), new TableCell({ children: [new Paragraph('126')] })] }),
            ],
          }),
          new Paragraph({ children: [new ImageRun({ type: 'png', data: PICTURE, transformation: { width: 10, height: 10 } })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
