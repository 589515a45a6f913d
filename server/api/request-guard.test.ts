import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../app.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { passwordHashesComputed } from '../auth/password.js';
import { ReportStore } from '../collab/report-store.js';
import { RoomRegistry } from '../collab/room-registry.js';
import { createDemoApp, openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';

// Tried as a hostile tester would, in-process on the app server/main.ts builds: another site's
// page cannot act with a user's session, bodies are bounded, guessing passwords is slowed to
// nothing, and every answer tells the browser to confine it.

let demo: DemoDatabase;
let rooms: RoomRegistry;
let app: ReturnType<typeof createApp>['app'];
let leadCookie: string;
let reportId: string;
const HOST = 'report.example.gov.cn';

beforeAll(async () => {
  demo = await openDemoDatabase('request-guard-test');
  const store = new ReportStore(demo.database);
  const onError = (error: unknown) => {
    throw error;
  };
  rooms = new RoomRegistry(store, { compactAfterUpdates: 500, onError });
  ({ app } = createDemoApp(demo, { store, rooms, onError, metricsToken: 'operator-token' }));
  leadCookie = await login('lead', 'demo');
  reportId = demo.reportIds[0]!;
});

afterAll(async () => {
  await rooms?.closeAll();
  await demo?.dispose();
});

/** A request as a browser on `origin` (or a script, without one) sends it to the server at HOST. */
function send(path: string, init: { method?: string; origin?: string; contentType?: string; body?: string | Uint8Array<ArrayBuffer>; cookie?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { host: HOST, ...init.headers };
  if (init.origin) headers.origin = init.origin;
  if (init.contentType) headers['content-type'] = init.contentType;
  if (init.cookie) headers.cookie = init.cookie;
  const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body;
  return app.request(`http://${HOST}${path}`, { method: init.method ?? 'GET', headers, body });
}

async function login(username: string, password: string): Promise<string> {
  const response = await send('/api/login', { method: 'POST', contentType: 'application/json', body: JSON.stringify({ username, password }) });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

const lockState = async () => {
  const sections = (await (await send(`/api/reports/${reportId}/sections`, { cookie: leadCookie })).json()) as Array<{ id: string; locked: boolean }>;
  return sections.find((section) => section.id === 'overview-food')!.locked;
};

describe('a page of another site cannot act with a user’s session', () => {
  it.each([
    ['another site', 'http://evil.example'],
    ['another port of the same host', `http://${HOST}:9999`],
    ['the plain-http twin of an https site', `https://${HOST}.evil.example`],
  ])('a lock sent from %s is refused with 403 foreign-origin and nothing changes', async (_what, origin) => {
    const response = await send(`/api/reports/${reportId}/sections/overview-food/lock`, { method: 'POST', origin, cookie: leadCookie });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'foreign-origin', params: { origin } } });
    expect(await lockState()).toBe(false);
  });

  it('a form post (which another site can send without asking) is refused with 415 even without an Origin', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const response = await send(`/api/reports/${reportId}/sections/overview-food/lock`, { method: 'POST', contentType, cookie: leadCookie, body: 'a=1' });
      expect(response.status, contentType).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported-content-type');
    }
    expect(await lockState()).toBe(false);
  });

  it('the product’s own page, and a script that names no page, are served', async () => {
    const own = await send(`/api/reports/${reportId}/sections/overview-food/lock`, { method: 'POST', origin: `http://${HOST}`, cookie: leadCookie });
    expect(own.status).toBe(200);
    expect(await lockState()).toBe(true);
    const script = await send(`/api/reports/${reportId}/sections/overview-food/unlock`, { method: 'POST', cookie: leadCookie });
    expect(script.status).toBe(200);
    expect(await lockState()).toBe(false);
  });

  it('a collaboration socket opened from another site is refused before the upgrade', async () => {
    const response = await send(`/collab/${reportId}`, {
      origin: 'http://evil.example',
      cookie: leadCookie,
      headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('foreign-origin');
  });
});

