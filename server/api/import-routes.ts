import { Hono } from 'hono';
import { requireSession } from '../auth/session-middleware.js';
import type { ImportService } from '../import/import-service.js';
import { requireLead } from '../workflow/lead-office.js';
import type { AppEnv } from './app-env.js';
import { readUploadForm } from './upload-form.js';

/** `POST /api/imports`: a published report read for a preview; multipart, the file in field `file`. */
export function createImportRoutes({ imports }: { imports: ImportService }) {
  return new Hono<AppEnv>().post('/', async (c) => {
    const session = requireSession(c);
    // Refused before a large upload is read.
    requireLead(session.user, 'import');
    const upload = await readUploadForm(c);
    return c.json(await imports.preview(session.user, upload, { year: upload.field('year'), level: upload.field('level') }));
  });
}
