import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { HTTPException } from 'hono/http-exception';
import { limits } from '../blocks/contract.js';
import type { AppEnv } from './api/app-env.js';
import { createFormatRoutes, createReportAnnexRoutes } from './api/annex-routes.js';
import { createPublicationRoutes } from './api/publication-routes.js';
import { createAdminRoutes } from './api/admin-routes.js';
import { createAuthRoutes } from './api/auth-routes.js';
import { ReportError } from '../blocks/errors.js';
import { ReportDigests } from './read/report-digests.js';
import { Metrics } from './ops/metrics.js';
import { createOpsRoutes } from './ops/ops-routes.js';
import { countPendingDeliveries } from './db/publications.js';
import { LoginThrottle, type LoginThrottleRules } from './auth/login-throttle.js';
import { createImportRoutes } from './api/import-routes.js';
import { ImportService } from './import/import-service.js';
import { bodySizeLimit, defaultWebSecurity, sameOriginOnly, securityHeaders, type WebSecurity } from './api/request-guard.js';
import { errorResponse, storageUnavailable } from './api/errors.js';
import { archivedReportsReadOnly, createReportRoutes } from './api/report-routes.js';
import { createSectionRoutes } from './api/section-routes.js';
import { AnnexService } from './annex/annex-service.js';
import { loadSession } from './auth/session-middleware.js';
import { closeSessionHere } from './auth/session-end.js';
import type { Cluster } from './cluster/cluster.js';
import { forwardReportRequests } from './cluster/forwarding.js';
import type { SessionStore } from './auth/sessions.js';
import { createCollabRoute, type CollabSettings } from './collab/collab-route.js';
import type { ReportStore } from './collab/report-store.js';
import type { RoomRegistry } from './collab/room-registry.js';
import type { Db } from './db/database.js';
import { findPublication } from './db/publications.js';
import { PdfPrinter } from './publish/pdf-printer.js';
import { createPortalRoutes } from './publish/portal-routes.js';
import { Publisher } from './publish/publisher.js';
import { buildPublicationPayload } from './publish/webhook-payload.js';
import { WebhookOutbox, type WebhookConfig } from './publish/webhook-outbox.js';
import { createStaticClient } from './static-client.js';
import { ReportEvents } from './workflow/report-events.js';
import { SectionWorkflow } from './workflow/section-workflow.js';
import { SuggestionDecisions } from './workflow/suggestions.js';
import { Notifier } from './notify/notifier.js';
import { tellOfSuggestions } from './notify/suggestion-notices.js';
import { Reminders } from './notify/reminders.js';
import { DeadlineWatch } from './notify/deadline-watch.js';
import { createNotificationRoutes, createReminderRoutes } from './api/notification-routes.js';

export interface AppDeps {
  db: Db;
  sessions: SessionStore;
  rooms: RoomRegistry;
  store: ReportStore;
  cookieSecure: boolean;
  clientDir: string;
  collab: CollabSettings;
  /** The Chromium that prints publications to PDF. */
  chromiumPath: string;
  webhook: WebhookConfig | null;
  /** Proxy trust and extra allowed origins; by default neither. */
  web?: WebSecurity;
  /** Login throttling; the defaults by default. */
  throttle?: LoginThrottleRules;
  /** Opens `/metrics` to other machines with this bearer token; loopback only without it. */
  metricsToken?: string | null;
  /** This process as one of several (REDIS_URL): reports held elsewhere are forwarded there; null: alone. */
  cluster?: Cluster | null;
  /** False once the server is shutting down (`/readyz`); always ready by default. */
  ready?: () => boolean;
  onError(error: unknown, context: string): void;
}

/**
 * Builds the whole HTTP + WebSocket surface; `injectWebSocket` attaches it to a Node server, and
 * `close` stops what runs beside it (the PDF printer's browser, the webhook worker).
 */
