import { createHmac } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { WebhookDeliveryTable } from '../db/types.js';

/** Where publications are pushed, and how hard to try. Absent: nothing is ever sent. */
export interface WebhookConfig {
  url: string;
  secret: string;
  /** The wait before the first retry; each further retry waits twice as long (capped at an hour). */
  retryBaseMs: number;
  maxAttempts: number;
  /** A receiver that has not answered by then counts as failed for this attempt. */
  timeoutMs: number;
}

export type DeliveryStatus = Pick<WebhookDeliveryTable, 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'delivered_at'>;

/** Builds what is sent for a publication: read from the stored publication at sending time. */
export type PayloadBuilder = (publicationId: string, deliveryId: number) => Promise<unknown>;

export interface WebhookOutboxDeps {
  db: Db;
  config: WebhookConfig | null;
  payload: PayloadBuilder;
  now: () => number;
  /** A delivery changed state (the lead office's view refreshes). */
  onStatus(publicationId: string): void;
  onError(error: unknown, context: string): void;
}

const MAX_BACKOFF_MS = 3600_000;
/** Beyond the send's own timeout, how long a claimed attempt stays another process's before it is due again. */
const CLAIM_MARGIN_MS = 5_000;

/** `sha256=<hex>` over "<timestamp>.<body>": the receiver recomputes it with the shared secret. */
export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Pushes each publication to the configured receiver, at least once. A delivery is a row written
 * in the same transaction as its publication, so neither a crash nor a restart loses one; the
 * worker sends due deliveries one at a time, sleeps until the next retry is due, and retries
 * failures with exponential backoff until
 * `maxAttempts`, after which the delivery is marked failed (the lead office can send it again).
 */
export class WebhookOutbox {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wokenWhileRunning = false;
  private stopped = false;

  constructor(private readonly deps: WebhookOutboxDeps) {}

  get configured(): boolean {
    return this.deps.config !== null;
  }

  /** Queues the push of a publication; call inside the transaction that stores it. */
  async enqueue(trx: Db, publicationId: string): Promise<void> {
    const config = this.deps.config;
    if (!config) return;
    const now = this.deps.now();
    await trx
      .insertInto('webhook_deliveries')
      .values({ publication_id: publicationId, url: config.url, status: 'pending', attempts: 0, next_attempt_at: now, created_at: now })
      .execute();
  }

  /** Sends a failed delivery again, from a fresh count of attempts. */
  async retry(publicationId: string): Promise<boolean> {
    const result = await this.deps.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: this.deps.now(), last_error: null })
      .where('publication_id', '=', publicationId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    const retried = Number(result.numUpdatedRows) > 0;
    if (retried) this.wake();
    return retried;
  }

  async statusOf(publicationIds: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    if (publicationIds.length === 0) return new Map();
    const rows = await this.deps.db
      .selectFrom('webhook_deliveries')
      .select(['publication_id', 'status', 'attempts', 'next_attempt_at', 'last_error', 'delivered_at'])
      .where('publication_id', 'in', publicationIds)
      .orderBy('id')
      .execute();
    return new Map(rows.map(({ publication_id, ...status }) => [publication_id, status]));
  }

  start(): void {
    if (!this.deps.config || this.stopped) return;
    this.wake();
  }

  /** Sends whatever is due now, then sleeps until the next retry is due. */
  wake(): void {
    if (!this.deps.config || this.stopped) return;
    if (this.running) {
      // Something became due while sending: look again once this round is over.
      this.wokenWhileRunning = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.drain()
      .catch((error: unknown) => this.deps.onError(error, 'webhook outbox'))
      .finally(() => {
        this.running = null;
        if (this.wokenWhileRunning) {
          this.wokenWhileRunning = false;
          this.wake();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    const config = this.deps.config!;
    for (;;) {
      if (this.stopped) return;
      const next = await this.deps.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('next_attempt_at')
        .limit(1)
        .executeTakeFirst();
      if (!next) return;
      const wait = (next.next_attempt_at ?? 0) - this.deps.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.wake(), Math.min(wait, MAX_BACKOFF_MS));
        this.timer.unref();
        return;
      }
      // Several server processes drain one outbox: the one that moves the attempt's time on first
      // sends it; the others find it not due. Should this one die sending, it is due again then.
      const claimed = await this.deps.db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: this.deps.now() + config.timeoutMs + CLAIM_MARGIN_MS })
        .where('id', '=', next.id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', next.next_attempt_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) continue;
      await this.attempt(config, next.id, next.publication_id, next.url, next.attempts);
    }
  }

  private async attempt(config: WebhookConfig, id: number, publicationId: string, url: string, attempts: number): Promise<void> {
    const error = await this.send(config, url, id, publicationId);
    const attempt = attempts + 1;
    const now = this.deps.now();
    if (error === null) {
      await this.deps.db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', attempts: attempt, delivered_at: now, next_attempt_at: null, last_error: null })
        .where('id', '=', id)
        .execute();
    } else {
      const exhausted = attempt >= config.maxAttempts;
      const wait = Math.min(config.retryBaseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      await this.deps.db
        .updateTable('webhook_deliveries')
        .set({ status: exhausted ? 'failed' : 'pending', attempts: attempt, next_attempt_at: exhausted ? null : now + wait, last_error: error })
        .where('id', '=', id)
        .execute();
    }
    this.deps.onStatus(publicationId);
  }

  /** One POST; null when the receiver took it (2xx), otherwise what went wrong, for the lead office. */
  private async send(config: WebhookConfig, url: string, id: number, publicationId: string): Promise<string | null> {
    const body = JSON.stringify(await this.deps.payload(publicationId, id));
    const timestamp = String(Math.floor(this.deps.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-report-event': 'publication',
          'x-report-delivery': String(id),
          'x-report-timestamp': timestamp,
          'x-report-signature-256': signDelivery(config.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      // Read the body so the connection is released, whatever the receiver answered.
      const answer = await response.text().catch(() => '');
      return response.ok ? null : `HTTP ${response.status}${answer ? `: ${answer.slice(0, 200)}` : ''}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return `${(error as Error).name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : (error as Error).message}${cause ? ` (${cause})` : ''}`;
    }
  }
}
