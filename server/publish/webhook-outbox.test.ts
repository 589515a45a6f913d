import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db/database.js';
import { insertPublication } from '../db/publications.js';
import { openDemoDatabase, type DemoDatabase } from '../demo/demo-database.fixture.js';
import { signDelivery, WebhookOutbox, type WebhookConfig } from './webhook-outbox.js';

// The outbox against a real database (SQLite; PostgreSQL in the postgres project) and a receiver
// on loopback that is down until told otherwise.

let demo: DemoDatabase;
let database: OpenedDatabase;
let receiverUrl: string;
let receiverUp = false;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
const receiver = http.createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.writeHead(receiverUp ? 204 : 500).end();
  });
});

beforeAll(async () => {
  demo = await openDemoDatabase('webhook-outbox-test');
  database = demo.database;
  const report = await database.db.selectFrom('reports').select('id').orderBy('year', 'desc').executeTakeFirstOrThrow();
  const lead = await database.db.selectFrom('users').select('id').where('username', '=', 'lead').executeTakeFirstOrThrow();
  await insertPublication(database.db, {
    id: 'pub-under-test-01',
    report_id: report.id,
    version: 1,
    note: '',
    content_hash: 'x',
    html: '<!doctype html>',
    annex: '{}',
    sections: '[]',
    published_by: lead.id,
    published_at: Date.now(),
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await demo.dispose();
});

function outbox(config: WebhookConfig | null) {
  return new WebhookOutbox({
    db: database.db,
    config,
    payload: async (publicationId, deliveryId) => ({ publicationId, deliveryId, text: '示范区年报' }),
    now: Date.now,
    onStatus: () => undefined,
    onError: (error) => {
      throw error;
    },
  });
}

describe('the webhook outbox', () => {
  it('without a configured receiver, queues nothing', async () => {
    const unconfigured = outbox(null);
    expect(unconfigured.configured).toBe(false);
    await unconfigured.enqueue(database.db, 'pub-under-test-01');
    expect(await database.db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
  });

  it('gives up after the configured attempts with the last answer recorded, and sends again when the lead office asks', async () => {
    const config = { url: receiverUrl, secret: 'a-secret-of-sixteen+', retryBaseMs: 20, maxAttempts: 3, timeoutMs: 2000 };
    const box = outbox(config);
    await box.enqueue(database.db, 'pub-under-test-01');
    box.start();
    try {
      await expect.poll(async () => (await box.statusOf(['pub-under-test-01'])).get('pub-under-test-01')?.status, { timeout: 5000 }).toBe('failed');
      expect(received).toHaveLength(3);
      expect((await box.statusOf(['pub-under-test-01'])).get('pub-under-test-01')).toMatchObject({ attempts: 3, last_error: 'HTTP 500', next_attempt_at: null });

      receiverUp = true;
      expect(await box.retry('pub-under-test-01')).toBe(true);
      await expect.poll(async () => (await box.statusOf(['pub-under-test-01'])).get('pub-under-test-01')?.status, { timeout: 5000 }).toBe('delivered');
      expect(received).toHaveLength(4);
      expect(await box.retry('pub-under-test-01')).toBe(false);
    } finally {
      await box.stop();
    }

    const last = received[3]!;
    const timestamp = String(last.headers['x-report-timestamp']);
    expect(last.headers['x-report-signature-256']).toBe(signDelivery(config.secret, timestamp, last.body));
    expect(JSON.parse(last.body)).toMatchObject({ publicationId: 'pub-under-test-01', text: '示范区年报' });
  });

  it('waits twice as long before each further retry', async () => {
    receiverUp = false;
    received.length = 0;
    const box = outbox({ url: receiverUrl, secret: 'a-secret-of-sixteen+', retryBaseMs: 150, maxAttempts: 4, timeoutMs: 2000 });
    const arrivals: number[] = [];
    const arrival = () => arrivals.push(performance.now());
    receiver.on('request', arrival);
    await database.db.deleteFrom('webhook_deliveries').execute();
    await box.enqueue(database.db, 'pub-under-test-01');
    box.start();
    try {
      await expect.poll(() => arrivals.length, { timeout: 8000 }).toBe(4);
    } finally {
      await box.stop();
      receiver.off('request', arrival);
    }
    const gaps = arrivals.slice(1).map((at, index) => at - arrivals[index]!);
    // 150, 300 and 600 ms: each gap at least its wait, and the waits doubling rather than fixed.
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    expect(gaps[2]).toBeGreaterThanOrEqual(590);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]! * 2);
  });

  it('two outboxes draining one table — two server processes — send each delivery once', async () => {
    receiverUp = true;
    received.length = 0;
    await database.db.deleteFrom('webhook_deliveries').execute();
    const config = { url: receiverUrl, secret: 'a-secret-of-sixteen+', retryBaseMs: 150, maxAttempts: 4, timeoutMs: 2000 };
    const [one, other] = [outbox(config), outbox(config)];
    for (let i = 0; i < 6; i++) await one.enqueue(database.db, 'pub-under-test-01');
    one.start();
    other.start();
    try {
      await expect.poll(async () => (await database.db.selectFrom('webhook_deliveries').select('status').where('status', '=', 'pending').execute()).length, { timeout: 8000 }).toBe(0);
    } finally {
      await Promise.all([one.stop(), other.stop()]);
    }
    const sent = received.map((delivery) => String(delivery.headers['x-report-delivery']));
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(6);
  });
});
