import type { Socket } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import type { WebSocket } from 'ws';
import { CloseCode, limits, truncateCloseReason, type CloseCodeValue } from '../../blocks/contract.js';
import type { AppEnv } from '../api/app-env.js';
import { ReportError } from '../../blocks/errors.js';
import { storageUnavailable } from '../api/errors.js';
import { findVisibleReport } from '../api/report-routes.js';
import { atSessionDeadline, sessionEndMessage } from '../auth/session-end.js';
import { requireSession } from '../auth/session-middleware.js';
import { pipeToHolder, routeOf, type Forwarding } from '../cluster/forwarding.js';
import type { Db } from '../db/database.js';
import { CoalescedWrites } from './coalesced-writes.js';
import type { Peer } from './peer.js';
import type { Room } from './room.js';
import type { RoomRegistry } from './room-registry.js';
import { SendBudget } from './send-budget.js';
import { MessageFrames } from './websocket-frames.js';
import { SocketCounts, type SocketCountLimit } from './socket-counts.js';
import { SocketQuotas } from './socket-quotas.js';

export interface CollabRouteDeps {
  db: Db;
  onError(error: unknown, context: string): void;
  rooms: RoomRegistry;
  /** With several server processes: a socket of a report held elsewhere is piped there. */
  cluster: Forwarding | null;
  upgradeWebSocket: UpgradeWebSocket;
  now: () => number;
  settings: CollabSettings;
}

/** The operator's settings of the collaboration sockets (defaults in `socketQuotas`). */
export interface CollabSettings {
  /** Bytes a socket may have waiting to be sent before it is cut off to resync. */
  maxBufferedBytes: number;
  /** Bytes all sockets together may have waiting; beyond it the largest backlogs are cut off. */
  maxTotalBufferedBytes: number;
  /** Open sockets of one login, and of one user across logins. */
  socketsPerSession: number;
  socketsPerUser: number;
}

const OPEN = 1;

function tooManyConnections(limit: SocketCountLimit, settings: CollabSettings): ReportError {
  return limit === 'socketsPerSession'
    ? new ReportError('too-many-connections', { limit: settings.socketsPerSession, per: 'login' })
    : new ReportError('too-many-connections', { limit: settings.socketsPerUser, per: 'user' });
}

