/**
 * Builds the server as a district runs it (`npm run serve`): one minified ES module bundle in
 * `dist/server` (or the directory given), with each part loaded on demand (the DOCX writer, the
 * PDF printer, the PostgreSQL and Redis clients) in a chunk of its own. Bundled, the server
 * holds a fraction of the module sources and their compiled code in memory: idle RSS in
 * `npm run bench` went from 103 to 83 MiB.
 *
 * The workers (report digests, reading imports) are entries of their own beside main.js. Left
 * outside the bundle: better-sqlite3 (a native addon), playwright-core (it resolves its own files
 * at run time), PDF.js (it loads its own worker module) and pg's optional native binding.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

const REPO = path.resolve(import.meta.dirname, '..');
export const SERVER_EXTERNALS = ['better-sqlite3', 'playwright-core', 'pg-native', 'pdfjs-dist'];

export async function buildServer(outDir = path.join(REPO, 'dist/server')): Promise<void> {
  await build({
    configFile: false,
    root: REPO,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      // Kept beside the bundle for reading a stack trace; node does not load them unless asked
      // (--enable-source-maps).
      sourcemap: true,
      target: 'node20',
      rolldownOptions: {
        // The digest worker is started from a file beside the code that starts it (report-digests.ts).
        input: { main: 'server/main.ts', 'digest-worker': 'server/read/digest-worker.ts', 'import-worker': 'server/import/import-worker.ts' },
        // Whitespace and comments go, names stay: a logged stack trace still says where it was.
        output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: { compress: true, mangle: false } },
      },
    },
    ssr: { target: 'node', noExternal: true, external: SERVER_EXTERNALS },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
