import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView } from '../blocks/notifications.js';
import type { createApp } from '../server/app.js';
import { hashPassword } from '../server/auth/password.js';
import { SessionStore } from '../server/auth/sessions.js';
import { ReportStore } from '../server/collab/report-store.js';
import { RoomRegistry } from '../server/collab/room-registry.js';
import { createUser } from '../server/db/users.js';
import { createDemoApp, openDemoDatabase, type DemoDatabase } from '../server/demo/demo-database.fixture.js';
import { DeadlineWatch } from '../server/notify/deadline-watch.js';
import { Notifier } from '../server/notify/notifier.js';
import { ReportDigests } from '../server/read/report-digests.js';

// What concerns each person reaches them without opening the dashboard: assignments, deadlines,
// returns with their reason, approvals, locks, mentions and replies in comments, and the lead
// office's reminders — live on every page they have open, and waiting for them at their next
// login; and nobody else. The app is spoken to in-process, on a clock the test moves.

const DAY = 24 * 3600_000;
let clock = Date.UTC(2026, 0, 10, 2); // 10:00 in Beijing, 10 January 2026
let demo: DemoDatabase;
let rooms: RoomRegistry;
let built: ReturnType<typeof createApp>;
let reportId: string;
/** The deadline watch of a second server process on the same database. */
let otherProcess: DeadlineWatch;
let otherDigests: ReportDigests;
const serverErrors: unknown[] = [];
const cookies = new Map<string, string>();

beforeAll(async () => {
  demo = await openDemoDatabase('notifications-test');
  const store = new ReportStore(demo.database);
  rooms = new RoomRegistry(store, { compactAfterUpdates: 500, onError: (error) => serverErrors.push(error) });
  const sessions = new SessionStore(demo.database.db, 60 * DAY, () => clock);
  built = createDemoApp(demo, { store, rooms, sessions, onError: (error) => serverErrors.push(error) });
  reportId = demo.reportIds[0]!;
  otherDigests = new ReportDigests({ rooms, store });
  otherProcess = new DeadlineWatch({
    db: demo.database.db,
    notifier: new Notifier({ db: demo.database.db, events: built.events, now: () => clock }),
    digests: otherDigests,
    now: () => clock,
    onError: (error) => serverErrors.push(error),
  });
  // A second person in the food bureau, and one in finance who has left.
  const passwordHash = await hashPassword('demo');
  await createUser(demo.database.db, { username: 'food2', name: '赵干事', password_hash: passwordHash, department_id: 'food', role: 'editor', created_at: clock, deactivated_at: null });
  await createUser(demo.database.db, { username: 'gone', name: '钱离职', password_hash: passwordHash, department_id: 'finance', role: 'editor', created_at: clock, deactivated_at: clock });
});

afterEach(() => expect(serverErrors).toEqual([]));

afterAll(async () => {
  await built?.close();
  await otherDigests?.close();
  await rooms?.closeAll();
  await demo?.dispose();
});

async function cookieOf(username: string): Promise<string> {
  const known = cookies.get(username);
  if (known) return known;
  const response = await built.app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  cookies.set(username, cookie);
  return cookie;
}

