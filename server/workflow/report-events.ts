import type { SessionEnd } from '../auth/session-end.js';

/** What changed in a report, pushed to everyone who has it open so nobody has to reload. */
export type ReportEvent =
  | { type: 'sections'; sectionId: string | null; action: string }
  | { type: 'comments'; sectionId: string }
  /** Last year's figures or the roll-up's units changed: the rules' context. */
  | { type: 'annex' }
  /** A version was published, or its push to the external portal changed state. */
  | { type: 'publications' };

/** One open event stream, as the fan-out sees it. */
export interface ReportEventStream {
  /** The session the stream was opened under: it ends when the session does. */
  readonly sessionId: string;
  deliver(event: ReportEvent): void;
  end(why: SessionEnd): void;
}

/** In-process fan-out of report events (the seam where a multi-process deployment adds pub/sub). */
export class ReportEvents {
  private readonly byReport = new Map<string, Set<ReportEventStream>>();
  private readonly bySession = new Map<string, Set<ReportEventStream>>();

  subscribe(reportId: string, stream: ReportEventStream): () => void {
    add(this.byReport, reportId, stream);
    add(this.bySession, stream.sessionId, stream);
    return () => {
      remove(this.byReport, reportId, stream);
      remove(this.bySession, stream.sessionId, stream);
    };
  }

  publish(reportId: string, event: ReportEvent): void {
    for (const stream of this.byReport.get(reportId) ?? []) stream.deliver(event);
  }

  /** Ends every stream opened under the session (at logout: the client may never ask again). */
  /** The sessions that have an event stream open. */
  openSessionIds(): Set<string> {
    return new Set(this.bySession.keys());
  }

  endSession(sessionId: string, why: SessionEnd): void {
    for (const stream of [...(this.bySession.get(sessionId) ?? [])]) stream.end(why);
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