export function createApp(deps: AppDeps) {
  // One router, fixed: a route Hono's RegExpRouter cannot hold fails here, at start, rather than
  // silently moving every route to the trie router, which matches some of them differently.
  const app = new Hono<AppEnv>({ router: new RegExpRouter() });
  const { upgradeWebSocket, injectWebSocket, wss } = createNodeWebSocket({ app });
  // The collab route refuses frames over the limit with a reason; far larger ones are cut off
  // by the socket layer itself before they are buffered whole.
  wss.options.maxPayload = limits.maxMessageBytes * 2;

  const web = deps.web ?? defaultWebSecurity;
  const metrics = new Metrics({
    openRooms: () => deps.rooms.openRooms,
    openSockets: () => deps.rooms.openSockets,
    webhookBacklog: () => countPendingDeliveries(deps.db),
  });
  deps.rooms.hooks.observe(metrics.roomObserver);
  app.use('*', securityHeaders());
  app.route('/', createOpsRoutes({ db: deps.db, metrics, metricsToken: deps.metricsToken ?? null, ready: deps.ready ?? (() => true), trustProxy: web.trustProxy }));
  app.use('/api/*', sameOriginOnly(web), bodySizeLimit());
  app.use('/collab/*', sameOriginOnly(web));
  app.use('/api/*', loadSession(deps.sessions));
  app.use('/collab/*', loadSession(deps.sessions));
  const cluster = deps.cluster ?? null;
  if (cluster) app.use('/api/reports/:reportId/*', forwardReportRequests(cluster));
  const events = new ReportEvents(cluster?.relay ?? null);
  events.onSessionEndedElsewhere((sessionId, why) => closeSessionHere({ rooms: deps.rooms, events }, sessionId, why));
  app.route('/api', createAuthRoutes({ ...deps, events, throttle: new LoginThrottle(deps.throttle), trustProxy: web.trustProxy, onLogin: (result) => metrics.logins.inc({ result }) }));
  const now = deps.sessions.clock;
  const notifier = new Notifier({ db: deps.db, events, now });
  const workflow = new SectionWorkflow({ ...deps, events, notifier, now });
  deps.rooms.hooks.onApprovedTextEdited((edit) => workflow.revokeApprovals(edit));
  deps.rooms.hooks.onSuggestionsMade(tellOfSuggestions({ db: deps.db, notifier, now }));
  const digests = new ReportDigests(deps);
  const annex = new AnnexService({ ...deps, digests, events, now });
  app.route('/api/admin', createAdminRoutes({ ...deps, events, now }));
  app.route('/api', createFormatRoutes());
  const imports = new ImportService({ ...deps, digests });
  app.route('/api/imports', createImportRoutes({ imports }));
  app.use('/api/reports/:reportId/*', archivedReportsReadOnly(deps.db));
  app.route('/api/reports', createReportRoutes(deps));
  app.route('/api/reports', createReportAnnexRoutes({ ...deps, annex }));
  const printer = new PdfPrinter(deps.chromiumPath);
  const outbox = new WebhookOutbox({
    db: deps.db,
    config: deps.webhook,
    payload: buildPublicationPayload(deps.db),
    now,
    onError: deps.onError,
    onStatus: (publicationId) => void findPublication(deps.db, publicationId).then((publication) => publication && events.publish(publication.report_id, { type: 'publications' })),
  });
  outbox.start();
  const publisher = new Publisher({ ...deps, annex, digests, printer, outbox, events, notifier, now, onPublished: () => metrics.publications.inc() });
  app.route('/api/reports', createPublicationRoutes({ ...deps, publisher, outbox }));
  app.route('/api/reports', createSectionRoutes({ ...deps, digests, events, workflow, imports, notifier, suggestions: new SuggestionDecisions({ ...deps, events, now }), now }));
  app.route('/api/reports', createReminderRoutes({ db: deps.db, reminders: new Reminders({ db: deps.db, notifier, digests, now }) }));
  app.route('/api/notifications', createNotificationRoutes({ db: deps.db, events, now }));
  const deadlines = new DeadlineWatch({ db: deps.db, notifier, digests, now, onError: deps.onError });
  deadlines.start();
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `no such API: ${c.req.method} ${c.req.path}` } }, 404));
  app.route('/collab', createCollabRoute({ ...deps, cluster, upgradeWebSocket, now, settings: deps.collab }));
  app.route('/', createPortalRoutes(deps));
  app.route('/', createStaticClient(deps.clientDir));

  app.onError((error, c) => {
    if (error instanceof ReportError) {
      const { status, body } = errorResponse(error);
      const { seconds } = error.params as { seconds?: number };
      if (seconds !== undefined) c.header('Retry-After', String(seconds));
      return c.json(body, status);
    }
    if (error instanceof HTTPException) return c.json({ error: { code: 'http_error', message: error.message } }, error.status);
    deps.onError(error, `${c.req.method} ${c.req.path}`);
    // Storage trouble is the operator's to see as well, but the caller is told what it is.
    const unavailable = storageUnavailable(error);
    if (unavailable) {
      const { status, body } = errorResponse(unavailable);
      return c.json(body, status);
    }
    return c.json({ error: { code: 'internal', message: '服务器内部错误（internal error）' } }, 500);
  });

  const close = async () => {
    await deadlines.stop();
    await outbox.stop();
    await printer.close();
    await digests.close();
  };
  return { app, injectWebSocket, close, events, deadlines };
}
