import type { Socket } from 'node:net';
import type { Context, Next } from 'hono';
import type { WSContext, WSEvents } from 'hono/ws';
import { WebSocket, type RawData } from 'ws';
import { CloseCode, limits, truncateCloseReason } from '../../blocks/contract.js';
import { ReportError } from '../../blocks/errors.js';
import type { AppEnv } from '../api/app-env.js';
import type { CoalescedWrites } from '../collab/coalesced-writes.js';
import { binaryFrame } from '../collab/websocket-frames.js';
import { MOVING_RETRY_SECONDS, type ReportRoute } from './report-ownership.js';

/**
 * A request or socket another process sent here, naming the sender: it is never sent on again (a
 * lease that moved while it travelled answers 503 `report-moving`, and the client tries again).
 */
export const FORWARDED_HEADER = 'x-report-forwarded-by';

/** What the forwarding needs of the cluster: where a report is decided, and who this process is. */
export interface Forwarding {
  processId: string;
  route(reportId: string): Promise<ReportRoute>;
  /** The holder at `url` refused the connection: it is gone, and the report is anyone's now. */
  holderUnreachable(reportId: string, url: string): Promise<void>;
}

/** Whether a failed connection was refused outright: nothing listens there any more. */
const refused = (error: unknown) => (error as { code?: string; cause?: { code?: string } }).code === 'ECONNREFUSED' || (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';

/** Headers that belong to one hop, not to the request: never passed on. */
const HOP_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'te', 'trailer', 'proxy-connection'];

/**
 * Where a request about `reportId` is to be handled: here (null), or at the URL of the process
 * that holds the report. A request that was already forwarded is handled here or refused.
 */
export async function routeOf(c: Context<AppEnv>, forwarding: Forwarding, reportId: string): Promise<string | null> {
  const route = await forwarding.route(reportId);
  if (route.here) return null;
  if (c.req.header(FORWARDED_HEADER)) throw new ReportError('report-moving', { seconds: MOVING_RETRY_SECONDS });
  return route.url;
}

/**
 * `/api/reports/:reportId/...`: a change (or a read of the live document) of a report another
 * process holds is made there, so its one queue orders it among the report's edits; the answer
 * comes back as it is. This process has checked the origin and the body size already; the
 * receiver checks the session again. Event streams stay here (events reach every process).
 */
export function forwardReportRequests(forwarding: Forwarding) {
  return async (c: Context<AppEnv>, next: Next) => {
    const reportId = c.req.param('reportId');
    if (!reportId || !c.get('session') || (c.req.method === 'GET' && c.req.path.endsWith('/events'))) return next();
    const url = await routeOf(c, forwarding, reportId);
    if (url === null) return next();
    return forwardRequest(c, url, reportId, forwarding);
  };
}

async function forwardRequest(c: Context<AppEnv>, url: string, reportId: string, { processId, holderUnreachable }: Forwarding): Promise<Response> {
  const target = new URL(c.req.url);
  const owner = new URL(url);
  target.protocol = owner.protocol;
  target.host = owner.host;
  const headers = new Headers(c.req.raw.headers);
  for (const name of HOP_HEADERS) headers.delete(name);
  headers.set(FORWARDED_HEADER, processId);
  // The origin was checked against this process's host; the receiver checks it against its own.
  if (headers.has('origin')) headers.set('origin', owner.origin);
  const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer();
  let answer: Response;
  try {
    answer = await fetch(target, { method: c.req.method, headers, body, redirect: 'manual' });
  } catch (error) {
    // The holder does not answer: dead (its lease ends now), or slow (its lease runs out soon).
    if (refused(error)) await holderUnreachable(reportId, url);
    throw new ReportError('report-moving', { seconds: MOVING_RETRY_SECONDS });
  }
  const passed = new Headers(answer.headers);
  for (const name of HOP_HEADERS) passed.delete(name);
  passed.delete('content-encoding');
  return new Response(answer.body, { status: answer.status, headers: passed });
}

