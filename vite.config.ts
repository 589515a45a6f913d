import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const apiTarget = `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/collab': { target: apiTarget, ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts', 'blocks/**/*.test.ts', 'server/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll waits for something to happen (a push, a render); on a loaded 2-core machine
    // that can take longer than the 1 s default. It is a wait, not a timing assertion.
    expect: { poll: { timeout: 10_000 } },
  },
});
