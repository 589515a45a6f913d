import * as Y from 'yjs';
import { readAnnexTables } from '../blocks/annex/annex-data.js';
import { findFormat } from '../blocks/annex/formats/index.js';
import { readBodyJSON, type NodeJSON } from '../blocks/report-json.js';
import { buildReportUpdate } from '../server/annex/report-document.js';
import { buildDemoReportUpdate } from '../server/demo/seed-demo.js';
import { reportDocx } from '../server/publish/docx-writer.js';
import { PdfPrinter } from '../server/publish/pdf-printer.js';
import { printReport, type PrintedReport } from '../server/publish/printed-report.js';
import { reportHtml } from '../server/publish/render-html.js';
import { printedPageCount } from './printed-pages.js';

type Record = (figure: string, value: string, target?: string) => void;
type Summarise = (samples: number[]) => { p50: number; p99: number; max: number };

const TARGET_PAGES = 100;
const format = findFormat('gov-disclosure-2021')!;

function withoutTables(node: NodeJSON): NodeJSON {
  return { ...node, content: node.content?.filter((child) => child.type !== 'annexTable').map(withoutTables) };
}

/** The demo report, its text written out `copies` more times (fresh section ids, the annex tables once). */
function grownReport(copies: number): Y.Doc {
  const demo = new Y.Doc();
  Y.applyUpdate(demo, buildDemoReportUpdate());
  const sections = readBodyJSON(demo).content ?? [];
  const extra = Array.from({ length: copies }, (_, copy) =>
    sections.map((section) => withoutTables({ ...section, attrs: { ...section.attrs, sectionId: `${String(section.attrs?.sectionId)}-${copy + 1}` } })),
  ).flat();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildReportUpdate([...sections, ...extra], readAnnexTables(demo, format)));
  demo.destroy();
  return doc;
}

/** The publish path's layout: from the Y.Doc, as the server does it. */
function printFrom(doc: Y.Doc): PrintedReport {
  return printReport({ title: '示范区人民政府2025年政府信息公开工作年度报告', body: readBodyJSON(doc), format, tables: readAnnexTables(doc, format) });
}

async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

/** Rendering and publishing a report of about 100 printed pages: its layout and HTML, then the DOCX from the layout and the PDF from the HTML. */
export async function benchPublish(record: Record, summarise: Summarise): Promise<void> {
  const printer = new PdfPrinter(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  try {
    // Size the report by its printed length: print, scale the copies, until it reaches 100 pages.
    const cold = await timed(() => printer.print(reportHtml(printFrom(grownReport(5)))));
    let copies = 5;
    let pages = await printedPageCount(cold.value);
    let doc = grownReport(copies);
    let printed = printFrom(doc);
    let html = reportHtml(printed);
    while (pages < TARGET_PAGES) {
      doc.destroy();
      copies = Math.ceil(((copies + 1) * TARGET_PAGES) / pages) - 1;
      doc = grownReport(copies);
      printed = printFrom(doc);
      html = reportHtml(printed);
      pages = await printedPageCount(await printer.print(html));
    }
    const load = `${pages} pages, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB of HTML`;

    const htmlMs: number[] = [];
    for (let round = 0; round < 20; round++) htmlMs.push((await timed(() => reportHtml(printFrom(doc)))).ms);
    const docxMs: number[] = [];
    const pdfMs: number[] = [];
    const bothMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      docxMs.push((await timed(() => reportDocx(printed))).ms);
      pdfMs.push((await timed(() => printer.print(html))).ms);
      // As publishing does it: both at once.
      bothMs.push((await timed(() => Promise.all([reportDocx(printed), printer.print(html)]))).ms);
    }
    const html50 = summarise(htmlMs);
    record(`publish: HTML from the Y.Doc (${load}) p50 / max`, `${html50.p50.toFixed(0)} / ${html50.max.toFixed(0)} ms`, 'target < 500 ms');
    // Targets: within 1.5× of the same 100 pages before the GB/T 9704 layout, measured here at 280 ms and 4.73 s.
    record('publish: DOCX from the laid-out report (median of 3)', `${summarise(docxMs).p50.toFixed(0)} ms`, 'target < 420 ms');
    record('publish: PDF by Chromium, browser running (median of 3)', `${summarise(pdfMs).p50.toFixed(0)} ms`, 'target < 7.1 s');
    record('publish: DOCX and PDF together, as publishing does (median of 3)', `${summarise(bothMs).p50.toFixed(0)} ms`, 'target < 3 s');
    record('publish: first PDF after start (browser launch, small report)', `${cold.ms.toFixed(0)} ms`);
    doc.destroy();
  } finally {
    await printer.close();
  }
}
