import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAllSections, callApi, publishReport } from './support/publishing.js';
import { storedRows } from './support/stored.js';
import { useReportServer } from './support/report-server.js';
import { startServer } from './support/server-process.js';

// The external portal's receiver runs on loopback; the real server pushes each publication to it.

const SECRET = 'portal-shared-secret-0123456789';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answeredWith: number;
}

/** A receiver that answers 503 while `failuresLeft` lasts, then takes deliveries. */
function startReceiver(failures: number) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const answeredWith = receiver.failuresLeft > 0 ? 503 : 200;
      if (receiver.failuresLeft > 0) receiver.failuresLeft -= 1;
      received.push({ headers: request.headers, body, answeredWith });
      response.writeHead(answeredWith, { 'content-type': 'text/plain' }).end(answeredWith === 200 ? 'ok' : 'portal busy');
    });
  });
  const receiver = {
    received,
    failuresLeft: failures,
    listening: new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/annual-report`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}

function signatureHolds(delivery: Received): boolean {
  const timestamp = String(delivery.headers['x-report-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${delivery.body}`).digest('hex')}`);
  const given = Buffer.from(String(delivery.headers['x-report-signature-256']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const receiver = startReceiver(2);
let receiverUrl = '';
beforeAll(async () => {
  receiverUrl = await receiver.listening;
});
afterAll(() => receiver.close());

const suite = useReportServer({
  env: () => ({ WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: SECRET, WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_MAX_ATTEMPTS: '5' }),
});

describe('pushing publications to the external portal', () => {
  it('a receiver that fails twice gets the publication, correctly signed, on the third try, and the lead office sees it delivered', async () => {
    await approveAllSections(suite);
    const published = await publishReport(suite, '首次发布');

    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(3);
    expect(receiver.received.map((delivery) => delivery.answeredWith)).toEqual([503, 503, 200]);
    for (const delivery of receiver.received) expect(signatureHolds(delivery)).toBe(true);
    // One delivery, tried three times: the receiver can tell a retry from a new publication.
    expect(new Set(receiver.received.map((delivery) => delivery.headers['x-report-delivery'])).size).toBe(1);

    const payload = JSON.parse(receiver.received[2]!.body);
    expect(payload.event).toBe('publication');
    expect(payload.publication).toMatchObject({ id: published.id, version: 1, note: '首次发布', url: published.url, publishedBy: '王主任' });
    expect(payload.report).toMatchObject({ title: '示范区人民政府2025年政府信息公开工作年度报告', year: 2025, body: '示范区' });
    expect(payload.html).toContain('<html lang="zh-CN">');
    expect(payload.annex.tables.B.new.total).toBe(124);
    const attachments = payload.attachments as Array<{ name: string; contentType: string; base64: string }>;
    expect(attachments.map((a) => a.name).sort()).toEqual(['report.docx', 'report.pdf']);
    expect(Buffer.from(attachments.find((a) => a.name === 'report.pdf')!.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    await expect
      .poll(async () => (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/publications`, { as: 'lead' })).json[0].delivery, { timeout: 5000 })
      .toMatchObject({ status: 'delivered', attempts: 3, lastError: null });
  });

  it('a tampered body or a wrong secret does not verify', () => {
    const genuine = receiver.received[2]!;
    expect(signatureHolds({ ...genuine, body: genuine.body.replace('首次发布', '伪造发布') })).toBe(false);
    const forged = `sha256=${createHmac('sha256', 'not-the-secret-at-all').update(`${genuine.headers['x-report-timestamp']}.${genuine.body}`).digest('hex')}`;
    expect(signatureHolds({ ...genuine, headers: { ...genuine.headers, 'x-report-signature-256': forged } })).toBe(false);
  });

  it('the failed attempts are recorded with what the receiver answered', async () => {
    const rows = await storedRows<{ status: string; attempts: number; last_error: string | null }>(suite.server, 'select status, attempts, last_error from webhook_deliveries');
    expect(rows).toEqual([{ status: 'delivered', attempts: 3, last_error: null }]);
  });

  it('only a failed delivery can be sent again, and only by the lead office', async () => {
    const [publication] = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/publications`, { as: 'lead' })).json as Array<{ id: string }>;
    const redeliver = (id: string, as: string) => callApi(suite, 'POST', `/api/reports/${suite.reportId}/publications/${id}/redeliver`, { as });
    expect((await redeliver(publication!.id, 'finance')).status).toBe(403);
    expect((await redeliver('no-such-publication', 'lead')).status).toBe(404);
    const delivered = await redeliver(publication!.id, 'lead');
    expect(delivered.status).toBe(409);
    expect(delivered.json.error.message).toContain('只有推送失败的版本可以重新推送');
  });

  it('a delivery still pending when the server is killed is sent after the restart', async () => {
    receiver.received.length = 0;
    receiver.failuresLeft = Number.POSITIVE_INFINITY;
    const second = await publishReport(suite, '更正：第二部分文字');
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await suite.server.kill('SIGKILL');
    expect(await storedRows(suite.server, "select publication_id from webhook_deliveries where status = 'pending'")).toEqual([{ publication_id: second.id }]);

    receiver.failuresLeft = 0;
    const restarted = await startServer({ dataDir: suite.server.dataDir, env: { WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: SECRET, WEBHOOK_RETRY_BASE_MS: '200' } });
    try {
      await expect.poll(() => receiver.received.filter((delivery) => delivery.answeredWith === 200).length, { timeout: 15_000 }).toBe(1);
      const delivered = receiver.received.find((delivery) => delivery.answeredWith === 200)!;
      expect(JSON.parse(delivered.body).publication).toMatchObject({ id: second.id, version: 2 });
      expect(signatureHolds(delivered)).toBe(true);
    } finally {
      await restarted.kill('SIGTERM');
    }
  });
});

describe('without a webhook configured', () => {
  const plain = useReportServer();

  it('nothing is queued or sent, and the versions show no delivery', async () => {
    await approveAllSections(plain);
    await publishReport(plain, '首次发布');
    expect(await storedRows(plain.server, 'select * from webhook_deliveries')).toEqual([]);
    const versions = (await callApi(plain, 'GET', `/api/reports/${plain.reportId}/publications`, { as: 'lead' })).json;
    expect(versions[0].delivery).toBeNull();
  });
});
