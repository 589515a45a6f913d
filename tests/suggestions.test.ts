import { beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import * as Y from 'yjs';
import { BODY_FIELD, SUGGESTIONS_FIELD } from '../blocks/contract.js';
import type { SuggestionEntry } from '../blocks/suggestions.js';
import { getJson, sectionText, waitForDoc } from './support/clients.js';
import { hostileClients } from './support/hostile-client.js';
import { useReportServer } from './support/report-server.js';
import { storedRows } from './support/stored.js';
import { approveAllSections, callApi, publishReport } from './support/publishing.js';
import { docxAsHtml, pdfText } from './support/documents.js';

// Suggestions (修订): a reviewer proposes a change in a section that is not theirs; everyone sees
// it at once, the section's accepted text does not change until its department (or the lead
// office) accepts it, and no one can suggest under another's name, withdraw another's
// suggestion or change accepted text by suggesting. Stock y-websocket clients and raw-Yjs
// forgers against a real server.

const suite = useReportServer();
const { cookieOf, syncedClient } = suite;
const { storedUpdates, expectRefused } = hostileClients(suite);

interface Me {
  id: number;
  name: string;
  department: string;
  color: string;
}
const people = new Map<string, Me>();
const me = (username: string) => people.get(username)!;

beforeAll(async () => {
  for (const username of ['lead', 'finance', 'food', 'env']) people.set(username, await getJson<Me>(suite.server.url, '/api/me', await cookieOf(username)));
});

async function post(path: string, username: string, body?: unknown) {
  const response = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/${path}`, {
    method: 'POST',
    headers: { cookie: await cookieOf(username), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

let nonce = 0;
/** A suggestion by `username` to replace characters [from, to) of the section's first paragraph with `text`. */
function suggestion(doc: Y.Doc, username: string, sectionId: string, from: number, to: number, text: string): { key: string; entry: SuggestionEntry } {
  const paragraph = sectionText(doc.getXmlFragment(BODY_FIELD), sectionId);
  const author = me(username);
  const position = (index: number) => Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(paragraph, index)) as SuggestionEntry['from'];
  return {
    key: `${author.id}:test-${++nonce}-suggestion`,
    entry: {
      sectionId,
      from: position(from),
      to: position(to),
      text,
      quote: paragraph.toString().slice(from, to),
      author: author.name,
      department: author.department,
      color: author.color,
      at: Date.now(),
    },
  };
}

const pending = (doc: Y.Doc) => doc.getMap<SuggestionEntry>(SUGGESTIONS_FIELD);

/** `username` suggests through a stock client; resolves once the lead office's copy has the suggestion. */
async function propose(username: string, sectionId: string, from: number, to: number, text: string) {
  const client = await syncedClient(username);
  const made = suggestion(client.doc, username, sectionId, from, to, text);
  pending(client.doc).set(made.key, made.entry);
  await waitForDoc(suite.observer.doc, () => pending(suite.observer.doc).has(made.key), `${username}’s suggestion to reach the lead office`);
  return { client, ...made };
}
const foodText = () => sectionText(suite.observer.body, 'overview-food').toString();

describe('suggesting in a section that is not one’s own', () => {
  let key: string;

  it('finance suggests a change in the food bureau’s section: everyone sees it at once, and the section’s text does not change', async () => {
    const before = foodText();
    const { client: finance, ...made } = await propose('finance', 'overview-food', 0, 2, '本年度');
    key = made.key;
    expect(pending(suite.observer.doc).get(made.key)).toEqual(made.entry);
    expect(foodText()).toBe(before);
    // The food bureau is told, once for a sitting of suggestions; finance, who suggested, is not.
    const told = async (username: string) => ((await getJson<Array<{ kind: string; text: string }>>(suite.server.url, '/api/notifications', await cookieOf(username))).filter((notification) => notification.kind === 'suggestion'));
    await expect.poll(() => told('food')).toEqual([expect.objectContaining({ text: expect.stringMatching(/^示范区财政局 李会计对《.+》「.+」提出了修改建议$/) })]);
    const again = suggestion(finance.doc, 'finance', 'overview-food', 4, 5, '又');
    pending(finance.doc).set(again.key, again.entry);
    await waitForDoc(suite.observer.doc, () => pending(suite.observer.doc).has(again.key), 'the second suggestion');
    pending(finance.doc).delete(again.key);
    await waitForDoc(suite.observer.doc, () => !pending(suite.observer.doc).has(again.key), 'its withdrawal');
    expect(await told('food')).toHaveLength(1);
    expect(await told('finance')).toEqual([]);
  });

  it('finance may not decide on suggestions in a section it does not write: 403, and nothing changes', async () => {
    const stored = await storedUpdates();
    const answer = await post('sections/overview-food/suggestions/decide', 'finance', { decision: 'accept', keys: [key] });
    expect([answer.status, answer.json.error.code]).toEqual([403, 'not-your-section']);
    expect(await storedUpdates()).toBe(stored);
    expect(pending(suite.observer.doc).has(key)).toBe(true);
  });

  it('the food bureau accepts it: the suggested words replace the ones they replace, and the history and the audit say who decided', async () => {
    const quote = pending(suite.observer.doc).get(key)!.quote;
    const rest = foodText().slice(quote.length);
    const answer = await post('sections/overview-food/suggestions/decide', 'food', { decision: 'accept', keys: [key] });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.decided).toEqual([key]);
    await waitForDoc(suite.observer.doc, () => !pending(suite.observer.doc).has(key), 'the suggestion to be gone');
    expect(foodText()).toBe(`本年度${rest}`);
    const [audit] = await storedRows<{ action: string; detail: string; user_id: number }>(suite.server, "select action, detail, user_id from audit_log where section_id = 'overview-food' order by id desc limit 1");
    expect(audit).toMatchObject({ action: 'suggestions-accepted', user_id: me('food').id });
    expect(JSON.parse(audit!.detail).suggestions).toEqual([{ key, author: '李会计', quote, text: '本年度' }]);
  });

  it('a rejected suggestion is removed and the text stays as it was', async () => {
    const made = await propose('finance', 'overview-food', 3, 5, '');
    const before = foodText();
    expect((await post('sections/overview-food/suggestions/decide', 'lead', { decision: 'reject', author: me('finance').id })).status).toBe(200);
    await waitForDoc(suite.observer.doc, () => !pending(suite.observer.doc).has(made.key), 'the suggestion to be rejected');
    expect(foodText()).toBe(before);
  });

  it('typing around a pending suggestion in two clients converges with the suggestion on its words; accepting then replaces exactly them', async () => {
    const [finance, food, env] = await Promise.all([syncedClient('finance'), syncedClient('food'), syncedClient('env')]);
    const paragraph = (client: typeof food) => sectionText(client.body, 'overview-food');
    const original = paragraph(food).toString();
    const made = suggestion(finance.doc, 'finance', 'overview-food', 4, 8, '【建议文字】');
    pending(finance.doc).set(made.key, made.entry);
    await waitForDoc([food.doc, suite.observer.doc], () => pending(food.doc).has(made.key) && pending(suite.observer.doc).has(made.key), 'the suggestion everywhere');
    // The food bureau types before and after the suggested words at once, from two places.
    const second = await syncedClient('food');
    paragraph(food).insert(0, '甲');
    paragraph(second).insert(paragraph(second).length, '乙');
    const expected = `甲${original}乙`;
    await waitForDoc([food.doc, second.doc, env.doc, suite.observer.doc], () => [food, second, env, suite.observer].every((client) => paragraph(client).toString() === expected), 'both edits everywhere');
    expect(pending(env.doc).get(made.key)).toEqual(made.entry);

    expect((await post('sections/overview-food/suggestions/decide', 'food', { decision: 'accept', keys: [made.key] })).status).toBe(200);
    const accepted = `甲${original.slice(0, 4)}【建议文字】${original.slice(8)}乙`;
    await waitForDoc([env.doc, suite.observer.doc], () => paragraph(env).toString() === accepted && paragraph(suite.observer).toString() === accepted, 'the accepted suggestion everywhere');
  });

  it('a suggestion that starts new paragraphs: accepting ends the paragraph there, and the last new one goes on with the rest of it, its formatting kept', async () => {
    const food = await syncedClient('food');
    sectionText(food.body, 'overview-food').format(6, 2, { bold: {} });
    const boldAt = (text: Y.XmlText) => (text.toDelta() as Array<{ insert: string; attributes?: object }>).filter((op) => op.attributes && 'bold' in op.attributes).map((op) => op.insert);
    await waitForDoc(suite.observer.doc, () => boldAt(sectionText(suite.observer.body, 'overview-food')).length > 0, 'the bold words');
    const plain = (text: Y.XmlText) => (text.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('');
    const original = plain(sectionText(suite.observer.body, 'overview-food'));
    const section = () => suite.observer.body.toArray().find((node) => node instanceof Y.XmlElement && node.getAttribute('sectionId') === 'overview-food') as Y.XmlElement;
    const paragraphs = () => section().toArray().map((node) => (node as Y.XmlElement).toArray().map((child) => (child instanceof Y.XmlText ? plain(child) : `<${(child as Y.XmlElement).nodeName}>`)).join(''));
    const before = paragraphs();

    // Accepted together with a change before it in the same words: neither moves the other.
    const earlier = await propose('finance', 'overview-food', 1, 2, '首先');
    const made = await propose('finance', 'overview-food', 4, 4, '甲\n乙段\n丙');
    const answer = await post('sections/overview-food/suggestions/decide', 'food', { decision: 'accept', keys: [earlier.key, made.key] });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    await waitForDoc(suite.observer.doc, () => !pending(suite.observer.doc).has(made.key), 'the suggestion to be accepted');
    expect(paragraphs()).toEqual([`${original[0]}首先${original.slice(2, 4)}甲`, '乙段', `丙${original.slice(4)}`, ...before.slice(1)]);
    const third = (section().get(2) as Y.XmlElement).get(0) as Y.XmlText;
    expect(boldAt(third)).toEqual([original.slice(6, 8)]);
    expect(section().toArray().map((node) => (node as Y.XmlElement).nodeName)).toEqual(Array(before.length + 2).fill('paragraph'));
  });

  it('accepting a suggestion whose words were changed meanwhile is refused with 409, and nothing changes', async () => {
    const [finance, food] = await Promise.all([syncedClient('finance'), syncedClient('food')]);
    const made = suggestion(finance.doc, 'finance', 'overview-food', 2, 6, '替换');
    pending(finance.doc).set(made.key, made.entry);
    await waitForDoc(food.doc, () => pending(food.doc).has(made.key), 'the suggestion');
    sectionText(food.body, 'overview-food').insert(4, '插');
    await waitForDoc(suite.observer.doc, () => foodText().slice(4, 5) === '插', 'the edit inside the suggested words');
    const stored = await storedUpdates();
    const answer = await post('sections/overview-food/suggestions/decide', 'food', { decision: 'accept', keys: [made.key] });
    expect([answer.status, answer.json.error.code]).toEqual([409, 'suggestion-outdated']);
    expect(await storedUpdates()).toBe(stored);
    expect(pending(suite.observer.doc).has(made.key)).toBe(true);
    expect((await post('sections/overview-food/suggestions/decide', 'food', { decision: 'reject', keys: [made.key] })).status).toBe(200);
  });
});

describe('the draft with its revisions (修订)', () => {
  it('shows pending suggestions as Word revisions with their authors; the clean draft leaves them out', async () => {
    const { client: finance, ...made } = await propose('finance', 'overview-env', 2, 6, '建议的新词');
    const documentXml = async (query: string) => {
      const answer = await fetch(`${suite.server.url}/api/reports/${suite.reportId}/draft.docx${query}`, { headers: { cookie: await cookieOf('lead') } });
      expect(answer.status).toBe(200);
      return (await JSZip.loadAsync(await answer.arrayBuffer())).file('word/document.xml')!.async('string');
    };
    const withRevisions = await documentXml('?revisions=1');
    const inserted = /<w:ins w:id="\d+" w:author="([^"]+)" w:date="([^"]+)">(.*?)<\/w:ins>/.exec(withRevisions);
    expect(inserted?.[1]).toBe('李会计');
    expect(new Date(inserted![2]!).getTime()).toBeGreaterThan(Date.now() - 600_000);
    expect(inserted![3]).toContain('建议的新词');
    const deleted = /<w:del w:id="\d+" w:author="([^"]+)" w:date="[^"]+">(.*?)<\/w:del>/.exec(withRevisions);
    expect(deleted?.[1]).toBe('李会计');
    expect(deleted![2]).toContain(`<w:delText xml:space="preserve">${made.entry.quote}</w:delText>`);
    // The deleted words come before the inserted ones, where the suggestion replaces them.
    expect(withRevisions.indexOf(made.entry.quote)).toBeLessThan(withRevisions.indexOf('建议的新词'));

    const clean = await documentXml('');
    expect(clean).not.toContain('建议的新词');
    expect(clean).not.toContain('<w:ins ');
    expect(clean).toContain(made.entry.quote);
    pending(finance.doc).delete(made.key);
    await waitForDoc(suite.observer.doc, () => !pending(suite.observer.doc).has(made.key), 'the withdrawal');
  });
});

describe('a hostile client written with raw Yjs', () => {
  it('a suggestion under another user’s id is refused with 4403, and nothing changes', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '伪造');
      pending(doc).set(`${me('env').id}:forged-under-env`, made.entry);
    });
    expect(reason).toContain('another user');
  });

  it('a suggestion signed with another’s name or department is refused with 4403', async () => {
    await expectRefused('finance', (doc) => {
      const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '伪造');
      pending(doc).set(made.key, { ...made.entry, author: '陈工程师', department: 'env' });
    });
  });

  it('a suggestion whose ends lie in another section than it names is refused with 4403', async () => {
    const { reason } = await expectRefused('finance', (doc) => {
      const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '错位');
      pending(doc).set(made.key, { ...made.entry, sectionId: 'overview-food' });
    });
    expect(reason).toContain('not in section overview-food');
  });

  it('a suggestion in a locked section is refused with 4403', async () => {
    expect((await post('sections/overview-env/lock', 'lead')).status).toBe(200);
    try {
      const { reason } = await expectRefused('finance', (doc) => {
        const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '锁定后');
        pending(doc).set(made.key, made.entry);
      });
      expect(reason).toContain('locked');
    } finally {
      expect((await post('sections/overview-env/unlock', 'lead')).status).toBe(200);
    }
  });

  it('withdrawing someone else’s suggestion is refused with 4403; the author may withdraw their own', async () => {
    const { client: env, ...made } = await propose('env', 'overview-finance', 0, 2, '环境局的建议');
    await expectRefused('finance', (doc) => pending(doc).delete(made.key));
    expect(pending(suite.observer.doc).has(made.key)).toBe(true);
    pending(env.doc).delete(made.key);
    await waitForDoc(suite.observer.doc, () => !pending(suite.observer.doc).has(made.key), 'the withdrawal');
  });

  it('a malformed suggestion (an extra field, a huge text, a nested type, too many new paragraphs, control characters) is refused as invalid content', async () => {
    for (const change of [
      (doc: Y.Doc) => {
        const made = suggestion(doc, 'finance', 'overview-env', 0, 2, 'x');
        pending(doc).set(made.key, { ...made.entry, style: 'color:red' } as SuggestionEntry);
      },
      (doc: Y.Doc) => {
        const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '长'.repeat(2001));
        pending(doc).set(made.key, made.entry);
      },
      (doc: Y.Doc) => {
        (doc.getMap(SUGGESTIONS_FIELD) as Y.Map<unknown>).set(`${me('finance').id}:nested-type`, new Y.Map());
      },
      (doc: Y.Doc) => {
        const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '段\n'.repeat(21));
        pending(doc).set(made.key, made.entry);
      },
      (doc: Y.Doc) => {
        const made = suggestion(doc, 'finance', 'overview-env', 0, 2, '隐\u0000藏\u001b');
        pending(doc).set(made.key, made.entry);
      },
    ]) {
      const { reason } = await expectRefused('finance', change);
      expect(reason).toContain('invalid content');
    }
  });
});

describe('publishing with suggestions pending', () => {
  it('publishes the text as accepted: the portal’s page, its DOCX and its PDF never show a pending suggestion', async () => {
    const made = await propose('env', 'overview-finance', 0, 4, '尚未接受的建议文字');
    await approveAllSections(suite);
    const published = await publishReport(suite, '含待处理建议时发布');
    const page = await callApi(suite, 'GET', published.url);
    expect(page.text).toContain(made.entry.quote);
    expect(page.text).not.toContain('尚未接受的建议文字');
    const docx = await callApi(suite, 'GET', `${published.url}/report.docx`);
    expect(await docxAsHtml(docx.bytes)).not.toContain('尚未接受的建议文字');
    const pdf = await pdfText((await callApi(suite, 'GET', `${published.url}/report.pdf`)).bytes);
    expect(pdf.pages.join('')).not.toContain('尚未接受的建议文字');
    // Still pending, for the department to decide on.
    expect(pending(suite.observer.doc).has(made.key)).toBe(true);
  });
});
