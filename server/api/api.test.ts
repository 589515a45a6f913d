import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../app.js';
import { hashPassword } from '../auth/password.js';
import { ReportStore } from '../collab/report-store.js';
import { RoomRegistry } from '../collab/room-registry.js';
import type { OpenedDatabase } from '../db/database.js';
import { createUser } from '../db/users.js';
import { createDemoApp, openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';

// The app is built exactly as server/main.ts builds it, on a throwaway database, and spoken to
// in-process with `app.request(...)`: no port, no browser build.

let demo: DemoDatabase;
let database: OpenedDatabase;
let rooms: RoomRegistry;
let app: ReturnType<typeof createApp>['app'];
const serverErrors: { error: unknown; context: string }[] = [];

function recordError(error: unknown, context: string) {
  serverErrors.push({ error, context });
}

beforeAll(async () => {
  demo = await openDemoDatabase('report-api-test');
  database = demo.database;
  const store = new ReportStore(database);
  rooms = new RoomRegistry(store, { compactAfterUpdates: 500, onError: recordError });
  ({ app } = createDemoApp(demo, { store, rooms, onError: recordError }));
});

afterEach(() => {
  // Nothing a caller can send should reach the "internal error" path.
  expect(serverErrors).toEqual([]);
});

afterAll(async () => {
  await rooms?.closeAll();
  await demo?.dispose();
});

interface ErrorBody {
  error: { code: string; message: string };
}

function postLogin(body: string, contentType: string | null = 'application/json') {
  const headers: Record<string, string> = {};
  if (contentType) headers['content-type'] = contentType;
  // As bytes: a string body would be labelled text/plain by the request itself.
  return app.request('/api/login', { method: 'POST', headers, body: new TextEncoder().encode(body) });
}

/** Logs in and returns the `cookie` request header value (`name=value`) to send back. */
async function login(username: string, password = 'demo'): Promise<string> {
  const response = await postLogin(JSON.stringify({ username, password }));
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie');
  expect(setCookie).toBeTruthy();
  return setCookie!.split(';')[0]!.trim();
}

function get(url: string, cookie?: string) {
  return app.request(url, cookie ? { headers: { cookie } } : {});
}

function expectErrorBody(body: unknown): asserts body is ErrorBody {
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  expect((body as ErrorBody).error.message.length).toBeGreaterThan(0);
}

async function firstReportId(cookie: string): Promise<string> {
  const reports = (await (await get('/api/reports', cookie)).json()) as { id: string }[];
  expect(reports.length).toBeGreaterThan(0);
  return reports[0]!.id;
}

describe('logging in', () => {
  it('the lead office logs in with its demo login and gets an httpOnly, SameSite=Lax session cookie', async () => {
    const response = await postLogin(JSON.stringify({ username: 'lead', password: 'demo' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ username: 'lead', department: 'lead', role: 'lead' });

    const setCookie = response.headers.get('set-cookie') ?? '';
    const [nameValue, ...attributes] = setCookie.split(';').map((part) => part.trim());
    expect(nameValue).toMatch(/^[^=]+=.+/);
    const lowered = attributes.map((a) => a.toLowerCase());
    expect(lowered).toContain('httponly');
    expect(lowered).toContain('samesite=lax');
    expect(lowered).toContain('path=/');
  });

  it('once logged in, the lead office sees who it is at /api/me', async () => {
    const cookie = await login('lead');
    const response = await get('/api/me', cookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ username: 'lead', name: '王主任', department: 'lead', role: 'lead' });
  });

  it('the finance bureau logs in as an editor of the finance department', async () => {
    const cookie = await login('finance');
    const me = await (await get('/api/me', cookie)).json();
    expect(me).toMatchObject({ username: 'finance', name: '李会计', department: 'finance', role: 'editor' });
  });

  it('a wrong password is refused with 401 and an error body, and no cookie is set', async () => {
    const response = await postLogin(JSON.stringify({ username: 'lead', password: 'not-the-password' }));
    expect(response.status).toBe(401);
    expectErrorBody(await response.json());
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('an unknown user is refused with the same 401 as a wrong password, and no cookie is set', async () => {
    const unknown = await postLogin(JSON.stringify({ username: 'nobody', password: 'demo' }));
    const wrong = await postLogin(JSON.stringify({ username: 'lead', password: 'wrong' }));
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('set-cookie')).toBeNull();
    const unknownBody = await unknown.json();
    expectErrorBody(unknownBody);
    // Nothing in the answer tells which usernames exist.
    expect(unknownBody).toEqual(await wrong.json());
  });

  it.each([
    ['a body that is not JSON', 'username=lead&password=demo', 'application/json', 'invalid-request'],
    ['an empty body', '', 'application/json', 'invalid-request'],
    ['a body sent without a JSON content type', JSON.stringify({ username: 'lead', password: 'demo' }), 'application/xml', 'invalid-request'],
    ['a body sent without any content type', JSON.stringify({ username: 'lead', password: 'demo' }), null, 'invalid-request'],
    ['a JSON array instead of an object', JSON.stringify(['lead', 'demo']), 'application/json', 'invalid-request'],
    ['a JSON null', 'null', 'application/json', 'invalid-request'],
    ['an object without any fields', '{}', 'application/json', 'credentials-required'],
    ['a login without a password', JSON.stringify({ username: 'lead' }), 'application/json', 'credentials-required'],
    ['a login without a username', JSON.stringify({ password: 'demo' }), 'application/json', 'credentials-required'],
    ['a username that is not a string', JSON.stringify({ username: 42, password: 'demo' }), 'application/json', 'credentials-required'],
    ['an empty username and password', JSON.stringify({ username: '', password: '' }), 'application/json', 'credentials-required'],
  ])('%s is answered with 400 and a message, never a 500', async (_what, body, contentType, code) => {
    const response = await postLogin(body, contentType);
    expect(response.status).toBe(400);
    const json = await response.json();
    expectErrorBody(json);
    expect(json.error.code).toBe(code);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('without a session', () => {
  it.each(['/api/me', '/api/reports', '/api/reports/anything/sections'])('%s answers 401 with an error body', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(401);
    expectErrorBody(await response.json());
  });

  it('a made-up session cookie is treated as no session', async () => {
    const response = await get('/api/me', 'report_session=forged-token-value');
    expect(response.status).toBe(401);
    expectErrorBody(await response.json());
  });
});

describe('reports and their sections', () => {
  it('the report list shows the demo district’s 2025 annual report being written, then last year’s, both in the 2021 national format', async () => {
    const cookie = await login('lead');
    const response = await get('/api/reports', cookie);
    expect(response.status).toBe(200);
    const reports = (await response.json()) as { id: string; title: string; year: number; format: string }[];
    expect(reports.map((report) => [report.year, report.format])).toEqual([
      [2025, 'gov-disclosure-2021'],
      [2024, 'gov-disclosure-2021'],
    ]);
    const [report] = reports;
    expect(report!.id).toEqual(expect.any(String));
    expect(report!.title).toContain('政府信息公开工作年度报告');
  });

  it('a department sees the same district report as the lead office', async () => {
    const lead = await (await get('/api/reports', await login('lead'))).json();
    const food = await (await get('/api/reports', await login('food'))).json();
    expect(food).toEqual(lead);
  });

  it('the sections of the demo report come in report order, all drafts and none locked', async () => {
    const cookie = await login('lead');
    const reportId = await firstReportId(cookie);
    const response = await get(`/api/reports/${reportId}/sections`, cookie);
    expect(response.status).toBe(200);
    const sections = (await response.json()) as {
      id: string;
      title: string;
      level: number;
      department: string | null;
      state: string;
      locked: boolean;
    }[];

    expect(sections).toHaveLength(10);
    expect(sections[0]).toMatchObject({ id: 'overview', title: '一、总体情况', level: 1, department: 'lead' });
    expect(sections[1]).toMatchObject({ id: 'overview-finance', level: 2, department: 'finance' });
    expect(sections.map((s) => s.id)).toEqual([
      'overview',
      'overview-finance',
      'overview-food',
      'overview-env',
      'overview-platform',
      'proactive',
      'requests',
      'reviews',
      'problems',
      'other',
    ]);

    const chapters = sections.filter((s) => s.level === 1);
    expect(chapters.map((s) => s.title.slice(0, 2))).toEqual(['一、', '二、', '三、', '四、', '五、', '六、']);

    for (const section of sections) {
      expect(section.state).toBe('draft');
      expect(section.locked).toBe(false);
    }
  });

  it('asking for the sections of a report that does not exist gives 404 with an error body', async () => {
    const cookie = await login('lead');
    const response = await get('/api/reports/no-such-report/sections', cookie);
    expect(response.status).toBe(404);
    const body = await response.json();
    expectErrorBody(body);
    expect(body.error).toMatchObject({ code: 'report-not-found', params: { report: 'no-such-report' } });
  });
});

describe('a viewer', () => {
  it('may read a report but not submit a section, even of its own department', async () => {
    await createUser(database.db, {
      username: 'finance-reader',
      name: '财政局查阅员',
      password_hash: await hashPassword('reader-pass'),
      department_id: 'finance',
      role: 'viewer',
      created_at: Date.now(),
    });
    const cookie = await login('finance-reader', 'reader-pass');
    const reportId = await firstReportId(cookie);
    expect((await get(`/api/reports/${reportId}/sections`, cookie)).status).toBe(200);
    const submitted = await app.request(`/api/reports/${reportId}/sections/overview-finance/submit`, { method: 'POST', headers: { cookie } });
    expect(submitted.status).toBe(403);
    const sections = (await (await get(`/api/reports/${reportId}/sections`, cookie)).json()) as Array<{ id: string; state: string }>;
    expect(sections.find((section) => section.id === 'overview-finance')?.state).toBe('draft');
  });
});

describe('logging out', () => {
  it('after logging out, the old cookie no longer opens anything', async () => {
    const cookie = await login('env');
    expect((await get('/api/me', cookie)).status).toBe(200);

    const logout = await app.request('/api/logout', { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(200);
    // The browser is also told to forget the cookie.
    expect(logout.headers.get('set-cookie') ?? '').toMatch(/^report_session=;/);

    for (const url of ['/api/me', '/api/reports']) {
      const response = await get(url, cookie);
      expect(response.status).toBe(401);
      expectErrorBody(await response.json());
    }
  });

  it('logging out of one session leaves another session of the same user logged in', async () => {
    const first = await login('food');
    const second = await login('food');
    await app.request('/api/logout', { method: 'POST', headers: { cookie: first } });
    expect((await get('/api/me', first)).status).toBe(401);
    expect((await get('/api/me', second)).status).toBe(200);
  });

  it('logging out without a session still answers OK', async () => {
    const response = await app.request('/api/logout', { method: 'POST' });
    expect(response.status).toBe(200);
  });
});

describe('unknown API paths', () => {
  it.each([
    ['GET', '/api/no-such-thing'],
    ['POST', '/api/no-such-thing'],
    ['GET', '/api/reports/some-id/no-such-thing'],
  ])('%s %s answers 404 JSON, not the browser app', async (method, url) => {
    const response = await app.request(url, { method, headers: { cookie: await login('lead') } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type') ?? '').toContain('application/json');
    const body = await response.json();
    expectErrorBody(body);
    expect(body.error.code).toBe('not_found');
  });
});

describe('stored passwords', () => {
  it('demo passwords are stored as salted scrypt hashes, never as the password itself', async () => {
    const rows = await database.db.selectFrom('users').select(['username', 'password_hash']).where('username', 'in', ['env', 'finance', 'food', 'lead']).execute();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.password_hash.startsWith('scrypt$')).toBe(true);
      expect(row.password_hash).not.toContain('demo');
    }
    // A fresh salt per user: the same password never gives the same stored hash.
    expect(new Set(rows.map((r) => r.password_hash)).size).toBe(rows.length);
  });
});