/** The TCP connection a WebSocket upgrade arrived on (Node's server); null for any other request. */
function upgradingConnection(c: Context<AppEnv>): Socket | null {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return null;
  return (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket ?? null;
}

/**
 * `/collab/:reportId`: the standard y-websocket wire. The session, the report and the socket
 * counts are checked before the upgrade, so a refused client gets a plain HTTP 401/404/429 and
 * never a socket. Each frame is held to the socket's quotas before it reaches the room's queue.
 */
export function createCollabRoute({ db, rooms, cluster, upgradeWebSocket, now, settings, onError }: CollabRouteDeps) {
  const sockets = new SocketCounts(settings);
  const sendBudget = new SendBudget(settings.maxTotalBufferedBytes);
  const frames = new MessageFrames();
  const writes = new CoalescedWrites();
  return new Hono<AppEnv>().get(
    '/:reportId',
    async (c, next) => {
      const session = requireSession(c);
      await findVisibleReport(db, session, c.req.param('reportId'));
      const place = sockets.admit(session.id, session.user.id);
      if ('exceeded' in place) throw tooManyConnections(place.exceeded, settings);
      // The place is held as long as the connection lasts, however it ends — an upgrade that never
      // completes reaches neither onOpen nor onClose, but its connection closes all the same.
      const connection = upgradingConnection(c);
      if (!connection || connection.destroyed) place.release();
      else connection.once('close', place.release);
      c.set('holder', cluster ? await routeOf(c, cluster, c.req.param('reportId')) : null);
      await next();
    },
    upgradeWebSocket((c) => {
      const session = requireSession(c);
      const reportId = c.req.param('reportId')!;
      // The TCP connection the upgrade arrived on, under the WebSocket: frames are written to it
      // directly (framed once per broadcast here, or as they come back from the report's holder).
      const connection = upgradingConnection(c)!;
      const holder = c.get('holder');
      if (cluster && holder) {
        return pipeToHolder({
          url: holder,
          reportId,
          cookie: c.req.header('cookie') ?? '',
          forwarding: cluster,
          maxBufferedBytes: settings.maxBufferedBytes,
          connection,
          writes,
          onError,
        });
      }
      const { user } = session;
      let peer: Peer | null = null;
      let room: Room | null = null;
      let socket: WebSocket | null = null;
      let quotas: SocketQuotas | null = null;
      let cancelDeadline: (() => void) | null = null;

      const close = (ws: WSContext, code: CloseCodeValue, reason: string) => {
        if (ws.readyState === OPEN) ws.close(code, truncateCloseReason(reason));
      };

      /** Each frame, held to the socket's quotas before it reaches the room's queue. */
      const receive = (ws: WSContext, data: Buffer, isBinary: boolean) => {
        // Once the server has closed the socket, nothing it still sends reaches the room.
        if (!peer || !room || !quotas || ws.readyState !== OPEN) return;
        if (now() >= session.expiresAt) {
          close(ws, CloseCode.SessionExpired, sessionEndMessage.expired);
          return;
        }
        if (!isBinary) {
          close(ws, CloseCode.MalformedMessage, 'malformed message: text frames are not part of the protocol');
          return;
        }
        if (data.byteLength > limits.maxMessageBytes) {
          close(ws, CloseCode.MessageTooBig, `message of ${data.byteLength} bytes exceeds the limit of ${limits.maxMessageBytes} bytes`);
          return;
        }
        // A copy: the room keeps parts of an update (waiting ones, binary content), and `ws` may hand over a view of a larger read.
        const frame = new Uint8Array(data);
        const exceeded = quotas.admit(frame, performance.now());
        if (exceeded) {
          close(ws, CloseCode.RateLimited, exceeded.reason);
          return;
        }
        room.receive(peer, frame);
      };

      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocket;
          socket = raw;
          sendBudget.track(raw);
          quotas = new SocketQuotas(performance.now());
          // A socket that only listens never sends the frame that would find its session over.
          cancelDeadline = atSessionDeadline(session.expiresAt, now, () => close(ws, CloseCode.SessionExpired, sessionEndMessage.expired));
          peer = {
            userId: user.id,
            sessionId: session.id,
            editor: { role: user.role, departmentId: user.departmentId },
            identity: {
              username: user.username,
              name: user.name,
              department: user.departmentId,
              departmentName: user.departmentName,
              color: user.departmentColor,
            },
            // This runs once per peer for every keystroke. While the socket is open, `ws` writes
            // nothing of its own but whole frames in one go (no compression is negotiated), so a
            // frame written here never lands inside one of its frames; once it is closing, nothing is.
            send(message) {
              if (raw.readyState !== OPEN) return;
              if (raw.bufferedAmount > settings.maxBufferedBytes) {
                // A client this far behind (stalled, or on a very slow line) catches up sooner by
                // reconnecting and resyncing than by reading the backlog, and the server keeps no
                // unbounded queue for it. Cut off at once: a close frame would wait behind the backlog.
                raw.terminate();
                return;
              }
              const frame = frames.of(message);
              if (!sendBudget.admit(raw, frame.byteLength)) return;
              writes.write(connection, frame);
            },
            close(code, reason) {
              close(ws, code, reason);
            },
          };
          const opened = rooms.connect(peer, reportId);
          room = opened;
          opened.ready.catch((error: unknown) => close(ws, CloseCode.ServerError, storageUnavailable(error)?.message ?? `报告无法加载（report ${reportId} could not be loaded）`));
          // Straight from `ws`, as it parsed the frame: no event object per message on the way.
          raw.on('message', (data: Buffer, isBinary: boolean) => receive(ws, data, isBinary));
        },
        onClose() {
          cancelDeadline?.();
          if (socket) sendBudget.forget(socket);
          if (peer && room) rooms.disconnect(peer, room);
          peer = null;
          room = null;
        },
      };
    }),
  );
}
