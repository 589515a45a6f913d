import { Hono, type Context } from 'hono';
import { findFormat } from '../../blocks/annex/formats/index.js';
import type { AnnexTables } from '../../blocks/annex/annex-data.js';
import type { Db } from '../db/database.js';
import { findPublication, findPublicationFile, listCurrentPublications, listPublications } from '../db/publications.js';
import { annexCsv } from './annex-export.js';
import { escapeHtml } from './render-html.js';

/** Published pages carry no script and load nothing from elsewhere. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

const NOT_FOUND_PAGE = '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>未找到</title><p>没有这个页面。</p></html>';

const chinaDate = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 10);

/** Where a publication's downloads live, beside its page. */
export function downloadsOf(id: string) {
  const base = `/portal/${id}`;
  return { docx: `${base}/report.docx`, pdf: `${base}/report.pdf`, csv: `${base}/annex.csv`, json: `${base}/annex.json` };
}

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

type Publication = NonNullable<Awaited<ReturnType<typeof findPublication>>>;

/** Which version this is, which is current, and the downloads: added as the page is served, never stored. */
function pageHeader(publication: Publication, current: { id: string; version: number }): string {
  const date = chinaDate(publication.published_at);
  const notice =
    current.version === publication.version
      ? `<p class="version" role="note">第${publication.version}版（当前版本），${date}发布。${escapeHtml(publication.note)}</p>`
      : `<p class="version" role="note">本页为第${publication.version}版（${date}发布），已被更正。当前版本为<a href="/portal/${escapeHtml(current.id)}">第${current.version}版</a>。</p>`;
  const links = downloadsOf(publication.id);
  const downloads = [
    [links.docx, '下载 Word 文档（DOCX）'],
    [links.pdf, '下载 PDF'],
    [links.csv, '附表数据（CSV）'],
    [links.json, '附表数据（JSON）'],
  ]
    .map(([href, label]) => `<li><a href="${escapeHtml(href!)}">${label}</a></li>`)
    .join('');
  return `${notice}<nav class="downloads" aria-label="下载"><ul>${downloads}</ul></nav>`;
}

/** `attachment` with the report's Chinese name for browsers, and an ASCII fallback for the rest. */
function attachment(publication: Publication, title: string, extension: string): string {
  const name = `${title}（第${publication.version}版）.${extension}`;
  return `attachment; filename="report-v${publication.version}.${extension}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function reportTitle(db: Db, reportId: string): Promise<string> {
  const report = await db.selectFrom('reports').select('title').where('id', '=', reportId).executeTakeFirst();
  return report?.title ?? 'report';
}

/**
 * The public portal, no login: an index of published reports and each publication's page and
 * downloads. Only what was published is reachable here, at its random id, exactly as stored.
 */
export function createPortalRoutes({ db }: { db: Db }) {
  const published = async (id: string) => findPublication(db, id);
  const serveFile = async (c: Context, kind: 'docx' | 'pdf') => {
    const publication = await published(c.req.param('id')!);
    const file = publication ? await findPublicationFile(db, publication.id, kind) : undefined;
    if (!publication || !file) return c.body(NOT_FOUND_PAGE, 404, PAGE_HEADERS);
    return c.body(new Uint8Array(file.bytes), 200, {
      'content-type': file.content_type,
      'content-disposition': attachment(publication, await reportTitle(db, publication.report_id), kind),
      'x-content-type-options': 'nosniff',
      etag: `"${file.sha256}"`,
    });
  };
  return new Hono()
    .get('/portal', (c) => c.redirect('/portal/', 301))
    .get('/portal/', async (c) => c.body(indexPage(await listCurrentPublications(db)), 200, PAGE_HEADERS))
    .get('/portal/:id', async (c) => {
      const publication = await published(c.req.param('id'));
      if (!publication) return c.body(NOT_FOUND_PAGE, 404, PAGE_HEADERS);
      const current = (await listPublications(db, publication.report_id))[0]!;
      return c.body(publication.html.replace('<main>', `<main>${pageHeader(publication, current)}`), 200, PAGE_HEADERS);
    })
    .get('/portal/:id/report.docx', (c) => serveFile(c, 'docx'))
    .get('/portal/:id/report.pdf', (c) => serveFile(c, 'pdf'))
    .get('/portal/:id/annex.json', async (c) => {
      const publication = await published(c.req.param('id'));
      if (!publication) return c.body(NOT_FOUND_PAGE, 404, PAGE_HEADERS);
      const title = await reportTitle(db, publication.report_id);
      return c.body(publication.annex, 200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': attachment(publication, `${title} 附表`, 'json'), 'x-content-type-options': 'nosniff' });
    })
    .get('/portal/:id/annex.csv', async (c) => {
      const publication = await published(c.req.param('id'));
      if (!publication) return c.body(NOT_FOUND_PAGE, 404, PAGE_HEADERS);
      const annex = JSON.parse(publication.annex) as { format: string; tables: AnnexTables };
      const format = findFormat(annex.format);
      if (!format) throw new Error(`publication ${publication.id} names unknown format ${annex.format}`);
      const title = await reportTitle(db, publication.report_id);
      return c.body(annexCsv(format, annex.tables), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(publication, `${title} 附表`, 'csv'), 'x-content-type-options': 'nosniff' });
    })
    // Nothing else under /portal/ exists; it must not fall through to the editor's pages.
    .all('/portal/*', (c) => c.body(NOT_FOUND_PAGE, 404, PAGE_HEADERS));
}
