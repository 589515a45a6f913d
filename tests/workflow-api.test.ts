import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_FIELD, CloseCode } from '../blocks/contract.js';
import { findSectionElement } from '../blocks/report-json.js';
import { sectionText, waitForClose, waitForDoc } from './support/clients.js';
import { useReportServer } from './support/report-server.js';
import { countStoredUpdates } from './support/stored.js';

// The lead office's workflow API against the real server (its own process, its own SQLite file),
// with stock y-websocket clients where the workflow must reach the collaboration socket.

const suite = useReportServer();
const { cookieOf, syncedClient } = suite;

interface ApiAnswer {
  status: number;
  json: any;
}

/** A request to the report's API (`path` is relative to /api/reports/:id/). */
async function api(
  username: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  options: { raw?: string; contentType?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { cookie: await cookieOf(username) };
  let payload: string | undefined;
  if (options.raw !== undefined) {
    payload = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

interface SectionEntry {
  id: string;
  title: string;
  level: number;
  department: string | null;
  state: string;
  locked: boolean;
  deadline: string | null;
}

async function sections(): Promise<SectionEntry[]> {
  const answer = await api('lead', 'GET', 'sections');
  expect(answer.status).toBe(200);
  return answer.json as SectionEntry[];
}

async function sectionEntry(sectionId: string): Promise<SectionEntry | undefined> {
  return (await sections()).find((entry) => entry.id === sectionId);
}

/** The workflow's own record: what `GET /sections` shows minus the fields edits change. */
async function workflowState() {
  return (await sections()).map(({ id, title, level, department, state, locked, deadline }) => ({ id, title, level, department, state, locked, deadline }));
}

const storedUpdates = () => countStoredUpdates(suite.server, suite.reportId);

function expectError(answer: ApiAnswer, status: number, code: string): void {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(answer.json).toMatchObject({ error: { code, message: expect.any(String) } });
  expect((answer.json as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
}

describe('only the lead office runs the workflow', () => {
  it.each([
    ['assigning a section', 'POST', 'sections/overview-food/assign', { department: 'finance' }, 'assign'],
    ['setting a deadline', 'POST', 'sections/overview-food/deadline', { deadline: '2025-12-31' }, 'deadline'],
    ['locking a section', 'POST', 'sections/overview-food/lock', undefined, 'lock'],
    ['unlocking a section', 'POST', 'sections/overview-food/unlock', undefined, 'unlock'],
    ['approving its own section', 'POST', 'sections/overview-finance/approve', undefined, 'approve'],
    ['returning a section', 'POST', 'sections/overview-finance/return', { comment: '请修改' }, 'return'],
    ['adding a section', 'POST', 'sections', { title: '七、财政局自加', level: 1, id: 'finance-added' }, 'add-section'],
    ['removing a section', 'DELETE', 'sections/overview-food', undefined, 'remove-section'],
    ['moving a section', 'POST', 'sections/overview-food/move', { index: 0 }, 'move-section'],
    ['retitling a section', 'POST', 'sections/overview-food/retitle', { title: '改过的标题' }, 'retitle-section'],
    ['restoring an earlier version', 'POST', 'sections/overview-finance/restore', { seq: 1 }, 'restore'],
    ['reading the audit log', 'GET', 'audit', undefined, 'audit'],
  ] as const)('%s as the finance bureau is refused with 403 and changes nothing', async (_what, method, path, body, action) => {
    const before = { workflow: await workflowState(), stored: await storedUpdates(), audit: (await api('lead', 'GET', 'audit')).json };
    const answer = await api('finance', method, path, body);
    expectError(answer, 403, 'lead-office-only');
    expect(answer.json.error.params).toEqual({ action });
    expect({ workflow: await workflowState(), stored: await storedUpdates(), audit: (await api('lead', 'GET', 'audit')).json }).toEqual(before);
  });

  it('a department submitting another department’s section is refused with 403', async () => {
    const answer = await api('finance', 'POST', 'sections/overview-food/submit');
    expectError(answer, 403, 'not-your-section');
    expect(answer.json.error.params).toEqual({ section: 'overview-food' });
    expect(answer.json.error.message).toContain('overview-food');
    expect(await sectionEntry('overview-food')).toMatchObject({ department: 'food', state: 'draft' });
  });
});

describe('review states', () => {
  it('a section goes submitted → returned with the lead office’s comment → submitted → approved, and an approved one cannot be submitted', async () => {
    const added = await api('lead', 'POST', 'sections', { title: '（五）水环境质量', level: 2, after: 'overview-env', department: 'env', id: 'env-water' });
    expect(added.status).toBe(200);
    expect(added.json).toEqual({ id: 'env-water', department: 'env', state: 'draft', locked: false, deadline: null });

    expect((await api('env', 'POST', 'sections/env-water/submit')).json).toMatchObject({ id: 'env-water', state: 'submitted' });

    const withoutComment = await api('lead', 'POST', 'sections/env-water/return', {});
    expectError(withoutComment, 400, 'comment-required');
    expect(await sectionEntry('env-water')).toMatchObject({ state: 'submitted' });

    const returned = await api('lead', 'POST', 'sections/env-water/return', { comment: '请补充断面水质数据。' });
    expect(returned.status).toBe(200);
    expect(returned.json).toMatchObject({ id: 'env-water', state: 'returned' });
    const comments = (await api('env', 'GET', 'comments')).json as Array<Record<string, unknown>>;
    expect(comments.filter((c) => c.sectionId === 'env-water')).toEqual([
      expect.objectContaining({ sectionId: 'env-water', kind: 'return', body: '请补充断面水质数据。', threadId: null, resolvedAt: null, userName: '王主任' }),
    ]);

    expect((await api('env', 'POST', 'sections/env-water/submit')).json).toMatchObject({ state: 'submitted' });
    expect((await api('lead', 'POST', 'sections/env-water/approve')).json).toMatchObject({ state: 'approved' });

    const again = await api('env', 'POST', 'sections/env-water/submit');
    expectError(again, 409, 'section-already-approved');
    expect(again.json.error.params).toEqual({ section: 'env-water' });
    expect(await sectionEntry('env-water')).toMatchObject({ title: '（五）水环境质量', department: 'env', state: 'approved', locked: false });

    const audit = (await api('lead', 'GET', 'audit')).json as Array<{ sectionId: string; action: string; userName: string }>;
    expect(audit.filter((entry) => entry.sectionId === 'env-water').map((entry) => `${entry.action} by ${entry.userName}`)).toEqual([
      'approve by 王主任',
      'submit by 陈工程师',
      'return by 王主任',
      'submit by 陈工程师',
      'add-section by 王主任',
    ]);
  });

  it('submitting a locked section is refused with 409 until the lead office unlocks it', async () => {
    expect((await api('lead', 'POST', 'sections', { title: '（六）大气环境质量', level: 2, after: 'overview-env', department: 'env', id: 'env-air' })).status).toBe(200);
    expect((await api('lead', 'POST', 'sections/env-air/lock')).json).toMatchObject({ id: 'env-air', locked: true });

    const refused = await api('env', 'POST', 'sections/env-air/submit');
    expectError(refused, 409, 'section-locked');
    expect(refused.json.error.message).toContain('locked');
    expect(await sectionEntry('env-air')).toMatchObject({ state: 'draft', locked: true });

    expect((await api('lead', 'POST', 'sections/env-air/unlock')).json).toMatchObject({ locked: false });
    expect((await api('env', 'POST', 'sections/env-air/submit')).json).toMatchObject({ id: 'env-air', state: 'submitted', locked: false });
  });

  it('the lead office sets a deadline as a date and clears it with null', async () => {
    expect((await api('lead', 'POST', 'sections/overview-env/deadline', { deadline: '2025-03-31' })).json).toMatchObject({ id: 'overview-env', deadline: '2025-03-31' });
    expect(await sectionEntry('overview-env')).toMatchObject({ deadline: '2025-03-31' });
    expect((await api('lead', 'POST', 'sections/overview-env/deadline', { deadline: null })).json).toMatchObject({ deadline: null });
    expect(await sectionEntry('overview-env')).toMatchObject({ deadline: null });
  });
});

describe('the report’s structure', () => {
  const ids = () => suite.observer.body.toArray().map((node) => (node as Y.XmlElement).getAttribute('sectionId'));

  /** Adds a level-1 section at the end of the report as the lead office; resolves once the observer has it. */
  async function addAtEnd(sectionId: string, title: string): Promise<void> {
    const added = await api('lead', 'POST', 'sections', { title, level: 1, after: 'other', id: sectionId });
    expect(added.status, JSON.stringify(added.json)).toBe(200);
    await waitForDoc(suite.observer.doc, () => findSectionElement(suite.observer.body, sectionId) !== null, `section ${sectionId} to arrive`);
  }

  /** Removes the section as the lead office if the observer has it; resolves once the observer has it no more. */
  async function removeIfPresent(sectionId: string): Promise<void> {
    if (!findSectionElement(suite.observer.body, sectionId)) return;
    expect((await api('lead', 'DELETE', `sections/${sectionId}`)).status).toBe(200);
    // The answer and the change reach a client on different connections, in no promised order.
    await waitForDoc(suite.observer.doc, () => findSectionElement(suite.observer.body, sectionId) === null, `section ${sectionId} to leave`);
  }

  async function latestAudit(sectionId: string) {
    const audit = (await api('lead', 'GET', 'audit')).json as Array<{ sectionId: string; action: string; detail: unknown; userName: string }>;
    return audit.find((entry) => entry.sectionId === sectionId);
  }

  it('the lead office adds a section after another; every connected document and the sections list show it', async () => {
    const idsBefore = ids();
    try {
      const added = await api('lead', 'POST', 'sections', { title: '七、附则', level: 1, after: 'other', id: 'closing' });
      expect(added.status).toBe(200);
      expect(added.json).toEqual({ id: 'closing', department: null, state: 'draft', locked: false, deadline: null });
      await waitForDoc(suite.observer.doc, () => findSectionElement(suite.observer.body, 'closing') !== null, 'the added section');
      expect(ids()).toEqual([...idsBefore, 'closing']);
      expect(findSectionElement(suite.observer.body, 'closing')!.getAttributes()).toEqual({ sectionId: 'closing', title: '七、附则', level: 1 });
      expect((await sections()).at(-1)).toMatchObject({ id: 'closing', title: '七、附则', level: 1, department: null, state: 'draft' });
      expect(await latestAudit('closing')).toMatchObject({ action: 'add-section', userName: '王主任' });
    } finally {
      await removeIfPresent('closing');
    }
  });

  it('the lead office retitles a section; the title changes in every connected document and in the sections list', async () => {
    await addAtEnd('closing-retitled', '七、附则');
    try {
      const retitled = await api('lead', 'POST', 'sections/closing-retitled/retitle', { title: '七、其他附则' });
      expect(retitled.status, JSON.stringify(retitled.json)).toBe(200);
      expect(retitled.json).toMatchObject({ id: 'closing-retitled' });
      await waitForDoc(suite.observer.doc, () => findSectionElement(suite.observer.body, 'closing-retitled')?.getAttribute('title') === '七、其他附则', 'the new title');
      expect(await sectionEntry('closing-retitled')).toMatchObject({ title: '七、其他附则', level: 1 });
      expect(await latestAudit('closing-retitled')).toMatchObject({ action: 'retitle-section', detail: { title: '七、其他附则' }, userName: '王主任' });
    } finally {
      await removeIfPresent('closing-retitled');
    }
  });

  it('the lead office moves a section to the front; every connected document and the sections list follow', async () => {
    const idsBefore = ids();
    await addAtEnd('closing-moved', '七、附则');
    try {
      const moved = await api('lead', 'POST', 'sections/closing-moved/move', { index: 0 });
      expect(moved.status, JSON.stringify(moved.json)).toBe(200);
      await waitForDoc(suite.observer.doc, () => ids()[0] === 'closing-moved', 'the moved section');
      expect(ids()).toEqual(['closing-moved', ...idsBefore]);
      expect((await sections()).map((entry) => entry.id)).toEqual(['closing-moved', ...idsBefore]);
      expect(await latestAudit('closing-moved')).toMatchObject({ action: 'move-section', detail: { index: 0 }, userName: '王主任' });
    } finally {
      await removeIfPresent('closing-moved');
    }
  });

  it('the lead office removes a section; it leaves every connected document and the sections list', async () => {
    const idsBefore = ids();
    await addAtEnd('closing-removed', '七、附则');
    const removed = await api('lead', 'DELETE', 'sections/closing-removed');
    expect(removed.status).toBe(200);
    await waitForDoc(suite.observer.doc, () => findSectionElement(suite.observer.body, 'closing-removed') === null, 'the removed section');
    expect(ids()).toEqual(idsBefore);
    expect((await sections()).map((entry) => entry.id)).toEqual(idsBefore);
    expect(await latestAudit('closing-removed')).toMatchObject({ action: 'remove-section', userName: '王主任' });
  });
});

describe('workflow changes take effect for the guard at once', () => {
  it('after the food bureau’s section is assigned to finance, finance’s connected client may write there and the food bureau’s may not', async () => {
    const finance = await syncedClient('finance');
    const food = await syncedClient('food');
    try {
      const assigned = await api('lead', 'POST', 'sections/overview-food/assign', { department: 'finance' });
      expect(assigned.json).toMatchObject({ id: 'overview-food', department: 'finance' });
      expect(await sectionEntry('overview-food')).toMatchObject({ department: 'finance' });

      const financeCloses: number[] = [];
      finance.provider.on('connection-close', (event) => financeCloses.push(event?.code ?? 0));
      sectionText(finance.body, 'overview-food').insert(0, '财政局接手本节。');
      await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-food').toString().startsWith('财政局接手本节。'), 'finance’s edit in its newly assigned section');
      expect(financeCloses).toEqual([]);

      const storedBefore = await storedUpdates();
      const closed = waitForClose(food.provider);
      sectionText(food.body, 'overview-food').insert(0, '市场监管局的修改');
      const { code, reason } = await closed;
      expect(code).toBe(CloseCode.Forbidden);
      expect(reason).toContain('overview-food');
      expect(reason).toContain('not your section');
      expect(await storedUpdates()).toBe(storedBefore);
      expect(sectionText(suite.observer.body, 'overview-food').toString()).not.toContain('市场监管局的修改');
    } finally {
      expect((await api('lead', 'POST', 'sections/overview-food/assign', { department: 'food' })).status).toBe(200);
    }
  });

  it('a lock takes effect for a connected client at once: its next edit is refused with 4403 and not stored', async () => {
    const finance = await syncedClient('finance');
    sectionText(finance.body, 'overview-finance').insert(0, '锁定前的修改。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-finance').toString().startsWith('锁定前的修改。'), 'the edit before the lock');

    try {
      expect((await api('lead', 'POST', 'sections/overview-finance/lock')).json).toMatchObject({ id: 'overview-finance', locked: true });
      const storedBefore = await storedUpdates();
      const closed = waitForClose(finance.provider);
      sectionText(finance.body, 'overview-finance').insert(0, '锁定后的修改。');
      const { code, reason } = await closed;
      expect(code).toBe(CloseCode.Forbidden);
      expect(reason).toContain('overview-finance');
      expect(reason).toContain('locked');
      expect(await storedUpdates()).toBe(storedBefore);
      expect(sectionText(suite.observer.body, 'overview-finance').toString().startsWith('锁定前的修改。')).toBe(true);
    } finally {
      expect((await api('lead', 'POST', 'sections/overview-finance/unlock')).status).toBe(200);
    }

    // Unlocked again, a fresh client of the same user edits as before.
    const again = await syncedClient('finance');
    sectionText(again.body, 'overview-finance').insert(0, '解锁后的修改。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-finance').toString().startsWith('解锁后的修改。锁定前的修改。'), 'the edit after the unlock');
  });
});

describe('history, versions and restore', () => {
  interface History {
    changes: Array<{ fromSeq: number; toSeq: number; userName: string | null; departmentId: string | null; edits: number }>;
    audit: Array<{ action: string; detail: Record<string, unknown>; userName: string | null }>;
  }

  async function history(sectionId: string): Promise<History> {
    const answer = await api('food', 'GET', `sections/${sectionId}/history`);
    expect(answer.status).toBe(200);
    return answer.json as History;
  }

  async function envTypes(text: string): Promise<void> {
    const env = await syncedClient('env');
    sectionText(env.body, 'overview-env').insert(0, text);
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-env').toString().startsWith(text), 'the environment bureau’s edit');
    env.destroy();
  }

  it('compare reads linked figures as their values and lists the changed cells of the tables the section holds', async () => {
    const fromSeq = (await history('requests')).changes[0]!.toSeq;
    const lead = await syncedClient('lead');
    const table = lead.doc.getMap(ANNEX_FIELD).get('B') as Y.Map<number | null>;
    const was = table.get('new:natural') ?? null;
    table.set('new:natural', (was ?? 0) + 1);
    await waitForDoc(suite.observer.doc, () => (suite.observer.doc.getMap(ANNEX_FIELD).get('B') as Y.Map<number>).get('new:natural') === (was ?? 0) + 1, 'the changed cell');

    const compared = await api('lead', 'GET', `sections/requests/compare?from=${fromSeq}`);
    expect(compared.status).toBe(200);
    expect(compared.json.cells).toEqual([{ table: 'B', label: expect.stringContaining('附表B'), before: was, after: (was ?? 0) + 1 }]);
    expect([...compared.json.before, ...compared.json.after].join('')).not.toMatch(/【B\//);
    table.set('new:natural', was);
  });

  it('the history lists who changed a section, and compare shows the added text', async () => {
    const before = await history('overview-env');
    const fromSeq = before.changes[0]!.toSeq;
    await envTypes('水质达标率保持稳定。');

    const after = await history('overview-env');
    expect(after.changes).toHaveLength(before.changes.length + 1);
    expect(after.changes[0]).toMatchObject({ userName: '陈工程师', departmentId: 'env', edits: 1 });
    expect(after.changes[0]!.fromSeq).toBeGreaterThan(fromSeq);
    expect(after.changes.slice(1)).toEqual(before.changes);

    const compared = await api('food', 'GET', `sections/overview-env/compare?from=${fromSeq}`);
    expect(compared.status).toBe(200);
    expect(compared.json.from).toBe(fromSeq);
    expect(compared.json.parts.filter((part: { kind: string }) => part.kind !== 'same')).toEqual([{ kind: 'added', text: '水质达标率保持稳定。' }]);
    expect(compared.json.after[0]).toBe(`水质达标率保持稳定。${compared.json.before[0]}`);

    const version = await api('food', 'GET', `sections/overview-env/versions/${fromSeq}`);
    expect(version.status).toBe(200);
    expect(version.json).toMatchObject({ seq: fromSeq, blocks: compared.json.before });
  });

  it('the lead office reviews what a department changed since it submitted, and after a return what changed since it was sent back', async () => {
    const review = async () => (await api('lead', 'GET', 'sections/overview-env/review-changes')).json;
    expect(await review()).toEqual({ since: null, parts: [], cells: [], changed: false });

    expect((await api('env', 'POST', 'sections/overview-env/submit')).status).toBe(200);
    expect(await review()).toMatchObject({ since: { action: 'submit', userName: '陈工程师' }, changed: false });
    // Edited while waiting for review: the change is marked against what was handed in.
    await envTypes('提交后补充：');
    const afterSubmit = await review();
    expect(afterSubmit.changed).toBe(true);
    expect(afterSubmit.parts.filter((part: { kind: string }) => part.kind !== 'same')).toEqual([{ kind: 'added', text: '提交后补充：' }]);

    expect((await api('lead', 'POST', 'sections/overview-env/return', { comment: '请补充水质数据' })).status).toBe(200);
    await envTypes('地表水达标。');
    expect((await api('env', 'POST', 'sections/overview-env/submit')).status).toBe(200);
    // Resubmitted: what answers the return is what is reviewed, not the earlier addition.
    const afterReturn = await review();
    expect(afterReturn.since).toMatchObject({ action: 'return', userName: '王主任', atSeq: expect.any(Number) });
    expect(afterReturn.parts.filter((part: { kind: string }) => part.kind !== 'same')).toEqual([{ kind: 'added', text: '地表水达标。' }]);

    // Approved: the review is closed.
    expect((await api('lead', 'POST', 'sections/overview-env/approve')).status).toBe(200);
    expect(await review()).toEqual({ since: null, parts: [], cells: [], changed: false });
  });

  it('restore puts the section back to an earlier version’s text, as a logged change the audit log records', async () => {
    const fromSeq = (await history('overview-env')).changes[0]!.toSeq;
    const earlierXml = findSectionElement(suite.observer.body, 'overview-env')!.toString();
    const earlierBlocks = (await api('lead', 'GET', `sections/overview-env/versions/${fromSeq}`)).json.blocks as string[];
    await envTypes('这句话将被恢复掉。');
    const storedBefore = await storedUpdates();

    const restored = await api('lead', 'POST', 'sections/overview-env/restore', { seq: fromSeq });
    expect(restored.status).toBe(200);
    expect(restored.json).toEqual({ restoredFrom: fromSeq, seq: storedBefore + 1 });
    const restoredSeq = restored.json.seq as number;

    await waitForDoc(suite.observer.doc, () => findSectionElement(suite.observer.body, 'overview-env')!.toString() === earlierXml, 'the restored section');
    expect(await storedUpdates()).toBe(storedBefore + 1);
    expect((await api('lead', 'GET', `sections/overview-env/versions/${restoredSeq}`)).json.blocks).toEqual(earlierBlocks);

    const audit = (await api('lead', 'GET', 'audit')).json as Array<{ sectionId: string; action: string; detail: unknown; userName: string }>;
    expect(audit[0]).toMatchObject({ sectionId: 'overview-env', action: 'restore', detail: { seq: fromSeq, restoredAs: restoredSeq }, userName: '王主任' });
    const sectionHistory = await history('overview-env');
    expect(sectionHistory.changes[0]).toMatchObject({ fromSeq: restoredSeq, toSeq: restoredSeq, userName: '王主任', departmentId: 'lead' });
    expect(sectionHistory.audit[0]).toMatchObject({ action: 'restore', detail: { seq: fromSeq, restoredAs: restoredSeq } });
  });

  it('a version the report never had is a 404 for reading, comparing and restoring, and a restore of it changes nothing', async () => {
    const beyond = (await await storedUpdates()) + 1000;
    for (const [method, path, body] of [
      ['GET', `sections/overview-env/versions/${beyond}`, undefined],
      ['GET', `sections/overview-env/compare?from=${beyond}`, undefined],
      ['POST', 'sections/overview-env/restore', { seq: beyond }],
    ] as const) {
      const before = { workflow: await workflowState(), stored: await storedUpdates() };
      const answer = await api('lead', method, path, body);
      expectError(answer, 404, 'version-not-found');
      expect(answer.json.error.params).toEqual({ seq: beyond });
      expect({ workflow: await workflowState(), stored: await storedUpdates() }).toEqual(before);
    }
  });

  it('a version from before a section existed is a 404 that says so', async () => {
    expect((await api('lead', 'POST', 'sections', { title: '（七）新增章节', level: 2, after: 'overview-env', id: 'env-late' })).status).toBe(200);
    const answer = await api('lead', 'GET', 'sections/env-late/versions/1');
    expectError(answer, 404, 'section-not-in-version');
    expect(answer.json.error.params).toEqual({ section: 'env-late', seq: 1 });
  });
});

describe('comments', () => {
  it('a comment is made, answered in its thread, refused resolution by another department (403) and resolved by the section’s department', async () => {
    const created = await api('finance', 'POST', 'comments', { section: 'overview-finance', body: '请核对三公经费数字。' });
    expect(created.status).toBe(201);
    const threadId = created.json.id as string;
    expect(threadId).toEqual(expect.any(String));

    const reply = await api('lead', 'POST', 'comments', { section: 'overview-finance', body: '已核对，数字无误。', thread: threadId });
    expect(reply.status).toBe(201);
    const replyId = reply.json.id as string;

    // A reply must stay in its thread's section.
    expectError(await api('lead', 'POST', 'comments', { section: 'overview-food', body: '错位的回复', thread: threadId }), 404, 'comment-not-found');

    const thread = async () => ((await api('env', 'GET', 'comments')).json as Array<Record<string, unknown>>).filter((c) => c.id === threadId || c.threadId === threadId);
    expect(await thread()).toEqual([
      expect.objectContaining({ id: threadId, sectionId: 'overview-finance', threadId: null, kind: 'comment', body: '请核对三公经费数字。', resolvedAt: null, userName: '李会计', departmentId: 'finance' }),
      expect.objectContaining({ id: replyId, sectionId: 'overview-finance', threadId, kind: 'comment', body: '已核对，数字无误。', resolvedAt: null, userName: '王主任', departmentId: 'lead' }),
    ]);

    for (const commentId of [threadId, replyId]) expectError(await api('env', 'POST', `comments/${commentId}/resolve`), 403, 'may-not-resolve');
    expect((await thread()).map((c) => c.resolvedAt)).toEqual([null, null]);

    const resolved = await api('finance', 'POST', `comments/${replyId}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.json).toEqual({ ok: true });
    for (const comment of await thread()) expect(comment.resolvedAt).toEqual(expect.any(Number));
  });
});

describe('malformed requests', () => {
  it.each([
    ['an assignment without a department', 'POST', 'sections/overview-food/assign', { body: {} }, ['department-required', '请指定部门']],
    ['an assignment to an unknown department', 'POST', 'sections/overview-food/assign', { body: { department: 'nope' } }, ['department-unknown', 'nope']],
    ['a deadline not written as YYYY-MM-DD', 'POST', 'sections/overview-food/deadline', { body: { deadline: '31/12/2025' } }, ['deadline-format', 'YYYY-MM-DD']],
    ['a deadline on a day that does not exist', 'POST', 'sections/overview-food/deadline', { body: { deadline: '2025-02-30' } }, ['no-such-date', '2025-02-30']],
    ['a return with a blank comment', 'POST', 'sections/overview-food/return', { body: { comment: '   ' } }, ['comment-required', '修改意见']],
    ['a move to a negative index', 'POST', 'sections/overview-food/move', { body: { index: -1 } }, ['invalid-request', '"index"']],
    ['a move to an index that is not a number', 'POST', 'sections/overview-food/move', { body: { index: 'first' } }, ['invalid-request', '"index"']],
    ['an empty title', 'POST', 'sections/overview-food/retitle', { body: { title: '' } }, ['title-length', '200']],
    ['a title over 200 characters', 'POST', 'sections/overview-food/retitle', { body: { title: '长'.repeat(201) } }, ['title-length', '200']],
    ['a restore of version 0', 'POST', 'sections/overview-food/restore', { body: { seq: 0 } }, ['invalid-request', '"seq"']],
    ['a restore with the version as a string', 'POST', 'sections/overview-food/restore', { body: { seq: '1' } }, ['invalid-request', '"seq"']],
    ['a new section without a title', 'POST', 'sections', { body: { level: 1 } }, ['title-length', '200']],
    ['a new section with an id that is not lower-case', 'POST', 'sections', { body: { title: '新章节', id: 'Bad Id' } }, ['section-id-format', '章节编号']],
    ['a comment with an empty body', 'POST', 'comments', { body: { section: 'overview', body: '' } }, ['comment-length', '5000']],
    ['a comment without a section', 'POST', 'comments', { body: { body: '意见' } }, ['invalid-request', '"section"']],
    ['a body that is not valid JSON', 'POST', 'sections/overview-food/deadline', { raw: '{"deadline":' }, ['invalid-request', 'not valid JSON']],
    ['a body sent as XML', 'POST', 'sections/overview-food/assign', { raw: '{"department":"finance"}', contentType: 'application/xml' }, ['invalid-request', 'Content-Type']],
    ['a JSON array instead of an object', 'POST', 'sections/overview-food/assign', { raw: '["finance"]' }, ['invalid-request', 'JSON object']],
    ['a version number that is not a number', 'GET', 'sections/overview-food/versions/latest', {}, ['invalid-request', 'not a version number']],
    ['a compare from version 0', 'GET', 'sections/overview-food/compare?from=0', {}, ['invalid-request', 'not a version number']],
  ] as const)('%s is answered with 400 and a message, and changes nothing', async (_what, method, path, request, [code, message]) => {
    const before = { workflow: await workflowState(), stored: await storedUpdates() };
    const options = 'raw' in request ? { raw: request.raw, contentType: 'contentType' in request ? request.contentType : undefined } : {};
    const answer = await api('lead', method, path, 'body' in request ? request.body : undefined, options);
    expectError(answer, 400, code);
    expect(answer.json.error.message).toContain(message);
    expect({ workflow: await workflowState(), stored: await storedUpdates() }).toEqual(before);
  });
});

describe('the live event stream', () => {
  /** Reads server-sent events from a fetch body, one complete event at a time. */
  function eventReader(stream: ReadableStream<Uint8Array>) {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    return {
      async next(): Promise<{ event: string; data: string }> {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n');
            const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim() ?? 'message';
            const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
            if (lines.every((line) => line.startsWith(':'))) continue;
            return { event, data };
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('the event stream ended');
          buffer += decoder.decode(value, { stream: true });
        }
      },
      cancel: () => reader.cancel().catch(() => undefined),
    };
  }

  /** The next event named `name`, or a failure after `timeoutMs` if none comes. */
  async function nextEvent(events: ReturnType<typeof eventReader>, name: string, timeoutMs = 10_000) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no "${name}" event within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([
        (async () => {
          for (;;) {
            const message = await events.next();
            if (message.event === name) return message;
          }
        })(),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('the lead office’s own change of an approved section’s text (a new title) takes the approval away too; moving it does not', async () => {
    expect((await api('lead', 'POST', 'sections/problems/approve')).status).toBe(200);
    const index = (await sections()).findIndex((entry) => entry.id === 'problems');
    expect((await api('lead', 'POST', 'sections/problems/move', { index: Math.max(0, index - 1) })).status).toBe(200);
    expect((await sectionEntry('problems'))?.state).toBe('approved');
    expect((await api('lead', 'POST', 'sections/problems/move', { index })).status).toBe(200);
    const title = (await sectionEntry('problems'))!.title;
    expect((await api('lead', 'POST', 'sections/problems/retitle', { title: `${title}（修订）` })).status).toBe(200);
    expect((await sectionEntry('problems'))?.state).toBe('draft');
    expect((await api('lead', 'POST', 'sections/problems/retitle', { title })).status).toBe(200);
  });

  it('a page that reloaded twice, beside a viewer who left, still receives the next lock, assignment and comment', async () => {
    const open = async (username: string) => {
      const abort = new AbortController();
      const response = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/events`, { headers: { cookie: await cookieOf(username) }, signal: abort.signal });
      const events = eventReader(response.body!);
      await nextEvent(events, 'ready');
      return { events, close: async () => (await events.cancel(), abort.abort()) };
    };
    await (await open('food')).close();
    await (await open('food')).close();
    const page = await open('food');
    await (await open('env')).close();
    try {
      const actions: string[] = [];
      const next = async (name: string) => (JSON.parse((await nextEvent(page.events, name)).data) as { action?: string; sectionId: string });
      expect((await api('lead', 'POST', 'sections/requests/lock')).status).toBe(200);
      actions.push((await next('sections')).action!);
      expect((await api('lead', 'POST', 'sections/requests/unlock')).status).toBe(200);
      actions.push((await next('sections')).action!);
      expect((await api('lead', 'POST', 'sections/other/assign', { department: 'food' })).status).toBe(200);
      actions.push((await next('sections')).action!);
      expect(actions).toEqual(['lock', 'unlock', 'assign']);
      expect((await api('lead', 'POST', 'comments', { section: 'other', body: '请补充数据来源。' })).status).toBe(201);
      expect(await next('comments')).toEqual({ type: 'comments', sectionId: 'other' });
    } finally {
      await page.close();
    }
  });

  it('an edit to an approved section takes it back to draft for every open page at once; the audit says why and publishing refuses it', async () => {
    const abort = new AbortController();
    const response = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/events`, { headers: { cookie: await cookieOf('lead') }, signal: abort.signal });
    const events = eventReader(response.body!);
    try {
      await nextEvent(events, 'ready');
      expect((await api('lead', 'POST', 'sections/overview-env/submit')).status).toBe(200);
      expect((await api('lead', 'POST', 'sections/overview-env/approve')).status).toBe(200);
      expect((await sectionEntry('overview-env'))?.state).toBe('approved');

      const env = await syncedClient('env');
      sectionText(env.body, 'overview-env').insert(0, '审定之后又改了一句。');
      // The submit and the approval came first; then the edit's.
      const actions: string[] = [];
      while (actions.at(-1) !== 'approval-revoked') actions.push((JSON.parse((await nextEvent(events, 'sections')).data) as { action: string }).action);
      expect(actions).toEqual(['submit', 'approve', 'approval-revoked']);

      expect((await sectionEntry('overview-env'))?.state).toBe('draft');
      const audit = (await api('lead', 'GET', 'audit')).json as Array<{ sectionId: string; action: string; userName: string }>;
      expect(audit.find((entry) => entry.sectionId === 'overview-env')).toMatchObject({ action: 'approval-revoked', userName: expect.any(String) });
      const publish = await api('lead', 'POST', 'publications', { note: '', acknowledge: [] });
      expect(publish.status).toBe(409);
      expect(JSON.stringify(publish.json)).toContain('overview-env');
      expect(env.provider.wsconnected).toBe(true);
      env.destroy();
    } finally {
      await events.cancel();
      abort.abort();
    }
  });

  it('a department’s open event stream receives a sections event when the lead office locks a section', async () => {
    const abort = new AbortController();
    const response = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/events`, { headers: { cookie: await cookieOf('food') }, signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = eventReader(response.body!);
    try {
      expect(await nextEvent(events, 'ready')).toEqual({ event: 'ready', data: '{}' });
      expect((await api('lead', 'POST', 'sections/requests/lock')).status).toBe(200);
      const pushed = await nextEvent(events, 'sections');
      expect(JSON.parse(pushed.data)).toEqual({ type: 'sections', sectionId: 'requests', action: 'lock' });
    } finally {
      await events.cancel();
      abort.abort();
      expect((await api('lead', 'POST', 'sections/requests/unlock')).status).toBe(200);
    }
  });
});
