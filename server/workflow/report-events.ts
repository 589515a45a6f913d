import type { NotificationView } from '../../blocks/notifications.js';
import type { SessionEnd } from '../auth/session-end.js';
import type { Relay } from '../cluster/relay.js';

/** What changed in a report, pushed to everyone who has it open so nobody has to reload. */
export type ReportEvent =
  | { type: 'sections'; sectionId: string | null; action: string }
  | { type: 'comments'; sectionId: string }
  /** Last year's figures or the roll-up's units changed: the rules' context. */
  | { type: 'annex' }
  /** A version was published, or its push to the external portal changed state. */
  | { type: 'publications' };

/** What concerns one user wherever they are in the product: a notification for them. */
export type UserEvent = { type: 'notification'; notification: NotificationView };

/** One open event stream, as the fan-out sees it. */
export interface EventStream<E> {
  /** The session the stream was opened under: it ends when the session does. */
  readonly sessionId: string;
  deliver(event: E): void;
  end(why: SessionEnd): void;
}

export type ReportEventStream = EventStream<ReportEvent>;

/**
 * Fan-out of report events to the open pages, of a user's notifications to every page they have
 * open, and of ended sessions to what is open under them. With several server processes (a
 * relay), what happens on one reaches the pages and sockets of every other at once.
 */
export class ReportEvents {
  private readonly bySession = new Map<string, Set<EventStream<never>>>();
  private readonly reports = new Channel<string, ReportEvent>(this.bySession);
  private readonly users = new Channel<number, UserEvent>(this.bySession);
  private readonly endedElsewhere: Array<(sessionId: string, why: SessionEnd) => void> = [];

  constructor(private readonly relay: Relay | null = null) {
    relay?.subscribe('report-events', (message) => {
      const { reportId, event } = message as { reportId: string; event: ReportEvent };
      this.reports.deliver(reportId, event);
    });
    relay?.subscribe('user-events', (message) => {
      const { userId, event } = message as { userId: number; event: UserEvent };
      this.users.deliver(userId, event);
    });
    relay?.subscribe('session-ends', (message) => {
      const { sessionId, why } = message as { sessionId: string; why: SessionEnd };
      for (const listener of this.endedElsewhere) listener(sessionId, why);
    });
  }

  subscribe(reportId: string, stream: ReportEventStream): () => void {
    return this.reports.subscribe(reportId, stream);
  }

  publish(reportId: string, event: ReportEvent): void {
    this.reports.deliver(reportId, event);
    this.relay?.publish('report-events', { reportId, event });
  }

  subscribeUser(userId: number, stream: EventStream<UserEvent>): () => void {
    return this.users.subscribe(userId, stream);
  }

  publishToUser(userId: number, event: UserEvent): void {
    this.users.deliver(userId, event);
    this.relay?.publish('user-events', { userId, event });
  }

  /** A session ended here: the other server processes end what they hold of it too. */
  announceSessionEnd(sessionId: string, why: SessionEnd): void {
    this.relay?.publish('session-ends', { sessionId, why });
  }

  /** Calls `listener` when another server process announces a session's end. */
  onSessionEndedElsewhere(listener: (sessionId: string, why: SessionEnd) => void): void {
    this.endedElsewhere.push(listener);
  }

  /** The sessions that have an event stream open. */
  openSessionIds(): Set<string> {
    return new Set(this.bySession.keys());
  }

  endSession(sessionId: string, why: SessionEnd): void {
    for (const stream of [...(this.bySession.get(sessionId) ?? [])]) stream.end(why);
  }
}

/** The streams open on each key (a report, a user), each also filed under the session it was opened under. */
class Channel<K, E> {
  private readonly streams = new Map<K, Set<EventStream<E>>>();

  constructor(private readonly bySession: Map<string, Set<EventStream<never>>>) {}

  subscribe(key: K, stream: EventStream<E>): () => void {
    add(this.streams, key, stream);
    add(this.bySession, stream.sessionId, stream);
    return () => {
      remove(this.streams, key, stream);
      remove(this.bySession, stream.sessionId, stream);
    };
  }

  deliver(key: K, event: E): void {
    for (const stream of this.streams.get(key) ?? []) stream.deliver(event);
  }
}

function add<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function remove<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
