import * as Y from 'yjs';
import { readAnnexTables } from '../../blocks/annex/annex-data.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { readBodyJSON, type NodeJSON } from '../../blocks/report-json.js';
import { buildDemoReportUpdate } from '../demo/seed-demo.js';
import { ReportRenderer } from './render-html.js';

// Published pages for the publishing tests: the demo report as the server renders it, and a page
// of one section holding whatever a test puts in it.

export const format = findFormat('gov-disclosure-2021')!;
export const DEMO_TITLE = '示范区人民政府2025年政府信息公开工作年度报告';

export function demoPage(): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildDemoReportUpdate());
  const html = new ReportRenderer({ title: DEMO_TITLE, body: readBodyJSON(doc), format, tables: readAnnexTables(doc, format) }).document();
  doc.destroy();
  return html;
}

export function pageOf(content: NodeJSON[]): string {
  return new ReportRenderer({
    title: '测试',
    body: { type: 'doc', content: [{ type: 'section', attrs: { sectionId: 'overview', title: '一、总体情况', level: 1 }, content }] },
    format,
    tables: {},
  }).document();
}
