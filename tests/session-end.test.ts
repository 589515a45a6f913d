import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../blocks/contract.js';
import { firstReportId, login } from './support/clients.js';
import { openRawSocket } from './support/raw-socket.js';
import { startServer, type ServerProcess } from './support/server-process.js';

let server: ServerProcess;
let reportId: string;

beforeAll(async () => {
  // Sessions of three seconds, so that they end while the tests watch.
  server = await startServer({ env: { SESSION_TTL_SECONDS: '3' } });
  reportId = await firstReportId(server.url, await login(server.url, 'lead'));
});

afterAll(async () => {
  await server?.kill('SIGTERM');
});

interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * A report's event stream as EventSource reads it: `next()` resolves with each event in turn,
 * and with null once the server has ended the stream.
 */
async function openEventStream(cookie: string) {
  const response = await fetch(`${server.url}/api/reports/${reportId}/events`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return {
    async next(): Promise<ServerSentEvent | null> {
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const fields = block.split('\n').filter((line) => !line.startsWith(':'));
          if (fields.length === 0) continue;
          const field = (name: string) => fields.filter((line) => line.startsWith(`${name}: `)).map((line) => line.slice(name.length + 2));
          return { event: field('event')[0] ?? 'message', data: field('data').join('\n') };
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffered += value;
      }
    },
  };
}

describe('what lives on a session ends with it, even if its client never sends a thing', () => {
  it('a socket that only listens is closed with 4401 when its session expires', async () => {
    const listener = await openRawSocket(`${server.wsUrl}/${reportId}`, await login(server.url, 'finance'));
    const closed = await listener.closed;
    expect(closed.code).toBe(CloseCode.SessionExpired);
    expect(closed.reason).toContain('session expired');
  });

  it('the event stream ends on logout, saying so', async () => {
    const cookie = await login(server.url, 'lead');
    const stream = await openEventStream(cookie);
    expect((await stream.next())?.event).toBe('ready');
    await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { cookie } });
    const last = await stream.next();
    expect(last?.event).toBe('session-ended');
    expect(JSON.parse(last!.data)).toMatchObject({ reason: 'logged-out' });
    expect(await stream.next()).toBeNull();
  });

  it('the event stream ends when its session expires, saying so', async () => {
    const stream = await openEventStream(await login(server.url, 'food'));
    expect((await stream.next())?.event).toBe('ready');
    const last = await stream.next();
    expect(last?.event).toBe('session-ended');
    expect(JSON.parse(last!.data)).toMatchObject({ reason: 'expired', message: expect.stringContaining('session expired') });
    expect(await stream.next()).toBeNull();
  });
});
