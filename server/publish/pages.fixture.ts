import * as Y from 'yjs';
import { readAnnexTables } from '../../blocks/annex/annex-data.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { readBodyJSON, type NodeJSON } from '../../blocks/report-json.js';
import { buildDemoReportUpdate } from '../demo/seed-demo.js';
import { printReport, type PrintedReport } from './printed-report.js';
import { reportHtml } from './render-html.js';

// Printed reports for the publishing tests: the demo report as the server lays it out, and a report
// of one section holding whatever a test puts in it; each also as its published page.

export const format = findFormat('gov-disclosure-2021')!;
export const DEMO_TITLE = '示范区人民政府2025年政府信息公开工作年度报告';

export function demoReport(): PrintedReport {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildDemoReportUpdate());
  const printed = printReport({ title: DEMO_TITLE, body: readBodyJSON(doc), format, tables: readAnnexTables(doc, format) });
  doc.destroy();
  return printed;
}

export function reportOf(content: NodeJSON[]): PrintedReport {
  return printReport({
    title: '测试',
    body: { type: 'doc', content: [{ type: 'section', attrs: { sectionId: 'overview', title: '一、总体情况', level: 1 }, content }] },
    format,
    tables: {},
  });
}

export const demoPage = (): string => reportHtml(demoReport());
export const pageOf = (content: NodeJSON[]): string => reportHtml(reportOf(content));
