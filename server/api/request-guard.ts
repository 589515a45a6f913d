import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { refuse } from '../../blocks/errors.js';
import type { AppEnv } from './app-env.js';
import { MAX_IMPORT_BYTES } from '../../blocks/import/source.js';

/** Who the server trusts about where a request comes from. */
export interface WebSecurity {
  /** Behind a reverse proxy: the client's address is the last one the proxy added to X-Forwarded-For. */
  trustProxy: boolean;
  /** Origins besides the server's own host allowed to send state-changing requests (e.g. the public https address behind a proxy that rewrites Host). */
  allowedOrigins: readonly string[];
}

export const defaultWebSecurity: WebSecurity = { trustProxy: false, allowedOrigins: [] };

/** The largest request body any route takes (annex data, a comment, a section title): far above them all. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Routes that take a file (multipart/form-data, field `file`), and how large it may be. */
const UPLOAD_ROUTES: ReadonlyArray<{ path: RegExp; maxBytes: number }> = [
  { path: /^\/api\/imports\/?$/, maxBytes: MAX_IMPORT_BYTES },
  { path: /^\/api\/reports\/[^/]+\/sections\/[^/]+\/drafts\/?$/, maxBytes: MAX_IMPORT_BYTES },
];
const uploadRoute = (path: string) => UPLOAD_ROUTES.find((route) => route.path.test(path));

/**
 * What every page sends so that a browser confines it: the app's own scripts only, no framing by
 * other sites, no type sniffing, no referrer to other sites. Editors and ProseMirror set inline
 * styles (column widths, carets), so styles may be inline; scripts may not.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    // A route with a stricter policy of its own (the portal's pages run no script at all) keeps it.
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    // Answers about reports and users are never kept by a browser or a proxy.
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What an HTML form can send without the page asking first: another site's form could send them. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Requests that change something (and collaboration sockets, which write) must come from the
 * product's own pages: a page of another site — or of another port on the same host — cannot act
 * with a user's session. A browser names the page in `Origin`; scripts that send none are not
 * browsers and carry no one's cookie by accident. Form encodings are refused outright, so a
 * cross-site form is stopped even where a browser leaves Origin out.
 */
export function sameOriginOnly(security: WebSecurity): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const upgrading = c.req.header('upgrade')?.toLowerCase() === 'websocket';
    if (SAFE_METHODS.has(c.req.method) && !upgrading) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !isOwnOrigin(origin, c.req.header('host'), security)) throw refuse('foreign-origin', { origin });
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type === 'multipart/form-data' && uploadRoute(c.req.path) && sentByOwnPage(origin, c.req.header('sec-fetch-site'))) return next();
    if (type && FORM_CONTENT_TYPES.includes(type)) throw refuse('unsupported-content-type', { type });
    return next();
  };
}

/**
 * A file upload is a form encoding, so it needs more than a missing Origin: a browser that names
 * the page (Origin, checked above, or Sec-Fetch-Site) must name the product's own; a script that
 * names none sends its cookie deliberately.
 */
function sentByOwnPage(origin: string | undefined, fetchSite: string | undefined): boolean {
  if (origin !== undefined) return true;
  return fetchSite === undefined || fetchSite === 'same-origin';
}

function isOwnOrigin(origin: string, host: string | undefined, security: WebSecurity): boolean {
  if (security.allowedOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

const limitTo = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw refuse('body-too-large', { max: `${maxSize / 1024 / 1024} MB` });
    },
  });

/** Bodies past `MAX_BODY_BYTES` (an upload route's own limit for files) are refused while they arrive, before anything reads them. */
export function bodySizeLimit(): MiddlewareHandler<AppEnv> {
  const ordinary = limitTo(MAX_BODY_BYTES);
  const uploads = new Map(UPLOAD_ROUTES.map((route) => [route, limitTo(route.maxBytes)]));
  return (c, next) => {
    const route = uploadRoute(c.req.path);
    return (route ? uploads.get(route)! : ordinary)(c, next);
  };
}
