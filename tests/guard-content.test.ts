import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { contentLimits } from '../blocks/content-limits.js';
import { BODY_FIELD, CloseCode } from '../blocks/contract.js';
import { login, sectionText, waitForDoc, waitForPresence } from './support/clients.js';
import { encodeMutable } from './support/guard-fuzz-forge.js';
import { forge, hostileClients, sectionElement } from './support/hostile-client.js';
import { useReportServer } from './support/report-server.js';

// Inside its OWN section a department can still try to hurt everyone: CSS smuggled through an
// attribute, megabytes in attributes nobody reads, shapes no browser survives, checks that recurse
// until the server stalls, someone else's Yjs client id. Each is refused before it is applied:
// 4403 naming the rule, every struct and deletion of the server's document as it was, nothing logged, and the
// same user's honest edit still arriving.

const suite = useReportServer();
const { hostileClient, serverState, storedUpdates, expectRefused, expectHonestEditWorks } = hostileClients(suite);

const OWN = 'overview-finance';

function element(name: string, attributes: Record<string, unknown> = {}, children: Array<Y.XmlElement | Y.XmlText> = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value as string);
  if (children.length > 0) node.insert(0, children);
  return node;
}

const paragraph = (text: string) => element('paragraph', {}, [new Y.XmlText(text)]);

/** Appends `child` to finance's own section. */
function appendToOwn(doc: Y.Doc, child: Y.XmlElement): void {
  const own = sectionElement(doc, OWN);
  own.insert(own.length, [child]);
}

/**
 * Nests `depth` elements named `name` at the end of finance's own section, one transaction per
 * level: the forger's own Yjs would recurse on a nest built in one go.
 */
function nestInOwn(doc: Y.Doc, name: string, depth: number): void {
  let parent = sectionElement(doc, OWN);
  for (let level = 0; level < depth; level++) {
    const child = new Y.XmlElement(name);
    parent.insert(parent.length, [child]);
    parent = child;
  }
}

function table(rows: Array<Array<Record<string, unknown>>>): Y.XmlElement {
  return element(
    'table',
    {},
    rows.map((cells) => element('tableRow', {}, cells.map((attributes) => element('tableCell', { colspan: 1, rowspan: 1, ...attributes }, [paragraph('1')])))),
  );
}

describe('content is judged by what it is, not only where it is', () => {
  it('refuses a table cell alignment carrying CSS (a full-page overlay and a request to an outside host)', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      appendToOwn(doc, table([[{ align: 'left; position: fixed; inset: 0; background: url(http://attacker.example/x)' }]]));
    });
    expect(reason).toContain('align');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：对齐之后。');
  });

  it('refuses an attribute the schema does not know, even of megabytes, and stores nothing', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      (sectionElement(doc, OWN).get(0) as Y.XmlElement).setAttribute('data-payload', 'x'.repeat(3.5 * 1024 * 1024));
    });
    expect(reason).toContain('has no attribute "data-payload"');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：未知属性之后。');
  });

  it('refuses a link whose attributes carry megabytes or a script address', async () => {
    const big = await expectRefused('finance', (doc) => {
      sectionText(doc.getXmlFragment(BODY_FIELD), OWN).format(0, 4, { link: { href: 'https://www.gov.cn', title: '长'.repeat(1024 * 1024) } });
    });
    expect(big.reason).toContain('link: title');
    const script = await expectRefused('finance', (doc) => {
      sectionText(doc.getXmlFragment(BODY_FIELD), OWN).format(0, 4, { link: { href: 'javascript:alert(1)' } });
    });
    expect(script.reason).toContain('link: href');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：链接之后。');
  });

  it(`refuses more than ${contentLimits.maxFormatsPerUpdate} formatting changes in one update`, async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      const text = sectionText(doc.getXmlFragment(BODY_FIELD), OWN);
      text.insert(0, '加'.repeat(5000));
      for (let i = 0; i < 5000; i += 2) text.format(i, 1, { bold: {} });
    });
    expect(reason).toContain('maxFormatsPerUpdate');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：格式之后。');
  });

  it('refuses 2,000 nested blockquotes (every browser opening the report would crash), naming the depth limit', async () => {
    const { reason } = await expectRefused('finance', (doc) => nestInOwn(doc, 'blockquote', 2000));
    expect(reason).toContain('maxDepth');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：嵌套之后。');
  });

  it('accepts the deepest nesting the limit allows, and the lead office receives it', async () => {
    const storedBefore = await storedUpdates();
    const hostile = await hostileClient('finance');
    hostile.sendUpdate(
      forge(hostile.doc, (doc) => {
        // The section is level 1: blockquotes down to maxDepth - 1, and a paragraph at maxDepth.
        let parent = sectionElement(doc, OWN);
        for (let level = 2; level < contentLimits.maxDepth; level++) {
          const quote = new Y.XmlElement('blockquote');
          parent.insert(parent.length, [quote]);
          parent = quote;
        }
        parent.insert(0, [paragraph('最深的一段')]);
      }),
    );
    await waitForDoc(suite.observer.doc, () => sectionElement(suite.observer.doc, OWN).toString().includes('最深的一段'), 'the deepest allowed nesting');
    expect(await storedUpdates()).toBe(storedBefore + 1);
    expect(hostile.socket.readyState).toBe(hostile.socket.OPEN);
    await hostile.close();
  });

  it('refuses a span of 20,000,000 columns and a row wider than the limit', async () => {
    const span = await expectRefused('finance', (doc) => appendToOwn(doc, table([[{ colspan: 20_000_000 }]])));
    expect(span.reason).toContain('colspan');
    const wide = await expectRefused('finance', (doc) => appendToOwn(doc, table([Array.from({ length: contentLimits.maxTableColumns + 1 }, () => ({}))])));
    expect(wide.reason).toContain('maxTableColumns');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：表格之后。');
  });

  it(`refuses growing a section past ${contentLimits.maxSectionLength} characters`, async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      sectionText(doc.getXmlFragment(BODY_FIELD), OWN).insert(0, '长'.repeat(contentLimits.maxSectionLength));
    });
    expect(reason).toContain('maxSectionLength');
    await expectHonestEditWorks('finance', OWN, '财政局正常修改：长度之后。');
  });

  it('eight 6,000-deep frames at once are refused without stalling anyone: another user’s edit still arrives', async () => {
    const stateBefore = await serverState();
    const storedBefore = await storedUpdates();
    // Eight logins: a session may hold only a few sockets.
    const attackers = await Promise.all(Array.from({ length: 8 }, async () => hostileClient('finance', await login(suite.server.url, 'finance'))));
    // One forged frame serves all eight: building a 6,000-deep nest takes the forger seconds.
    const frame = forge(attackers[0]!.doc, (doc) => nestInOwn(doc, 'blockquote', 6000));
    const food = await suite.syncedClient('food');
    const started = performance.now();
    attackers.forEach((attacker) => attacker.sendUpdate(frame));
    sectionText(food.body, 'overview-food').insert(0, '食品安全：攻击期间的正常修改。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-food').toString().startsWith('食品安全：攻击期间的正常修改。'), 'the food bureau’s edit during the attack');
    const closes = await Promise.all(attackers.map((attacker) => attacker.closed));
    // Before, the recursive checks held the whole server for 39 s; a generous bound, not a benchmark.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(closes.map((closed) => closed.code)).toEqual(Array(8).fill(CloseCode.Forbidden));
    expect(closes[0]!.reason).toContain('maxDepth');
    expect(await storedUpdates()).toBe(storedBefore + 1);
    expect(await serverState()).not.toBe(stateBefore);
    food.destroy();
  });
});

