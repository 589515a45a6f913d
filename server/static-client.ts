import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * Serves the built browser app, and its index.html for every other GET so the app's own
 * routes (/reports/…) survive a reload. Built assets carry their content hash in their name, so a
 * browser keeps them for a year; index.html, which names them, is checked every time.
 */
export function createStaticClient(clientDir: string) {
  const app = new Hono();
  const indexFile = path.join(clientDir, 'index.html');
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', serveStatic({ root: path.relative(process.cwd(), clientDir) || '.' }));
  app.get('*', (c) => {
    if (!fs.existsSync(indexFile)) {
      return c.text(`The browser app is not built: run "npm run build" (looked for ${indexFile}).`, 503);
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(fs.readFileSync(indexFile, 'utf8'));
  });
  return app;
}
