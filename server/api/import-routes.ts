import { Hono } from 'hono';
import { refuse } from '../../blocks/errors.js';
import { requireSession } from '../auth/session-middleware.js';
import { requireLead } from '../workflow/lead-office.js';
import type { ImportService } from '../import/import-service.js';
import type { AppEnv } from './app-env.js';

/** `POST /api/imports`: a published report read for a preview; multipart, the file in field `file`. */
export function createImportRoutes({ imports }: { imports: ImportService }) {
  return new Hono<AppEnv>().post('/', async (c) => {
    const session = requireSession(c);
    // Refused before a large upload is read.
    requireLead(session.user, 'import');
    const type = c.req.header('content-type') ?? '';
    const form = type.toLowerCase().startsWith('multipart/form-data') ? await c.req.parseBody() : {};
    const file = form.file;
    if (!(file instanceof File)) throw refuse('import-file-required', {});
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined);
    const preview = await imports.preview(session.user, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, { year: field('year'), level: field('level') });
    return c.json(preview);
  });
}
