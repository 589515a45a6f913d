import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { SessionStore } from './auth/sessions.js';
import { ReportStore } from './collab/report-store.js';
import { RoomRegistry } from './collab/room-registry.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { SessionSweep } from './auth/session-sweep.js';
import { DEMO_PASSWORD, demoUsers, seedDemoIfEmpty } from './demo/seed-demo.js';

function logError(error: unknown, context: string) {
  console.error(`[error] ${context}:`, error);
}

// `npm start` runs the demo (`--demo`): on an empty DATA_DIR it creates the demo district and its
// logins. Without it (`npm run serve`) nothing is created: the operator sets up with `npm run admin`.
const demo = process.argv.includes('--demo');
const config = readConfig();
const database = await openDatabase(path.join(config.dataDir, 'reports.sqlite'), { synchronous: config.sqliteSynchronous });
const { seeded } = demo ? await seedDemoIfEmpty(database.db) : { seeded: false };
const initialised = (await database.db.selectFrom('districts').select('id').executeTakeFirst()) !== undefined;

const sessions = new SessionStore(database.db, config.sessionTtlMs);
const store = new ReportStore(database.db);
const rooms = new RoomRegistry(store, {
  compactAfterUpdates: config.compactAfterUpdates,
  keepIdleMs: config.roomKeepIdleMs,
  onError: logError,
  onLoaded: (reportId, load) => console.log(`[room] report ${reportId} loaded in ${load.ms.toFixed(1)} ms (${load.updatesReplayed} updates replayed after its snapshot)`),
});
const { app, injectWebSocket, close, events } = createApp({
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

const sweep = new SessionSweep({ db: database.db, rooms, events, intervalMs: config.sessionSweepMs, now: Date.now, onError: logError });
await sweep.sweep();
sweep.start();

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`报告编辑器已启动 · report editor listening on http://${config.host}:${info.port}`);
  console.log(`data: ${config.dataDir}${seeded ? ' (demo district created)' : ''}`);
  if (demo) console.log(`demo logins (password "${DEMO_PASSWORD}"): ${demoUsers.map((u) => u.username).join(', ')}`);
  else if (!initialised) console.log('尚未初始化 · not set up yet: npm run admin -- init --district <name> --username <u>');
});
injectWebSocket(server);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing sockets and the database`);
  server.close();
  sweep.stop();
  await rooms.closeAll();
  await close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