/** Bytes a client may send while the socket to the holder is still opening. */
const MAX_PENDING_BYTES = 4 * limits.maxMessageBytes;

/** Close codes a server may send on; the others (1005, 1006, 1015) only describe what happened. */
const sendable = (code: number) => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

const MOVED = '报告已转由其他服务器进程处理，正在重新连接（report moved to another server process）';

/**
 * A collaboration socket of a report another process holds: every frame goes to that process
 * over a socket of this process's own, with the client's session, and every frame and close
 * comes back unchanged. Everything the product promises is kept there; this end only carries.
 * When the holder goes away the client is told to reconnect (1001), and finds the new holder.
 * What comes back is written to the client's connection as the holder writes to its own peers
 * (`writes`): every frame of a turn in one system call, not one per keystroke.
 */
export function pipeToHolder(options: {
  url: string;
  reportId: string;
  cookie: string;
  forwarding: Forwarding;
  maxBufferedBytes: number;
  /** The TCP connection under the client's WebSocket, and the writes that hold its frames to the turn's end. */
  connection: Socket;
  writes: CoalescedWrites;
  onError(error: unknown, context: string): void;
}): WSEvents {
  let upstream: WebSocket | null = null;
  let pending: RawData[] | null = [];
  let pendingBytes = 0;
  const close = (ws: WSContext, code: number, reason: string) => {
    if (ws.readyState === WebSocket.OPEN) ws.close(sendable(code) ? code : CloseCode.GoingAway, truncateCloseReason(reason || MOVED));
  };
  return {
    onOpen(_event, ws) {
      const client = ws.raw as WebSocket;
      const owner = new URL(options.url);
      const socket = new WebSocket(`${owner.protocol === 'https:' ? 'wss' : 'ws'}://${owner.host}/collab/${encodeURIComponent(options.reportId)}`, {
        headers: { cookie: options.cookie, origin: owner.origin, [FORWARDED_HEADER]: options.forwarding.processId },
        maxPayload: limits.maxMessageBytes * 2,
      });
      upstream = socket;
      socket.on('open', () => {
        for (const frame of pending ?? []) socket.send(frame);
        pending = null;
      });
      socket.on('message', (data: RawData, isBinary: boolean) => {
        if (client.readyState !== WebSocket.OPEN) return;
        if (client.bufferedAmount > options.maxBufferedBytes) {
          // As on the holder: a client this far behind reconnects and resyncs.
          client.terminate();
          socket.terminate();
          return;
        }
        // The holder sends only binary frames; `ws` writes nothing of its own inside a frame (see collab-route.ts).
        if (isBinary) options.writes.write(options.connection, binaryFrame(data as Buffer));
        else client.send(data, { binary: false });
      });
      socket.on('close', (code: number, reason: Buffer) => close(ws, code, reason.toString()));
      socket.on('unexpected-response', (_request, response) => {
        close(ws, CloseCode.GoingAway, `${MOVED}: HTTP ${response.statusCode}`);
        socket.terminate();
      });
      // A failed connection also ends in 'close', which tells the client; a refused one means the
      // holder is dead, and the client's reconnect should find the report free.
      socket.on('error', (error) => {
        if (!refused(error)) return;
        options.forwarding.holderUnreachable(options.reportId, options.url).catch((failure: unknown) => options.onError(failure, `report ${options.reportId}: ending the lease of ${options.url}`));
      });
    },
    onMessage(event, ws) {
      const data = event.data as unknown as RawData;
      if (pending === null) {
        if (upstream?.readyState === WebSocket.OPEN) upstream.send(data);
        return;
      }
      pendingBytes += typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer | ArrayBuffer).byteLength;
      if (pendingBytes > MAX_PENDING_BYTES) {
        close(ws, CloseCode.GoingAway, MOVED);
        upstream?.terminate();
        return;
      }
      pending.push(data);
    },
    onClose() {
      if (!upstream) return;
      if (upstream.readyState === WebSocket.OPEN) upstream.close(1000);
      else upstream.terminate();
    },
  };
}
