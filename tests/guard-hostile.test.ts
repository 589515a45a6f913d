import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANNEX_TABLE_NODE } from '../blocks/annex/annex-table-node.js';
import { ANNEX_FIELD, BODY_FIELD, CloseCode } from '../blocks/contract.js';
import { findSectionElement } from '../blocks/report-json.js';
import { sectionText, waitForClose, waitForDoc } from './support/clients.js';
import { forge, hostileClients, sectionElement as section } from './support/hostile-client.js';
import { useReportServer } from './support/report-server.js';

const suite = useReportServer();
const { cookieOf, syncedClient } = suite;
const { storedUpdates, hostileClient, serverState, expectRefused, expectHonestEditWorks } = hostileClients(suite);

async function post(path: string, username: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${suite.server.url}${path}`, {
    method: 'POST',
    headers: { cookie: await cookieOf(username), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function annexTable(doc: Y.Doc, tableId: string): Y.Map<number | null> {
  const table = doc.getMap<Y.Map<number | null>>(ANNEX_FIELD).get(tableId);
  if (!(table instanceof Y.Map)) throw new Error(`no annex table ${tableId}`);
  return table;
}

describe('a hostile client written with raw Yjs (not the editor)', () => {
  it('finance writing into the food bureau’s section is closed with 4403 naming that section, and nothing changes', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      sectionText(doc.getXmlFragment(BODY_FIELD), 'overview-food').insert(0, '伪造的抽检结果');
    });
    expect(reason).toContain('overview-food');
    expect(reason).toContain('not your section');
    expect(sectionText(suite.observer.body, 'overview-food').toString()).not.toContain('伪造的抽检结果');
    await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改一。');
  });

  it('finance deleting text in the food bureau’s section is refused the same way', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      sectionText(doc.getXmlFragment(BODY_FIELD), 'overview-food').delete(0, 10);
    });
    expect(reason).toContain('overview-food');
    await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改二。');
  });

  it('finance deleting the food bureau’s whole section is a structure change and is refused naming the section', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      const body = doc.getXmlFragment(BODY_FIELD);
      body.delete(body.toArray().indexOf(section(doc, 'overview-food')), 1);
    });
    expect(reason).toContain('structure is lead-only');
    expect(reason).toContain('deletes section overview-food');
    expect(findSectionElement(suite.observer.body, 'overview-food')).not.toBeNull();
    await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改三。');
  });

  it('finance adding a top-level node to the report body is refused as a structure change', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      const added = new Y.XmlElement('section');
      added.setAttribute('sectionId', 'finance-extra');
      added.setAttribute('title', '（五）财政局自加的章节');
      added.setAttribute('level', 2 as unknown as string);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('自行添加')]);
      added.insert(0, [paragraph]);
      doc.getXmlFragment(BODY_FIELD).insert(2, [added]);
    });
    expect(reason).toContain('structure is lead-only');
    expect(reason).toContain('adds a top-level node');
    expect(findSectionElement(suite.observer.body, 'finance-extra')).toBeNull();
    await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改四。');
  });

  it('finance rewriting the sectionId attribute of its own section is refused naming the section', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      section(doc, 'overview-finance').setAttribute('sectionId', 'overview-food');
    });
    expect(reason).toContain('structure is lead-only');
    expect(reason).toContain('sectionId');
    expect(reason).toContain('overview-finance');
    expect(findSectionElement(suite.observer.body, 'overview-finance')).not.toBeNull();
    await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改五。');
  });

  describe('annex cells follow the section that holds the table', () => {
    beforeAll(async () => {
      // The lead office, who may change structure, places table B@food in the food bureau's
      // section and B@finance in the finance bureau's, and creates both tables' maps.
      const lead = await syncedClient('lead');
      const storedBefore = await storedUpdates();
      Y.transact(lead.doc, () => {
        for (const [sectionId, tableId] of [['overview-food', 'B@food'], ['overview-finance', 'B@finance']] as const) {
          const holder = section(lead.doc, sectionId);
          const node = new Y.XmlElement(ANNEX_TABLE_NODE);
          node.setAttribute('tableId', tableId);
          holder.insert(holder.length, [node]);
          lead.doc.getMap(ANNEX_FIELD).set(tableId, new Y.Map());
        }
      });
      await waitForDoc(suite.observer.doc, () => suite.observer.doc.getMap(ANNEX_FIELD).has('B@food') && suite.observer.doc.getMap(ANNEX_FIELD).has('B@finance'), 'the lead office’s annex tables');
      expect(await storedUpdates()).toBe(storedBefore + 1);
      expect(lead.provider.wsconnected).toBe(true);
    });

    it('finance writing a cell of a table held by the food bureau’s section is refused naming the section and the table', async () => {
      const { reason } = await expectRefused('finance', (doc) => {
        annexTable(doc, 'B@food').set('new:natural', 5);
      });
      expect(reason).toContain('overview-food');
      expect(reason).toContain('B@food');
      expect(annexTable(suite.observer.doc, 'B@food').has('new:natural')).toBe(false);
      await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改六。');
    });

    it('a cell the national table does not have is refused even in the department’s own table, and nothing is stored', async () => {
      const { reason } = await expectRefused('finance', (doc) => {
        annexTable(doc, 'B@finance').set('new:subtotal', 5);
      });
      expect(reason).toContain('no cell "new:subtotal"');
      expect(annexTable(suite.observer.doc, 'B@finance').has('new:subtotal')).toBe(false);
      await expectHonestEditWorks('finance', 'overview-finance', '财政局的正常修改七。');
    });

    it('finance replacing the food bureau’s whole table map is refused as a structure change', async () => {
      const { reason } = await expectRefused('finance', (doc) => {
        const forged = new Y.Map<number>();
        forged.set('new:natural', 5);
        doc.getMap(ANNEX_FIELD).set('B@food', forged);
      });
      expect(reason).toContain('structure is lead-only');
      expect(reason).toContain('B@food');
    });

    it('the owners write the cells of the tables their sections hold, and the cells reach the lead office', async () => {
      const storedBefore = await storedUpdates();
      const food = await syncedClient('food');
      annexTable(food.doc, 'B@food').set('new:natural', 7);
      const finance = await syncedClient('finance');
      annexTable(finance.doc, 'B@finance').set('carried:business', 12);
      await waitForDoc(
        suite.observer.doc,
        () => annexTable(suite.observer.doc, 'B@food').get('new:natural') === 7 && annexTable(suite.observer.doc, 'B@finance').get('carried:business') === 12,
        'both owners’ cells to reach the lead office',
      );
      expect(await storedUpdates()).toBe(storedBefore + 2);
      expect(food.provider.wsconnected).toBe(true);
      expect(finance.provider.wsconnected).toBe(true);
      food.destroy();
      finance.destroy();
    });

    it('finance cannot take over the food bureau’s table by placing a node with the same tableId in its own section', async () => {
      const hostile = await hostileClient('finance');
      // Step one: an annexTable node naming B@food, inside finance's own section (which comes
      // before the food bureau's in the report).
      hostile.sendUpdate(
        forge(hostile.doc, (doc) => {
          const own = section(doc, 'overview-finance');
          const node = new Y.XmlElement(ANNEX_TABLE_NODE);
          node.setAttribute('tableId', 'B@food');
          own.insert(own.length, [node]);
        }),
      );
      // Step two: the cell write the takeover was for.
      hostile.sendUpdate(forge(hostile.doc, (doc) => annexTable(doc, 'B@food').set('new:natural', 999)));
      // Whichever comes first: the refusal, or the forged value reaching the lead office.
      const outcome = await Promise.race([
        hostile.closed.then((closed) => ({ outcome: 'closed', ...closed })),
        waitForDoc(suite.observer.doc, () => annexTable(suite.observer.doc, 'B@food').get('new:natural') === 999, 'the forged cell').then(() => ({ outcome: 'finance wrote B@food r1:c1 = 999' })),
      ]);
      // Placing an annex table node is the lead office's: the first step is already refused.
      expect.soft(outcome).toMatchObject({ outcome: 'closed', code: CloseCode.Forbidden, reason: expect.stringContaining('章节 overview-finance：只有政府办') });
      await hostile.close();

      // The food bureau still owns its table: its next cell write is accepted and finance's value never landed.
      const food = await syncedClient('food');
      const foodClosed: Array<{ code: number; reason: string }> = [];
      food.provider.on('connection-close', (event) => foodClosed.push({ code: event?.code ?? 0, reason: event?.reason ?? '' }));
      annexTable(food.doc, 'B@food').set('new:business', 8);
      await Promise.race([
        waitForDoc(suite.observer.doc, () => annexTable(suite.observer.doc, 'B@food').get('new:business') === 8, 'the food bureau’s cell after the takeover attempt'),
        waitForClose(food.provider).then((closed) => {
          throw new Error(`the food bureau's own table write was refused: ${closed.code} ${closed.reason}`);
        }),
      ]);
      expect(annexTable(suite.observer.doc, 'B@food').get('new:natural')).not.toBe(999);
      expect(foodClosed).toEqual([]);
      food.destroy();
    });
  });

  it('finance writing into its own section after the lead office locked it is refused naming the section', async () => {
    expect((await post(`/api/reports/${suite.reportId}/sections/overview-finance/lock`, 'lead')).status).toBe(200);
    try {
      const { reason } = await expectRefused('finance', (doc) => {
        sectionText(doc.getXmlFragment(BODY_FIELD), 'overview-finance').insert(0, '锁定后的修改');
      });
      expect(reason).toContain('overview-finance');
      expect(reason).toContain('locked');
    } finally {
      expect((await post(`/api/reports/${suite.reportId}/sections/overview-finance/unlock`, 'lead')).status).toBe(200);
    }
    await expectHonestEditWorks('finance', 'overview-finance', '解锁后的正常修改。');
  });

  it('an update whose earlier changes never arrived is refused as a missing dependency, even in finance’s own section', async () => {
    const stateBefore = await serverState();
    const storedBefore = await storedUpdates();
    const hostile = await hostileClient('finance');
    const text = () => sectionText(hostile.doc.getXmlFragment(BODY_FIELD), 'overview-finance');
    text().insert(0, '第一处');
    const afterFirst = Y.encodeStateVector(hostile.doc);
    text().insert(0, '第二处');
    hostile.sendUpdate(Y.encodeStateAsUpdate(hostile.doc, afterFirst));
    const closed = await hostile.closed;
    expect(closed.code).toBe(CloseCode.Forbidden);
    expect(closed.reason).toContain('missing-dependency');
    expect(await serverState()).toBe(stateBefore);
    expect(await storedUpdates()).toBe(storedBefore);
    await expectHonestEditWorks('finance', 'overview-finance', '依赖缺失之后的修改。');
  });

  it('an update deleting characters the server never received is refused as a missing dependency', async () => {
    const stateBefore = await serverState();
    const storedBefore = await storedUpdates();
    const hostile = await hostileClient('finance');
    const text = () => sectionText(hostile.doc.getXmlFragment(BODY_FIELD), 'overview-finance');
    text().insert(0, '从未发送');
    const afterInsert = Y.encodeStateVector(hostile.doc);
    text().delete(0, 4);
    // Only the deletion: it names clocks of a client the server has never heard of.
    hostile.sendUpdate(Y.encodeStateAsUpdate(hostile.doc, afterInsert));
    const closed = await hostile.closed;
    expect(closed.code).toBe(CloseCode.Forbidden);
    expect(closed.reason).toContain('missing-dependency');
    expect(await serverState()).toBe(stateBefore);
    expect(await storedUpdates()).toBe(storedBefore);
  });

  it('a refused update sent again on a new socket, as an update or as a SyncStep2, is refused again and nothing is stored', async () => {
    const stateBefore = await serverState();
    const storedBefore = await storedUpdates();
    const { update } = await expectRefused('finance', (doc) => {
      sectionText(doc.getXmlFragment(BODY_FIELD), 'overview-food').insert(0, '重放的内容');
    });
    for (const send of ['update', 'sync-step-2'] as const) {
      const again = await hostileClient('finance');
      if (send === 'update') again.sendUpdate(update);
      else again.sendSyncStep2(update);
      const closed = await again.closed;
      expect(closed.code).toBe(CloseCode.Forbidden);
      expect(closed.reason).toContain('overview-food');
    }
    expect(await serverState()).toBe(stateBefore);
    expect(await storedUpdates()).toBe(storedBefore);
    await expectHonestEditWorks('finance', 'overview-finance', '重放之后的正常修改。');
  });

  it('a stock client that reconnects with the refused change still in its document is refused again on reconnect', async () => {
    const stateBefore = await serverState();
    const storedBefore = await storedUpdates();
    const finance = await syncedClient('finance');
    const firstClose = waitForClose(finance.provider);
    sectionText(finance.body, 'overview-food').insert(0, '越权写入');
    const first = await firstClose;
    expect(first.code).toBe(CloseCode.Forbidden);
    expect(first.reason).toContain('overview-food');
    // 44xx is final for y-websocket: it does not reconnect by itself.
    expect(finance.provider.shouldConnect).toBe(false);

    // Reconnecting with the same document re-sends the refused content in its SyncStep2.
    const secondClose = waitForClose(finance.provider);
    finance.provider.connect();
    const second = await secondClose;
    expect(second.code).toBe(CloseCode.Forbidden);
    expect(second.reason).toContain('overview-food');
    finance.destroy();

    expect(await serverState()).toBe(stateBefore);
    expect(await storedUpdates()).toBe(storedBefore);
    expect(sectionText(suite.observer.body, 'overview-food').toString()).not.toContain('越权写入');
    await expectHonestEditWorks('finance', 'overview-finance', '换新文档后的正常修改。');
  });
});

