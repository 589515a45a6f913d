import { build } from 'vite';

/** The browser app is built once per test run; servers under test serve it from dist/client. */
export default async function buildClientOnce() {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
