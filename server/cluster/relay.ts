import { Redis } from 'ioredis';

/**
 * Messages between the server processes of one installation: what happened on one process that
 * pages and sockets on the others must learn of at once (a report's events, a session that
 * ended). Delivery is best effort — nothing the product promises rests on it: edits go through
 * the report's one authority and its log, and every page re-reads what an event names.
 */
export interface Relay {
  publish(topic: RelayTopic, message: unknown): void;
  subscribe(topic: RelayTopic, deliver: (message: unknown) => void): void;
  close(): Promise<void>;
}

const RELAY_TOPICS = ['report-events', 'user-events', 'session-ends'] as const;
export type RelayTopic = (typeof RELAY_TOPICS)[number];

const CHANNEL_PREFIX = 'district-report-editor:';

/** The relay over Redis publish/subscribe (REDIS_URL); a process does not hear its own messages. */
export class RedisRelay implements Relay {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Array<(message: unknown) => void>>();

  private constructor(
    url: string,
    private readonly processId: string,
    private readonly onError: (error: unknown, context: string) => void,
  ) {
    // A subscribed Redis connection can do nothing else: one to publish, one to listen.
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(url, { lazyConnect: true });
    for (const connection of [this.publisher, this.subscriber]) connection.on('error', (error) => this.onError(error, 'Redis relay'));
    this.subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.receive(channel.toString(), payload.toString()));
  }

  /**
   * Connects both connections and listens on every topic before answering, so a process serves
   * nothing until it can hear the others (a logout published a moment after start-up is not
   * missed). Fails at once, not at the first event, when Redis cannot be reached.
   */
  static async connect(url: string, processId: string, onError: (error: unknown, context: string) => void): Promise<RedisRelay> {
    const relay = new RedisRelay(url, processId, onError);
    try {
      await Promise.all([relay.publisher.connect(), relay.subscriber.connect()]);
      await relay.subscriber.subscribe(...RELAY_TOPICS.map((topic) => CHANNEL_PREFIX + topic));
    } catch (error) {
      relay.publisher.disconnect();
      relay.subscriber.disconnect();
      throw new Error(`无法连接 Redis（cannot connect to Redis at ${url.replace(/:[^:@/]*@/, ':***@')}: ${error instanceof Error ? error.message : String(error)}）`, { cause: error });
    }
    return relay;
  }

  publish(topic: RelayTopic, message: unknown): void {
    this.publisher.publish(CHANNEL_PREFIX + topic, JSON.stringify({ from: this.processId, message })).catch((error: unknown) => this.onError(error, `Redis relay: publishing ${topic}`));
  }

  subscribe(topic: RelayTopic, deliver: (message: unknown) => void): void {
    const channel = CHANNEL_PREFIX + topic;
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), deliver]);
  }

  private receive(channel: string, payload: string): void {
    let envelope: { from: string; message: unknown };
    try {
      envelope = JSON.parse(payload) as { from: string; message: unknown };
    } catch (error) {
      this.onError(error, `Redis relay: an unreadable message on ${channel}`);
      return;
    }
    if (envelope.from === this.processId) return;
    for (const deliver of this.handlers.get(channel) ?? []) deliver(envelope.message);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }
}
