import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { findSectionElement } from '../../blocks/report-json.js';
import { launchChromium, loginInNewContext, paragraphText, placeCaret } from '../support/browser.js';
import { connectClient, firstReportId, login, sectionText, waitForDoc, type TestClient } from '../support/clients.js';
import { startLatencyProxy, type LatencyProxy } from '../support/latency-proxy.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/** The departments' answers arrive this late: every move finds keystrokes still on their way. */
const LATENCY_MS = 300;

let server: ServerProcess;
let proxy: LatencyProxy;
let browser: Browser;
let reportId: string;
let leadCookie: string;

beforeAll(async () => {
  server = await startServer();
  proxy = await startLatencyProxy(server.url, LATENCY_MS);
  browser = await launchChromium();
  leadCookie = await login(server.url, 'lead');
  reportId = await firstReportId(server.url, leadCookie);
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.kill('SIGTERM');
});

async function lead(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}/api/reports/${reportId}/${path}`, {
    method,
    headers: { cookie: leadCookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  expect(response.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

/** All the text of a section, as one string. */
function sectionPlain(body: Y.XmlFragment, sectionId: string): string {
  const section = findSectionElement(body, sectionId);
  if (!section) return '';
  const texts: string[] = [];
  const pending: unknown[] = [section];
  while (pending.length > 0) {
    const node = pending.shift();
    if (node instanceof Y.XmlText) texts.push(node.toDelta().map((part: { insert: unknown }) => (typeof part.insert === 'string' ? part.insert : '')).join(''));
    else if (node instanceof Y.XmlElement) pending.push(...node.toArray());
  }
  return texts.join('\n');
}

/** How much of `typed` the server already holds, from its start. */
function typedSoFar(body: Y.XmlFragment, sectionId: string, typed: string): number {
  const text = sectionPlain(body, sectionId);
  let length = typed.length;
  while (length > 0 && !text.includes(typed.slice(0, length))) length--;
  return length;
}

const sectionOrder = (body: Y.XmlFragment) => body.toArray().map((node) => (node instanceof Y.XmlElement ? node.getAttribute('sectionId') : null));

/** Counts the collaboration sockets a page loses. */
function countCollabCloses(page: Page, closes: { count: number }): void {
  page.on('websocket', (socket) => {
    if (socket.url().includes('/collab')) socket.on('close', () => closes.count++);
  });
}

describe('the lead office reorders the report while departments type in it', () => {
  it('moves, renames, additions and removals: nobody is expelled, every keystroke lands, comments stay on their text', async () => {
    const browserCloses = { count: 0 };
    const food = await loginInNewContext(browser, proxy.url, `/reports/${reportId}`, 'food', (page) => countCollabCloses(page, browserCloses));
    const finance = await loginInNewContext(browser, proxy.url, `/reports/${reportId}`, 'finance', (page) => countCollabCloses(page, browserCloses));
    const observer = connectClient(server.wsUrl, reportId, leadCookie);
    // A stock y-websocket client of the environment bureau types on in its own section throughout.
    let typist: TestClient | null = null;
    let typing: ReturnType<typeof setInterval> | null = null;
    let typistCloses = 0;
    try {
      await observer.synced;
      typist = connectClient(proxy.url.replace('http', 'ws') + '/collab', reportId, await login(server.url, 'env'));
      typist.provider.on('connection-close', () => typistCloses++);
      await typist.synced;

      // The food bureau comments on a stretch of its own text before anything moves.
      const anchoredText = sectionText(observer.body, 'overview-food');
      const quote = sectionPlain(observer.body, 'overview-food').slice(2, 10);
      const anchor = {
        from: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(anchoredText, 2)),
        to: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(anchoredText, 10)),
      };
      const foodCookie = await login(server.url, 'food');
      const posted = await fetch(`${server.url}/api/reports/${reportId}/comments`, {
        method: 'POST',
        headers: { cookie: foodCookie, 'content-type': 'application/json' },
        body: JSON.stringify({ section: 'overview-food', body: '此处数字待核对。', anchor, quote }),
      });
      expect(posted.status).toBe(201);
      const { id: commentId } = (await posted.json()) as { id: string };

      const foodText = '本年度共抽检食品样品一千二百批次，合格率百分之九十八点六，不合格产品均已依法处置并向社会公开。';
      const financeText = '本年度财政预决算及三公经费信息均在法定时限内公开，无一延误，公众查阅量较上年明显增加。';
      await placeCaret(food.page, 'overview-food', 'end');
      await placeCaret(finance.page, 'overview-finance', 'end');
      // From here on, with both editors open and synced, no socket may close.
      browserCloses.count = 0;
      const typistBody = typist.body;
      typing = setInterval(() => {
        const text = sectionText(typistBody, 'overview-env');
        text.insert(text.length, '环');
      }, 100);
      const typedByFood = food.page.keyboard.type(foodText, { delay: 50 });
      const typedByFinance = finance.page.keyboard.type(financeText, { delay: 50 });

      // The lead office acts while both are mid-sentence, each time the server has a little more.
      const after = (characters: number) => waitForDoc(observer.doc, () => typedSoFar(observer.body, 'overview-food', foodText) >= characters, `${characters} characters from the food bureau`, 30_000);
      await after(6);
      await lead('POST', 'sections/overview-food/move', { index: 0 });
      await after(12);
      await lead('POST', 'sections', { id: 'moves-extra', title: '七、补充说明', after: 'overview-food' });
      await lead('POST', 'sections/overview-finance/move', { index: 1 });
      await after(18);
      await lead('POST', 'sections/overview-food/retitle', { title: '（二）食品安全领域信息公开' });
      await lead('POST', 'sections/overview-food/move', { index: 6 });
      await after(26);
      await lead('DELETE', 'sections/moves-extra');
      await lead('POST', 'sections/overview-env/move', { index: 0 });
      await lead('POST', 'sections/overview-food/move', { index: 2 });
      await Promise.all([typedByFood, typedByFinance]);

      // Every keystroke of both departments is on the server, in order, in its own section.
      await waitForDoc(observer.doc, () => sectionPlain(observer.body, 'overview-food').includes(foodText), 'all of the food bureau’s typing', 30_000);
      await waitForDoc(observer.doc, () => sectionPlain(observer.body, 'overview-finance').includes(financeText), 'all of finance’s typing', 30_000);
      expect(sectionOrder(observer.body).slice(0, 3)).toEqual(['overview-env', 'overview-finance', 'overview-food']);
      await expect.poll(() => paragraphText(food.page, 'overview-food')).toContain(foodText);
      await expect.poll(() => paragraphText(finance.page, 'overview-finance')).toContain(financeText);
      clearInterval(typing);
      typing = null;

      // Nobody was expelled: no page lost its socket, the stock client never saw a close.
      expect(browserCloses.count).toBe(0);
      expect(typistCloses).toBe(0);
      expect(await food.page.getByTestId('notice').count()).toBe(0);

      // The comment is still on the same words, now in the section's third place in the report.
      const comments = (await (await fetch(`${server.url}/api/reports/${reportId}/comments`, { headers: { cookie: leadCookie } })).json()) as Array<{ id: string; anchor: { from: unknown; to: unknown } }>;
      const carried = comments.find((comment) => comment.id === commentId)!;
      const from = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(carried.anchor.from), observer.doc);
      const to = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(carried.anchor.to), observer.doc);
      expect(from && to && from.type === to.type && from.type === sectionText(observer.body, 'overview-food')).toBe(true);
      const words = sectionText(observer.body, 'overview-food').toDelta().map((part: { insert: unknown }) => (typeof part.insert === 'string' ? part.insert : '')).join('');
      expect(words.slice(from!.index, to!.index)).toBe(quote);
    } finally {
      if (typing) clearInterval(typing);
      typist?.destroy();
      observer.destroy();
      await food.context.close();
      await finance.context.close();
    }
  });
});
