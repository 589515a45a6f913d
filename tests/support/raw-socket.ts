import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

export interface RawSocket {
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  sendUpdate(update: Uint8Array): void;
}

/** A bare socket that speaks whatever bytes a test gives it: the hostile or broken client. */
export function openRawSocket(url: string, cookie?: string): Promise<RawSocket> {
  const socket = new WebSocket(url, { headers: cookie ? { cookie } : {} });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        closed,
        sendUpdate(update) {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, 0);
          encoding.writeVarUint(encoder, 2);
          encoding.writeVarUint8Array(encoder, update);
          socket.send(encoding.toUint8Array(encoder));
        },
      }),
    );
    socket.once('unexpected-response', (_request, response) => reject(new UpgradeRefused(response.statusCode ?? 0)));
    socket.once('error', (error) => reject(error));
  });
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

export async function upgradeStatus(url: string, cookie?: string): Promise<number> {
  try {
    const raw = await openRawSocket(url, cookie);
    raw.socket.close();
    return 101;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}
