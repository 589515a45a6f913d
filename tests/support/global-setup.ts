import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser app built for this test run; servers under test serve it. */
    clientDir: string;
  }
}

/**
 * Builds the browser app once per run into a directory of its own, so a test run never
 * disturbs (or is disturbed by) the project's dist/ or another run in progress.
 */
export default async function buildClientOnce(project: TestProject) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-editor-client-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  project.provide('clientDir', outDir);
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
