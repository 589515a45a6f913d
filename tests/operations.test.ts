import { describe, expect, it } from 'vitest';
import { CloseCode } from '../blocks/contract.js';
import { sectionText, waitForClose, waitForDoc } from './support/clients.js';
import { useReportServer } from './support/report-server.js';

// What an operator watches on a real server: health, readiness, Prometheus metrics that move as
// people edit and as the guard refuses, and a log line for every socket the server closes.

const suite = useReportServer({ env: () => ({ METRICS_TOKEN: 'operator-token-for-tests' }) });

/** One sample of a metric from Prometheus's text format (0 if it has none yet). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

const metrics = async (headers: Record<string, string> = {}) => {
  const response = await fetch(`${suite.server.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  return response.text();
};

describe('an operator watches the server', () => {
  it('health and readiness answer while the database does', async () => {
    expect(await (await fetch(`${suite.server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${suite.server.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('metrics count accepted edits and refused ones by close code, and the refusal is logged with its reason', async () => {
    const before = await metrics();
    const food = await suite.syncedClient('food');
    const text = sectionText(food.body, 'overview-food');
    text.insert(text.length, '指标测试');
    await waitForDoc(suite.observer.doc, () => sectionText(suite.observer.body, 'overview-food').toString().includes('指标测试'), 'the edit');

    // Finance writes into the food bureau's section: the guard refuses it.
    const finance = await suite.syncedClient('finance');
    const closed = waitForClose(finance.provider);
    const foreign = sectionText(finance.body, 'overview-food');
    foreign.insert(0, '越权');
    expect((await closed).code).toBe(CloseCode.Forbidden);

    const after = await metrics();
    expect(sample(after, 'report_updates_accepted_total')).toBeGreaterThan(sample(before, 'report_updates_accepted_total'));
    expect(sample(after, 'report_sockets_closed_total', '{code="4403"}')).toBe(sample(before, 'report_sockets_closed_total', '{code="4403"}') + 1);
    expect(sample(after, 'report_rooms_open')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'report_log_append_seconds_count')).toBeGreaterThan(0);
    expect(after).toContain('process_resident_memory_bytes');
    await expect.poll(() => suite.server.output()).toMatch(/socket-closed report=\S+ user=\d+ code=4403 kind=not-permitted reason=/);
  });
});
