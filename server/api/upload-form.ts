import type { Context } from 'hono';
import { refuse } from '../../blocks/errors.js';
import type { AppEnv } from './app-env.js';

/** A file sent as a browser's form sends it (multipart/form-data, field `file`), with the form's text fields. */
export async function readUploadForm(c: Context<AppEnv>): Promise<{ name: string; bytes: Uint8Array; field(name: string): string | undefined }> {
  const type = c.req.header('content-type') ?? '';
  const form = type.toLowerCase().startsWith('multipart/form-data') ? await c.req.parseBody() : {};
  const file = form.file;
  if (!(file instanceof File)) throw refuse('import-file-required', {});
  return {
    name: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
    field: (name) => {
      const value = form[name];
      return typeof value === 'string' ? value : undefined;
    },
  };
}