async function call(method: string, path: string, as: string, body?: unknown) {
  const response = await built.app.request(path, {
    method,
    headers: { cookie: await cookieOf(as), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

const notificationsOf = async (username: string) => (await call('GET', '/api/notifications', username)).json as NotificationView[];
const section = (id: string) => `/api/reports/${reportId}/sections/${id}`;

/** Everyone's notifications now, to compare who got something new. */
async function everyone(): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const user of ['lead', 'finance', 'food', 'food2', 'env']) all[user] = (await notificationsOf(user)).map((notification) => notification.id);
  return all;
}

/** Who got notifications since `before`, and what they say. */
async function newSince(before: Record<string, string[]>): Promise<Record<string, NotificationView[]>> {
  const fresh: Record<string, NotificationView[]> = {};
  for (const user of Object.keys(before)) {
    const added = (await notificationsOf(user)).filter((notification) => !before[user]!.includes(notification.id));
    if (added.length > 0) fresh[user] = added;
  }
  return fresh;
}

/** The user's live stream of notifications, as a page holds it open. */
async function liveStream(username: string) {
  const response = await built.app.request('/api/notifications/events', { headers: { cookie: await cookieOf(username) } });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  const next = async (event: string): Promise<unknown> => {
    for (;;) {
      const match = new RegExp(`event: ${event}\\ndata: (.*)\\n`).exec(buffered);
      if (match) {
        buffered = buffered.slice(match.index + match[0].length);
        return JSON.parse(match[1]!);
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before a "${event}" event`);
      buffered += value;
    }
  };
  await next('ready');
  return { next, close: () => reader.cancel() };
}

describe('a section assigned to a department', () => {
  it('reaches its people live on the page they have open and at the next login of the others, and nobody else', async () => {
    const before = await everyone();
    const live = await liveStream('food');
    expect((await call('POST', `${section('overview-env')}/assign`, 'lead', { department: 'food' })).status).toBe(200);
    const pushed = (await live.next('notification')) as { notification: NotificationView };
    await live.close();
    expect(pushed.notification).toMatchObject({ kind: 'assigned', reportId, sectionId: 'overview-env', read: false });
    expect(pushed.notification.text).toMatch(/^《示范区人民政府2025年政府信息公开工作年度报告》「.+」已分配给本部门编写$/);
    // 赵干事 was not online: the same notification waits for them. The lead office that did it, and the other departments, get nothing.
    const fresh = await newSince(before);
    expect(Object.keys(fresh).sort()).toEqual(['food', 'food2']);
    expect(fresh.food2).toEqual([expect.objectContaining({ kind: 'assigned', sectionId: 'overview-env', text: pushed.notification.text })]);
    expect((await call('POST', `${section('overview-env')}/assign`, 'lead', { department: 'env' })).status).toBe(200);
  });

  it('is not sent to someone who has left (deactivated)', async () => {
    const gone = await demo.database.db.selectFrom('users').select('id').where('username', '=', 'gone').executeTakeFirstOrThrow();
    const before = await demo.database.db.selectFrom('notifications').select('id').where('user_id', '=', gone.id).execute();
    expect((await call('POST', `${section('overview-food')}/assign`, 'lead', { department: 'finance' })).status).toBe(200);
    expect((await call('POST', `${section('overview-food')}/assign`, 'lead', { department: 'food' })).status).toBe(200);
    expect(await demo.database.db.selectFrom('notifications').select('id').where('user_id', '=', gone.id).execute()).toEqual(before);
  });
});

describe('review: a return, an approval and a lock', () => {
  it('tells finance why its section came back, and "my sections" shows the reason until it is approved', async () => {
    expect((await call('POST', `${section('overview-finance')}/submit`, 'finance')).status).toBe(200);
    const before = await everyone();
    expect((await call('POST', `${section('overview-finance')}/return`, 'lead', { comment: '请补充预决算公开的具体数量' })).status).toBe(200);
    const fresh = await newSince(before);
    expect(Object.keys(fresh)).toEqual(['finance']);
    expect(fresh.finance![0]).toMatchObject({ kind: 'returned', sectionId: 'overview-finance', detail: { text: '请补充预决算公开的具体数量' } });
    expect(fresh.finance![0]!.text).toContain('被退回修改：请补充预决算公开的具体数量');
    const sections = (await call('GET', `/api/reports/${reportId}/sections`, 'finance')).json as Array<{ id: string; returnReason: string | null }>;
    expect(sections.find((entry) => entry.id === 'overview-finance')?.returnReason).toBe('请补充预决算公开的具体数量');
    expect(sections.filter((entry) => entry.returnReason !== null)).toHaveLength(1);

    expect((await call('POST', `${section('overview-finance')}/submit`, 'finance')).status).toBe(200);
    const beforeApproval = await everyone();
    expect((await call('POST', `${section('overview-finance')}/approve`, 'lead')).status).toBe(200);
    expect((await call('POST', `${section('overview-finance')}/lock`, 'lead')).status).toBe(200);
    const approved = await newSince(beforeApproval);
    expect(Object.keys(approved)).toEqual(['finance']);
    expect(approved.finance!.map((notification) => notification.kind).sort()).toEqual(['approved', 'locked']);
    const after = (await call('GET', `/api/reports/${reportId}/sections`, 'finance')).json as Array<{ id: string; returnReason: string | null }>;
    expect(after.find((entry) => entry.id === 'overview-finance')?.returnReason).toBeNull();
  });
});

describe('deadlines', () => {
  it('a deadline set is told at once; three days before, one day before and once overdue each once, however often and by however many processes it is swept', async () => {
    clock = Date.UTC(2026, 0, 10, 2);
    const before = await everyone();
    expect((await call('POST', `${section('overview-food')}/deadline`, 'lead', { deadline: '2026-01-15' })).status).toBe(200);
    const set = await newSince(before);
    expect(Object.keys(set).sort()).toEqual(['food', 'food2']);
    expect(set.food![0]).toMatchObject({ kind: 'deadline', detail: { deadline: '2026-01-15', stage: 'set' } });

    const stages: Array<[number, string | null]> = [
      [Date.UTC(2026, 0, 11, 2), null], // five days before: nothing yet
      [Date.UTC(2026, 0, 13, 2), '3d'],
      [Date.UTC(2026, 0, 13, 8), null], // the same stage again: told once
      [Date.UTC(2026, 0, 15, 2), '1d'],
      [Date.UTC(2026, 0, 16, 2), 'overdue'],
      [Date.UTC(2026, 0, 17, 2), null],
    ];
    for (const [at, stage] of stages) {
      clock = at;
      const seen = await everyone();
      // Two server processes sweeping at the same moment.
      await Promise.all([built.deadlines.sweep(), otherProcess.sweep()]);
      const told = await newSince(seen);
      if (stage === null) expect(told, new Date(at).toISOString()).toEqual({});
      else {
        expect(Object.keys(told).sort(), stage).toEqual(['food', 'food2']);
        expect(told.food!.map((notification) => notification.detail.stage)).toEqual([stage]);
      }
    }
  });
});

describe('comments: mentions and replies', () => {
  it('@市场监督管理局 tells everyone in the food bureau, @陈工程师 the one person; a reply tells whoever wrote in the thread', async () => {
    const before = await everyone();
    const posted = await call('POST', `/api/reports/${reportId}/comments`, 'finance', { section: 'overview-finance', body: '@市场监督管理局 请核对食品抽检数量，@陈工程师 也请看一下' });
    expect(posted.status).toBe(201);
    const mentioned = await newSince(before);
    expect(Object.keys(mentioned).sort()).toEqual(['env', 'food', 'food2']);
    expect(mentioned.food![0]).toMatchObject({ kind: 'mention', sectionId: 'overview-finance', detail: { by: '示范区财政局 李会计' } });
    expect(mentioned.food![0]!.text).toContain('提到了您：@市场监督管理局 请核对食品抽检数量');

    const beforeReply = await everyone();
    expect((await call('POST', `/api/reports/${reportId}/comments`, 'food', { section: 'overview-finance', thread: posted.json.id, body: '已核对，数量无误' })).status).toBe(201);
    const replied = await newSince(beforeReply);
    expect(Object.keys(replied)).toEqual(['finance']);
    expect(replied.finance![0]).toMatchObject({ kind: 'mention', detail: { reply: true, by: '示范区市场监督管理局 张科长', text: '已核对，数量无误' } });
  });

  it('a comment that names nobody tells nobody, and "@fin" is not @finance', async () => {
    const before = await everyone();
    expect((await call('POST', `/api/reports/${reportId}/comments`, 'lead', { section: 'overview-env', body: '请各位注意 @fin 这个写法' })).status).toBe(201);
    expect(await newSince(before)).toEqual({});
  });
});

describe('reminders (催办)', () => {
  const reminders = `/api/reports/${'{id}'}/reminders`;
  const path = () => reminders.replace('{id}', reportId);
  const stored = async () => ({
    reminders: await demo.database.db.selectFrom('reminders').selectAll().execute(),
    notifications: await demo.database.db.selectFrom('notifications').select(['id', 'read_at']).execute(),
  });

  it('by default reach the departments with a section past its deadline, naming their open sections, and the lead office sees who has read them', async () => {
    clock = Date.UTC(2026, 0, 20, 2);
    expect((await call('POST', `${section('overview-env')}/deadline`, 'lead', { deadline: '2026-01-31' })).status).toBe(200);
    // overview-food was due on 15 January and is not approved.
    const before = await everyone();
    const sent = await call('POST', path(), 'lead', { message: '请于本周内完成' });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ departments: ['food'], recipients: 2 });
    const told = await newSince(before);
    expect(Object.keys(told).sort()).toEqual(['food', 'food2']);
    expect(told.food![0]).toMatchObject({ kind: 'reminder', sectionId: 'overview-food', detail: { by: '示范区人民政府办公室', text: '请于本周内完成' } });
    expect(told.food![0]!.text).toMatch(/^示范区人民政府办公室催办《.+》「.+」：请于本周内完成$/);

    expect((await call('POST', `/api/notifications/${told.food![0]!.id}/read`, 'food')).status).toBe(200);
    const list = await call('GET', path(), 'lead');
    expect(list.json[0]).toMatchObject({ id: sent.json.id, message: '请于本周内完成', departments: ['food'], sentBy: '王主任' });
    expect(list.json[0].recipients).toEqual([
      { name: '张科长', department: 'food', departmentName: '示范区市场监督管理局', readAt: clock },
      { name: '赵干事', department: 'food', departmentName: '示范区市场监督管理局', readAt: null },
    ]);
  });

  it('may name the departments; an unknown one, a department sending, or nothing overdue is refused and stores nothing', async () => {
    const named = await call('POST', path(), 'lead', { departments: ['env', 'finance'] });
    expect(named.status).toBe(201);
    expect(named.json).toMatchObject({ departments: ['env', 'finance'], recipients: 2 });

    const before = await stored();
    const refusals: Array<[string, unknown, number, string]> = [
      ['finance', {}, 403, 'lead-office-only'],
      ['lead', { departments: ['tax'] }, 400, 'department-unknown'],
      ['lead', { departments: 'env' }, 400, 'invalid-request'],
      ['lead', { departments: ['env'], message: '催'.repeat(201) }, 400, 'reminder-message-length'],
    ];
    for (const [as, body, status, code] of refusals) {
      const answer = await call('POST', path(), as, body);
      expect([answer.status, answer.json.error.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await call('GET', path(), 'finance')).status).toBe(403);
    // With every late section approved, there is nobody to remind by default.
    for (const id of ['overview-food']) {
      expect((await call('POST', `${section(id)}/submit`, 'food')).status).toBe(200);
      expect((await call('POST', `${section(id)}/approve`, 'lead')).status).toBe(200);
    }
    const afterApprovals = await stored();
    const nothing = await call('POST', path(), 'lead', {});
    expect([nothing.status, nothing.json.error.code]).toEqual([409, 'nothing-overdue']);
    expect(await stored()).toEqual(afterApprovals);
    expect(afterApprovals.reminders).toEqual(before.reminders);
  });
});

describe('a user’s notification list', () => {
  it('is newest first with the unread count, and marks one or all read', async () => {
    const response = await call('GET', '/api/notifications', 'food');
    const list = response.json as NotificationView[];
    expect(list.length).toBeGreaterThan(3);
    const times = list.map((notification) => notification.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const notification of list) expect(Object.keys(notification).sort()).toEqual(['createdAt', 'detail', 'id', 'kind', 'read', 'reportId', 'sectionId', 'text']);
    const unread = list.filter((notification) => !notification.read).length;
    expect(Number(response.headers.get('x-unread-count'))).toBe(unread);
    expect((await call('POST', `/api/notifications/${list[0]!.id}/read`, 'food')).status).toBe(200);
    expect(Number((await call('GET', '/api/notifications', 'food')).headers.get('x-unread-count'))).toBe(unread - (list[0]!.read ? 0 : 1));
    expect((await call('POST', '/api/notifications/all/read', 'food')).json.read).toBe(unread - (list[0]!.read ? 0 : 1));
    expect((await notificationsOf('food')).every((notification) => notification.read)).toBe(true);
  });

  it('nobody can read another person’s notification: 404, and it stays unread', async () => {
    const theirs = (await notificationsOf('food2')).find((notification) => !notification.read)!;
    const answer = await call('POST', `/api/notifications/${theirs.id}/read`, 'food');
    expect([answer.status, answer.json.error.code]).toEqual([404, 'notification-not-found']);
    expect((await notificationsOf('food2')).find((notification) => notification.id === theirs.id)?.read).toBe(false);
    expect((await built.app.request('/api/notifications')).status).toBe(401);
  });
});
