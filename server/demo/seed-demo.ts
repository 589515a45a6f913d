import { randomBytes } from 'node:crypto';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { reportSchema } from '../../blocks/extensions.js';
import { hashPassword } from '../auth/password.js';
import { createReportDoc } from '../collab/report-store.js';
import type { Db } from '../db/database.js';
import { appendUpdate } from '../db/update-log.js';
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

function blockToJSON(block: DemoBlock) {
  const text = (value: string) => [{ type: 'text', text: value }];
  if ('paragraph' in block) return { type: 'paragraph', content: text(block.paragraph) };
  if ('heading' in block) return { type: 'heading', attrs: { level: 3 }, content: text(block.heading) };
  return {
    type: 'bulletList',
    content: block.bullets.map((item) => ({ type: 'listItem', content: [{ type: 'paragraph', content: text(item) }] })),
  };
}

function sectionToJSON(section: DemoSection) {
  return {
    type: 'section',
    attrs: { sectionId: section.sectionId, title: section.title, level: section.level },
    content: section.blocks.map(blockToJSON),
  };
}

/** The demo report's body as a Yjs update, checked against the report schema. */
export function buildDemoReportUpdate(): Uint8Array {
  const doc = createReportDoc();
  prosemirrorJSONToYXmlFragment(reportSchema, { type: 'doc', content: demoSections.map(sectionToJSON) }, doc.getXmlFragment(BODY_FIELD));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** On an empty database: the demo district, its four departments and users, and one report. */
export async function seedDemoIfEmpty(db: Db, now = Date.now()): Promise<{ seeded: boolean }> {
  const existing = await db.selectFrom('districts').select('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  const passwordHashes = await Promise.all(demoUsers.map(() => hashPassword(DEMO_PASSWORD)));
  const reportId = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');
  const update = buildDemoReportUpdate();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('districts').values({ id: 'demo', name: '示范区' }).execute();
    await trx.insertInto('departments').values(demoDepartments.map((d) => ({ ...d, district_id: 'demo' }))).execute();
    await trx
      .insertInto('users')
      .values(demoUsers.map((u, i) => ({ ...u, password_hash: passwordHashes[i]!, created_at: now })))
      .execute();
    await trx
      .insertInto('reports')
      .values({ id: reportId, district_id: 'demo', title: demoReportTitle, year: demoReportYear, format: 'gov-disclosure-2021', created_at: now })
      .execute();
    await trx
      .insertInto('sections')
      .values(demoSections.map((s) => ({ report_id: reportId, section_id: s.sectionId, department_id: s.department })))
      .execute();
    await appendUpdate(trx, { reportId, seq: 1, data: update, userId: null, now, sectionIds: demoSections.map((s) => s.sectionId) });
  });
  return { seeded: true };
}
