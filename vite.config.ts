import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** The suites that run a second time with the server on PostgreSQL. */
const POSTGRES_SUITES = [
  'tests/collab-sync.test.ts',
  'tests/collab-refusals.test.ts',
  'tests/guard-hostile.test.ts',
  'tests/guard-content.test.ts',
  'tests/workflow-api.test.ts',
  'tests/annex-api.test.ts',
  'tests/publish-api.test.ts',
  'tests/session-end.test.ts',
  'tests/notifications.test.ts',
  'tests/suggestions.test.ts',
  'server/collab/room.test.ts',
  'server/collab/room-registry.test.ts',
  'server/collab/report-store.test.ts',
  'server/collab/report-quarantine.test.ts',
  'server/api/api.test.ts',
  'server/read/report-digests.test.ts',
  'server/db/database.test.ts',
  'server/publish/webhook-outbox.test.ts',
  'tests/multi-process.test.ts',
];

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
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll waits for something to happen (a push, a render); on a loaded 2-core machine
    // that can take longer than the 1 s default. It is a wait, not a timing assertion.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['tests/**/*.test.ts', 'blocks/**/*.test.ts', 'server/**/*.test.ts'],
          // Several processes need PostgreSQL and Redis: the `postgres` project runs it.
          exclude: ['tests/multi-process.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        // The same promises on PostgreSQL (DATABASE_URL): collaboration, the guard, the workflow,
        // annex tables and publishing, through real server processes and in-process rooms.
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_SUITES,
          globalSetup: ['tests/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
