import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import type { WebSocket } from 'ws';
import { Hono } from 'hono';
import { CloseCode, limits, truncateCloseReason, type CloseCodeValue } from '../../blocks/contract.js';
import type { AppEnv } from '../api/app-env.js';
import { findVisibleReport } from '../api/report-routes.js';
import { requireSession } from '../auth/session-middleware.js';
import type { Db } from '../db/database.js';
import type { Peer } from './peer.js';
import type { Room } from './room.js';
import type { RoomRegistry } from './room-registry.js';

export interface CollabRouteDeps {
  db: Db;
  rooms: RoomRegistry;
  upgradeWebSocket: UpgradeWebSocket;
  now: () => number;
  /** Bytes a socket may have waiting to be sent before it is cut off to resync. */
  maxBufferedBytes: number;
}

const OPEN = 1;

/**
 * `/collab/:reportId`: the standard y-websocket wire. The session and the report are checked
 * before the upgrade, so a refused client gets a plain HTTP 401/404 and never a socket.
 */
export function createCollabRoute({ db, rooms, upgradeWebSocket, now, maxBufferedBytes }: CollabRouteDeps) {
  return new Hono<AppEnv>().get(
    '/:reportId',
    async (c, next) => {
      const session = requireSession(c);
      await findVisibleReport(db, session, c.req.param('reportId'));
      await next();
    },
    upgradeWebSocket((c) => {
      const session = requireSession(c);
      const reportId = c.req.param('reportId')!;
      const { user } = session;
      let peer: Peer | null = null;
      let room: Room | null = null;

      const close = (ws: WSContext, code: CloseCodeValue, reason: string) => {
        if (ws.readyState === OPEN) ws.close(code, truncateCloseReason(reason));
      };

      return {
        onOpen(_event, ws) {
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
            send(frame) {
              if (ws.readyState !== OPEN) return;
              const socket = ws.raw as WebSocket | undefined;
              if (socket && socket.bufferedAmount > maxBufferedBytes) {
                // A client this far behind (stalled, or on a very slow line) catches up sooner by
                // reconnecting and resyncing than by reading the backlog, and the server keeps no
                // unbounded queue for it. Cut off at once: a close frame would wait behind the backlog.
                socket.terminate();
                return;
              }
              ws.send(frame as Uint8Array<ArrayBuffer>);
            },
            close(code, reason) {
              close(ws, code, reason);
            },
          };
          const opened = rooms.connect(peer, reportId);
          room = opened;
          opened.ready.catch(() => close(ws, CloseCode.ServerError, `报告无法加载（report ${reportId} could not be loaded）`));
        },
        onMessage(event, ws) {
          if (!peer || !room) return;
          if (now() >= session.expiresAt) {
            close(ws, CloseCode.SessionExpired, '登录已过期，请重新登录（session expired）');
            return;
          }
          if (typeof event.data === 'string') {
            close(ws, CloseCode.MalformedMessage, 'malformed message: text frames are not part of the protocol');
            return;
          }
          const frame = new Uint8Array(event.data as ArrayBuffer);
          if (frame.byteLength > limits.maxMessageBytes) {
            close(ws, CloseCode.MessageTooBig, `message of ${frame.byteLength} bytes exceeds the limit of ${limits.maxMessageBytes} bytes`);
            return;
          }
          room.receive(peer, frame);
        },
        onClose() {
          if (peer && room) rooms.disconnect(peer, room);
          peer = null;
          room = null;
        },
      };
    }),
  );
}