describe('honest concurrent edits keep working beside the guard', () => {
  it('finance keeps typing in its own section while the lead office locks a different section', async () => {
    const storedBefore = await storedUpdates();
    const finance = await syncedClient('finance');
    const closes: number[] = [];
    finance.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
    const text = sectionText(finance.body, 'overview-finance');
    const typed = '预算执行情况良好';
    const locking = post(`/api/reports/${suite.reportId}/sections/overview-env/lock`, 'lead');
    let sent = '';
    for (const ch of typed) {
      text.insert(sent.length, ch);
      sent += ch;
      const expected = sent;
      await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-finance').toString().startsWith(expected), `"${expected}" to reach the lead office`);
    }
    const locked = await locking;
    expect(locked.status).toBe(200);
    expect(locked.json).toMatchObject({ id: 'overview-env', locked: true });
    // And after the lock is certainly committed.
    text.insert(sent.length, '。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-finance').toString().startsWith(`${typed}。`), 'the keystroke after the lock');

    expect(closes).toEqual([]);
    expect(finance.provider.wsconnected).toBe(true);
    expect(await storedUpdates()).toBe(storedBefore + typed.length + 1);
    expect((await post(`/api/reports/${suite.reportId}/sections/overview-env/unlock`, 'lead')).status).toBe(200);
    finance.destroy();
  });

  it('a department’s edit in its own section is accepted, stored once and reaches another department’s client', async () => {
    const storedBefore = await storedUpdates();
    const food = await syncedClient('food');
    const finance = await syncedClient('finance');
    sectionText(food.body, 'overview-food').insert(0, '食品抽检合格率稳步提升。');
    await waitForDoc(finance.doc, () => sectionText(finance.body, 'overview-food').toString().startsWith('食品抽检合格率稳步提升。'), 'the food bureau’s edit to reach finance');
    expect(await storedUpdates()).toBe(storedBefore + 1);
    expect(food.provider.wsconnected).toBe(true);
    expect(finance.body.toString()).toBe(food.body.toString());
    food.destroy();
    finance.destroy();
  });
});
