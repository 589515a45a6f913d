import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { SessionStore } from './auth/sessions.js';
import { ReportStore } from './collab/report-store.js';
import { RoomRegistry } from './collab/room-registry.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { deleteExpiredSessions } from './db/sessions.js';
import { DEMO_PASSWORD, demoUsers, seedDemoIfEmpty } from './demo/seed-demo.js';

function logError(error: unknown, context: string) {
  console.error(`[error] ${context}:`, error);
}

const config = readConfig();
const database = await openDatabase(path.join(config.dataDir, 'reports.sqlite'), { synchronous: config.sqliteSynchronous });
const { seeded } = await seedDemoIfEmpty(database.db);
await deleteExpiredSessions(database.db, Date.now());

const sessions = new SessionStore(database.db, config.sessionTtlMs);
const store = new ReportStore(database.db);
const rooms = new RoomRegistry(store, {
  compactAfterUpdates: config.compactAfterUpdates,
  keepIdleMs: config.roomKeepIdleMs,
  onError: logError,
  onLoaded: (reportId, load) => console.log(`[room] report ${reportId} loaded in ${load.ms.toFixed(1)} ms (${load.updatesReplayed} updates replayed after its snapshot)`),
});
const { app, injectWebSocket, close } = createApp({
  db: database.db,
  sessions,
  rooms,
  store,
  cookieSecure: config.cookieSecure,
  clientDir: config.clientDir,
  collab: config.collab,
  chromiumPath: config.chromiumPath,
  webhook: config.webhook,
  web: config.web,
  onError: logError,
});

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`报告编辑器已启动 · report editor listening on http://${config.host}:${info.port}`);
  console.log(`data: ${config.dataDir}${seeded ? ' (demo district created)' : ''}`);
  console.log(`demo logins (password "${DEMO_PASSWORD}"): ${demoUsers.map((u) => u.username).join(', ')}`);
});
injectWebSocket(server);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing sockets and the database`);
  server.close();
  await rooms.closeAll();
  await close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