/** An awareness message announcing `state` under `clientID`, as a raw socket would send it. */
function awarenessFrame(clientID: number, state: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(state);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [clientID]));
  awareness.destroy();
  return encoding.toUint8Array(encoder);
}

describe('a socket writes only under its own Yjs client ids', () => {
  it('finance writing under the food bureau’s client id is refused, and the food bureau’s next keystroke still lands', async () => {
    const food = await suite.syncedClient('food');
    sectionText(food.body, 'overview-food').insert(0, '食品：第一笔。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-food').toString().startsWith('食品：第一笔。'), 'the food bureau’s first edit');

    const { reason } = await expectRefused('finance', (doc) => {
      doc.clientID = food.doc.clientID;
      sectionText(doc.getXmlFragment(BODY_FIELD), OWN).insert(0, '冒用食品局的客户端标识');
    });
    expect(reason).toContain(`client id ${food.doc.clientID} belongs to another user`);

    sectionText(food.body, 'overview-food').insert(0, '食品：第二笔。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-food').toString().startsWith('食品：第二笔。'), 'the food bureau’s next edit');
    expect(food.provider.wsconnected).toBe(true);
    food.destroy();
  });

  it('an id learned from presence is refused too, before its owner has written anything', async () => {
    const env = await suite.syncedClient('env');
    // Presence as the editor announces it (a first, empty state is not passed on by Yjs's protocol).
    env.provider.awareness.setLocalStateField('sectionId', 'overview-env');
    await waitForPresence(suite.observer.provider.awareness, () => suite.observer.provider.awareness.getStates().has(env.doc.clientID), 'the environment bureau’s presence');

    const { reason } = await expectRefused('finance', (doc) => {
      doc.clientID = env.doc.clientID;
      sectionText(doc.getXmlFragment(BODY_FIELD), OWN).insert(0, '冒用生态环境局的在线标识');
    });
    expect(reason).toContain('belongs to another user');
    sectionText(env.body, 'overview-env').insert(0, '环境：自己的修改。');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-env').toString().startsWith('环境：自己的修改。'), 'the environment bureau’s own edit');
    env.destroy();
  });

  it('another user cannot take over a presence id while its owner reconnects', async () => {
    const food = await suite.syncedClient('food');
    food.provider.awareness.setLocalStateField('sectionId', 'overview-food');
    const victim = food.doc.clientID;
    const shownAs = () => (suite.observer.provider.awareness.getStates().get(victim) as { user?: { username?: string } } | undefined)?.user?.username;
    await waitForPresence(suite.observer.provider.awareness, () => shownAs() === 'food', 'the food bureau’s presence');
    food.provider.disconnect();
    await waitForPresence(suite.observer.provider.awareness, () => !suite.observer.provider.awareness.getStates().has(victim), 'the food bureau’s presence to go');

    const hostile = await hostileClient('finance');
    hostile.socket.send(awarenessFrame(victim, { cursor: null, note: '冒名顶替' }));
    // Finance's own presence, sent after: once it shows, the forged one has been judged.
    hostile.socket.send(awarenessFrame(hostile.doc.clientID, { cursor: null }));
    await waitForPresence(suite.observer.provider.awareness, () => suite.observer.provider.awareness.getStates().has(hostile.doc.clientID), 'finance’s own presence');
    expect(suite.observer.provider.awareness.getStates().has(victim)).toBe(false);

    food.provider.connect();
    food.provider.awareness.setLocalStateField('sectionId', 'overview-food');
    await waitForPresence(suite.observer.provider.awareness, () => shownAs() === 'food', 'the food bureau’s presence after reconnecting');
    await hostile.close();
    food.destroy();
  });
});

