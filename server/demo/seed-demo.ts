import { ANNEX_FIGURE_NODE } from '../../blocks/annex/annex-figure-node.js';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import type { NodeJSON } from '../../blocks/report-json.js';
import { buildReportUpdate } from '../annex/report-document.js';
import { insertReport, templateSections, type NewSection } from '../annex/report-template.js';
import { hashPassword } from '../auth/password.js';
import type { Db } from '../db/database.js';
import { demoAnnex2024, demoAnnex2025 } from './demo-annex.js';
import { demoReportTitle, demoReportYear, demoSections, type DemoBlock, type DemoSection } from './demo-sections.js';

export const DEMO_PASSWORD = 'demo';

export const demoDepartments = [
  { id: 'lead', name: '示范区人民政府办公室', name_en: 'District Government Office', color: '#b91c1c', is_lead: 1 },
  { id: 'finance', name: '示范区财政局', name_en: 'Finance Bureau', color: '#1d4ed8', is_lead: 0 },
  { id: 'food', name: '示范区市场监督管理局', name_en: 'Market Supervision (Food Safety) Bureau', color: '#15803d', is_lead: 0 },
  { id: 'env', name: '示范区生态环境局', name_en: 'Ecology and Environment Bureau', color: '#7e22ce', is_lead: 0 },
] as const;

export const demoUsers = [
  { username: 'lead', name: '王主任', department_id: 'lead', role: 'lead' },
  { username: 'finance', name: '李会计', department_id: 'finance', role: 'editor' },
  { username: 'food', name: '张科长', department_id: 'food', role: 'editor' },
  { username: 'env', name: '陈工程师', department_id: 'env', role: 'editor' },
] as const;

/**
 * A demo paragraph's text, where "{B/new:total}" is a linked figure and "{B/granted:total÷B/total:total}"
 * a linked percentage.
 */
function paragraphContent(paragraph: string): NodeJSON[] {
  return paragraph
    .split(/(\{[^}]+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const figure = /^\{([^÷}]+)(?:÷([^}]+))?\}$/.exec(part);
      if (!figure) return { type: 'text', text: part };
      return { type: ANNEX_FIGURE_NODE, attrs: { cell: figure[1], of: figure[2] ?? null, decimals: 1 } };
    });
}

function blockToJSON(block: DemoBlock): NodeJSON {
  const text = (value: string) => [{ type: 'text', text: value }];
  if ('paragraph' in block) return { type: 'paragraph', content: paragraphContent(block.paragraph) };
  if ('heading' in block) return { type: 'heading', attrs: { level: 3 }, content: text(block.heading) };
  if ('table' in block) return { type: ANNEX_TABLE_NODE, attrs: { tableId: block.table } };
  return {
    type: 'bulletList',
    content: block.bullets.map((item) => ({ type: 'listItem', content: [{ type: 'paragraph', content: text(item) }] })),
  };
}

function demoSectionToJSON(section: DemoSection): NewSection {
  return { sectionId: section.sectionId, title: section.title, level: section.level, department: section.department, content: section.blocks.map(blockToJSON) };
}

/** The demo report's body and tables as a Yjs update, checked against the report schema. */
export function buildDemoReportUpdate(): Uint8Array {
  const sections = demoSections.map(demoSectionToJSON);
  return buildReportUpdate(
    sections.map((section) => ({ type: 'section', attrs: { sectionId: section.sectionId, title: section.title, level: section.level }, content: section.content })),
    demoAnnex2025,
  );
}

/**
 * On an empty database: the demo district, its four departments and users, last year's report
 * (2024, for the cross-year rules) and this year's report being written.
 */
export async function seedDemoIfEmpty(db: Db, now = Date.now()): Promise<{ seeded: boolean }> {
  const existing = await db.selectFrom('districts').select('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  const passwordHashes = await Promise.all(demoUsers.map(() => hashPassword(DEMO_PASSWORD)));
  const format = findFormat('gov-disclosure-2021')!;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('districts').values({ id: 'demo', name: '示范区' }).execute();
    await trx.insertInto('departments').values(demoDepartments.map((d) => ({ ...d, district_id: 'demo' }))).execute();
    await trx
      .insertInto('users')
      .values(demoUsers.map((u, i) => ({ ...u, password_hash: passwordHashes[i]!, created_at: now })))
      .execute();
    const lastYear = templateSections(format).map((section) => ({
      ...section,
      department: 'lead',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: `（${demoReportYear - 1}年度报告正文，已于${demoReportYear}年1月发布。）` }] }, ...section.content.slice(1)],
    }));
    await insertReport(trx, { districtId: 'demo', title: demoReportTitle.replace(String(demoReportYear), String(demoReportYear - 1)), year: demoReportYear - 1, format, sections: lastYear, tables: demoAnnex2024, userId: null, now });
    await insertReport(trx, { districtId: 'demo', title: demoReportTitle, year: demoReportYear, format, sections: demoSections.map(demoSectionToJSON), tables: demoAnnex2025, userId: null, now });
  });
  return { seeded: true };
}