describe('bodies are bounded and malformed ones are a 400', () => {
  it('a 5 MB body to the open validation route is refused with 413 while it arrives', async () => {
    const response = await send('/api/validate', { method: 'POST', contentType: 'application/json', body: new Uint8Array(5 * 1024 * 1024).fill(0x20) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('body-too-large');
  });

  it('JSON nested a hundred thousand deep is a 400, never a 500', async () => {
    const body = `{"format":"gov-disclosure-2021","tables":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const response = await send('/api/validate', { method: 'POST', contentType: 'application/json', body });
    expect(response.status).toBe(400);
  });
});

describe('every answer tells the browser to confine it', () => {
  it.each([
    ['the portal', '/portal/', "default-src 'none'"],
    ['the API', '/api/me', "script-src 'self'"],
    ['the app', '/', "script-src 'self'"],
  ])('%s: a CSP without inline scripts, no framing, no sniffing', async (_what, path, scripts) => {
    const response = await send(path, { cookie: leadCookie });
    expect(response.headers.get('content-security-policy')).toContain(scripts);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('answers of the API are never stored by a browser or a proxy', async () => {
    expect((await send('/api/me', { cookie: leadCookie })).headers.get('cache-control')).toBe('no-store');
  });
});

describe('guessing passwords', () => {
  it('the 6th wrong password for an account within a minute is refused with 429 and a wait, and costs no hash — the right one too', async () => {
    const attempt = (password: string) => send('/api/login', { method: 'POST', contentType: 'application/json', body: JSON.stringify({ username: 'finance', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt(`guess-${i}`)).status).toBe(401);
    const hashesBefore = passwordHashesComputed();
    for (const password of ['guess-5', 'demo']) {
      const refused = await attempt(password);
      expect(refused.status).toBe(429);
      const body = (await refused.json()) as { error: { code: string; params: { seconds: number } } };
      expect(body.error.code).toBe('too-many-attempts');
      expect(body.error.params.seconds).toBeGreaterThan(0);
      expect(refused.headers.get('retry-after')).toBe(String(body.error.params.seconds));
    }
    expect(passwordHashesComputed()).toBe(hashesBefore);
  });

  it('an unknown user and a wrong password get the same answer, both after hashing', async () => {
    const hashesBefore = passwordHashesComputed();
    const unknown = await send('/api/login', { method: 'POST', contentType: 'application/json', body: JSON.stringify({ username: 'nobody-here', password: 'x' }) });
    const wrong = await send('/api/login', { method: 'POST', contentType: 'application/json', body: JSON.stringify({ username: 'env', password: 'x' }) });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    expect(passwordHashesComputed()).toBe(hashesBefore + 2);
  });
});

describe('the login throttle', () => {
  it('lets an account try again once its oldest failure leaves the window; a correct password clears it', () => {
    let now = 0;
    const throttle = new LoginThrottle({ perAccount: { failures: 3, windowMs: 60_000 }, perAddress: { failures: 100, windowMs: 60_000 } }, () => now);
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(throttle.waitSeconds('food', '10.0.0.1')).toBe(0);
      throttle.failed('food', '10.0.0.1');
    }
    now = 30_000;
    expect(throttle.waitSeconds('food', '10.0.0.2')).toBe(30);
    expect(throttle.waitSeconds('env', '10.0.0.1')).toBe(0);
    now = 60_001;
    expect(throttle.waitSeconds('food', '10.0.0.1')).toBe(0);
    throttle.failed('food', '10.0.0.1');
    expect(throttle.waitSeconds('food', '10.0.0.1')).toBe(10);
    throttle.succeeded('food');
    expect(throttle.waitSeconds('food', '10.0.0.1')).toBe(0);
  });

  it('limits one address guessing many accounts', () => {
    const throttle = new LoginThrottle({ perAccount: { failures: 5, windowMs: 60_000 }, perAddress: { failures: 3, windowMs: 60_000 } }, () => 0);
    for (const username of ['a', 'b', 'c']) throttle.failed(username, '10.0.0.9');
    expect(throttle.waitSeconds('d', '10.0.0.9')).toBe(60);
    expect(throttle.waitSeconds('d', '10.0.0.10')).toBe(0);
  });
});

describe('metrics', () => {
  it('are not answered to another machine without the operator’s token', async () => {
    // In-process requests come from no loopback address: as another machine would.
    const refused = await send('/metrics');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('metrics-forbidden');
    expect((await send('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
    const allowed = await send('/metrics', { headers: { authorization: 'Bearer operator-token' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('report_sockets_open');
  });
});
