import { afterAll, beforeAll } from 'vitest';
import { connectClient, firstReportId, login, type TestClient } from './clients.js';
import { startServer, type ServerProcess } from './server-process.js';

/** What a test file shares: one real server, the demo report, cached logins and its stock clients. */
export interface ReportServer {
  readonly server: ServerProcess;
  readonly reportId: string;
  /** The lead office, connected for the whole file: it keeps the room open and sees every broadcast. */
  readonly observer: TestClient;
  cookieOf(username: string): Promise<string>;
  /** A stock y-websocket client of `username`, synced, destroyed when the file ends. */
  syncedClient(username: string): Promise<TestClient>;
}

/**
 * Starts the server before the file's tests and stops it, and every client, after them. `env` is
 * read when the server starts, so it may name things started by an earlier `beforeAll`.
 */
export function useReportServer(options: { env?: () => Record<string, string> } = {}): ReportServer {
  const cookies = new Map<string, string>();
  const clients: TestClient[] = [];
  let server: ServerProcess | undefined;
  let reportId: string | undefined;
  let observer: TestClient | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use it inside a test`);
    return value;
  };
  const suite: ReportServer = {
    get server() {
      return ready(server, 'the server');
    },
    get reportId() {
      return ready(reportId, 'the report');
    },
    get observer() {
      return ready(observer, 'the observer');
    },
    async cookieOf(username) {
      let cookie = cookies.get(username);
      if (!cookie) {
        cookie = await login(suite.server.url, username);
        cookies.set(username, cookie);
      }
      return cookie;
    },
    async syncedClient(username) {
      const client = connectClient(suite.server.wsUrl, suite.reportId, await suite.cookieOf(username));
      clients.push(client);
      await client.synced;
      return client;
    },
  };
  beforeAll(async () => {
    server = await startServer({ env: options.env?.() });
    reportId = await firstReportId(server.url, await suite.cookieOf('lead'));
    observer = await suite.syncedClient('lead');
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.kill('SIGTERM');
  });
  return suite;
}
