import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { SessionStore } from './auth/sessions.js';
import { ReportStore } from './collab/report-store.js';
import { RoomRegistry } from './collab/room-registry.js';
import { readConfig } from './config.js';
import { openTarget } from './db/database.js';
import { SessionSweep } from './auth/session-sweep.js';
import { DEMO_PASSWORD, demoUsers, seedDemoIfEmpty } from './demo/seed-demo.js';
import { createLog } from './ops/log.js';
import { joinCluster, type Cluster } from './cluster/cluster.js';

// `npm start` runs the demo (`--demo`): on an empty DATA_DIR it creates the demo district and its
// logins. Without it (`npm run serve`) nothing is created: the operator sets up with `npm run admin`.
const demo = process.argv.includes('--demo');
const config = readConfig();
// One line per event: JSON for an operator's tools, text in the demo (LOG_FORMAT overrides).
const log = createLog(process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'text' ? process.env.LOG_FORMAT : demo ? 'text' : 'json');
const logError = (error: unknown, context: string) => log.error('error', error, { context });
// The server is the one process that logs reports' updates: on SQLite it writes them ahead to the journal.
const database = await openTarget(config.database, { journal: { onError: logError } });
if (database.recovered) log.warn('journal-recovered', { ...database.recovered });
const { seeded } = demo ? await seedDemoIfEmpty(database.db) : { seeded: false };
const initialised = (await database.db.selectFrom('districts').select('id').executeTakeFirst()) !== undefined;

const sessions = new SessionStore(database.db, config.sessionTtlMs);
const store = new ReportStore(database);
// Several processes (REDIS_URL): a report's room opens only in the process holding its lease.
const cluster: Cluster | null = config.cluster
  ? await joinCluster(config.cluster, {
      db: database.db,
      isOpen: (reportId) => rooms.isOpen(reportId),
      onLost: (reportId) => rooms.evict(reportId),
      onLeaseEnded: ({ reportId, holder, why }) => log.warn('lease-ended', { report: reportId, holder, why }),
      onError: logError,
    })
  : null;
const rooms: RoomRegistry = new RoomRegistry(store, {
  compactAfterUpdates: config.compactAfterUpdates,
  keepIdleMs: config.roomKeepIdleMs,
  ownership: cluster?.ownership,
  onError: logError,
});
rooms.hooks.observe({
  loaded: ({ reportId, ms, updatesReplayed }) => log.info('room-loaded', { report: reportId, ms: Math.round(ms * 10) / 10, updatesReplayed }),
  expelled: ({ reportId, userId, code, kind, reason }) => log.warn('socket-closed', { report: reportId, user: userId, code, kind, reason }),
  compacted: ({ reportId, seq, ms }) => log.info('compacted', { report: reportId, seq, ms: Math.round(ms * 10) / 10 }),
});
let stopping = false;
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
  metricsToken: config.metricsToken,
  cluster,
  ready: () => !stopping,
  onError: logError,
});

const sweep = new SessionSweep({ db: database.db, rooms, events, intervalMs: config.sessionSweepMs, now: Date.now, onError: logError });
await sweep.sweep();
sweep.start();

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  cluster?.listening(`http://${config.host}:${info.port}`);
  log.info(`报告编辑器已启动 · report editor listening on http://${config.host}:${info.port}`, { data: config.dataDir, database: database.location, cluster: cluster ? cluster.processId : 'none', demoCreated: seeded });
  if (demo) log.info(`demo logins (password "${DEMO_PASSWORD}"): ${demoUsers.map((u) => u.username).join(', ')}`);
  else if (!initialised) log.warn('尚未初始化 · not set up yet: npm run admin -- init --district <name> --username <u>');
});
injectWebSocket(server);

/** Longest a graceful stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 20_000;

async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal, deadlineMs: STOP_DEADLINE_MS });
  // Whatever hangs (a stuck printer, a database lock), the process is gone by the deadline: every
  // update was logged before anyone saw it, so nothing accepted is lost by exiting.
  setTimeout(() => {
    log.warn('stop deadline passed: exiting', { signal });
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  server.close();
  sweep.stop();
  await rooms.closeAll();
  await cluster?.stop();
  await close();
  await database.close();
  log.info('stopped', { signal });
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
