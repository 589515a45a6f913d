import { Hono } from 'hono';
import type { Db } from '../db/database.js';
import { findPublication, listCurrentPublications, listPublications } from '../db/publications.js';
import { escapeHtml } from './render-html.js';

/** Published pages carry no script and load nothing from elsewhere. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
};

const chinaDate = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 10);

function indexPage(entries: Awaited<ReturnType<typeof listCurrentPublications>>): string {
  const items = entries
    .map((entry) => `<li><a href="/portal/${escapeHtml(entry.id)}">${escapeHtml(entry.title)}</a>（${escapeHtml(entry.body)}，${entry.year}年度，第${entry.version}版，${chinaDate(entry.publishedAt)}发布）</li>`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>政府信息公开工作年度报告</title>',
    '<style>body{font-family:"Noto Sans CJK SC",sans-serif;line-height:1.8;margin:0}main{max-width:48rem;margin:0 auto;padding:1.5rem}a{color:#1d4ed8}a:focus{outline:3px solid #f59e0b}</style></head>',
    `<body><main><h1>政府信息公开工作年度报告</h1>${entries.length === 0 ? '<p>暂无已发布的报告。</p>' : `<ul>${items}</ul>`}</main></body></html>`,
  ].join('\n');
}

/**
 * The public portal, no login: an index of published reports and each publication's page. Only
 * what was published is reachable here, at its random id.
 */
export function createPortalRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/portal', (c) => c.redirect('/portal/', 301))
    .get('/portal/', async (c) => c.body(indexPage(await listCurrentPublications(db)), 200, PAGE_HEADERS))
    .get('/portal/:id', async (c) => {
      const publication = await findPublication(db, c.req.param('id'));
      if (!publication) return c.body('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>未找到</title><p>没有这个页面。</p></html>', 404, PAGE_HEADERS);
      const versions = await listPublications(db, publication.report_id);
      const current = versions[0]!;
      const notice =
        current.version === publication.version
          ? `<p class="version" role="note">第${publication.version}版（当前版本），${chinaDate(publication.published_at)}发布。${escapeHtml(publication.note)}</p>`
          : `<p class="version" role="note">本页为第${publication.version}版（${chinaDate(publication.published_at)}发布），已被更正。当前版本为<a href="/portal/${escapeHtml(current.id)}">第${current.version}版</a>。</p>`;
      // The stored page is never changed; the version notice is added as it is served.
      return c.body(publication.html.replace('<main>', `<main>${notice}`), 200, PAGE_HEADERS);
    });
}