describe('structs that trick Yjs instead of the guard (found by the fuzzer)', () => {
  /** One keystroke of `doc`'s client in finance's own section, decoded to be tampered with. */
  function keystroke(doc: Y.Doc, text = '改'): Y.Item {
    const update = forge(doc, (replica) => sectionText(replica.getXmlFragment(BODY_FIELD), OWN).insert(0, text));
    return Y.decodeUpdate(update).structs[0] as Y.Item;
  }

  it('an item that names itself as its neighbour is refused as malformed, and nobody else is sent away', async () => {
    const hostile = await hostileClient('finance');
    const item = keystroke(hostile.doc);
    item.rightOrigin = Y.createID(item.id.client, item.id.clock);
    const storedBefore = await storedUpdates();
    hostile.sendUpdate(encodeMutable({ groups: [{ client: item.id.client, start: item.id.clock, structs: [item] }], deletes: [] }));
    const closed = await hostile.closed;
    expect(closed.code).toBe(CloseCode.MalformedMessage);
    expect(closed.reason).toContain('comes after it');
    expect(await storedUpdates()).toBe(storedBefore);
    expect(suite.observer.provider.wsconnected).toBe(true);
    await expectHonestEditWorks('food', 'overview-food', '食品：自指之后。');
  });

  it('a struct that overlaps what the server holds but names another section’s place is refused; that section is unchanged', async () => {
    const hostile = await hostileClient('finance');
    const typed = forge(hostile.doc, (doc) => sectionText(doc.getXmlFragment(BODY_FIELD), OWN).insert(0, '甲乙'));
    hostile.sendUpdate(typed);
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, OWN).toString().startsWith('甲乙'), 'the honest keystrokes');
    // The same clocks again, one character longer, declared next to a character of the food bureau's section.
    const [first] = Y.decodeUpdate(typed).structs as Y.Item[];
    const food = sectionText(hostile.doc.getXmlFragment(BODY_FIELD), 'overview-food');
    const foodBefore = sectionText(suite.observer.body, 'overview-food').toString();
    const overlapping = new Y.Item(first!.id, null, (food._start as Y.Item).id, null, null, null, null, new Y.ContentString('甲乙伪'));
    const storedBefore = await storedUpdates();
    hostile.sendUpdate(encodeMutable({ groups: [{ client: first!.id.client, start: first!.id.clock, structs: [overlapping] }], deletes: [] }));
    const closed = await hostile.closed;
    expect(closed.code).toBe(CloseCode.MalformedMessage);
    expect(closed.reason).toContain('overlaps');
    expect(await storedUpdates()).toBe(storedBefore);
    expect(sectionText(suite.observer.body, 'overview-food').toString()).toBe(foodBefore);
  });

  it('a department emptying its own section keeps the section: the server puts an empty paragraph back, and nobody is refused', async () => {
    const hostile = await hostileClient('finance');
    const own = sectionElement(hostile.doc, OWN);
    hostile.sendUpdate(forge(hostile.doc, () => own.delete(0, own.length)));
    const emptied = () => {
      const section = sectionElement(suite.observer.doc, OWN);
      const only = section.get(0);
      return section.length === 1 && only instanceof Y.XmlElement && only.nodeName === 'paragraph' && only.length === 0;
    };
    await waitForDoc(suite.observer.doc, emptied, 'the emptied section holding one empty paragraph');
    expect(hostile.socket.readyState).toBe(hostile.socket.OPEN);
    await hostile.close();
    // The department writes again into the paragraph the server put back.
    const again = await hostileClient('finance');
    again.sendUpdate(forge(again.doc, (doc) => (sectionElement(doc, OWN).get(0) as Y.XmlElement).insert(0, [new Y.XmlText('财政局重新写起。')])));
    await waitForDoc(suite.observer.doc, () => sectionElement(suite.observer.doc, OWN).toString().includes('财政局重新写起。'), 'the new text');
    await again.close();
  });
});

