import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../blocks/contract.js';
import { CompositionGate } from './composition-gate.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

export type SessionNotice =
  | { kind: 'refused'; reason: string }
  | { kind: 'session-ended'; reason: string }
  | { kind: 'rate-limited'; reason: string }
  | { kind: 'server-error'; reason: string };

export interface CollabConnection {
  doc: Y.Doc;
  gate: CompositionGate;
  provider: WebsocketProvider;
}

export interface CollabSessionEvents {
  /** A new connection (first join, or a rejoin with a fresh document) is ready to be shown. */
  onConnection(connection: CollabConnection): void;
  onStatus(status: ConnectionStatus): void;
  onNotice(notice: SessionNotice): void;
}

function collabUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/collab`;
}

/**
 * The browser's side of one report's collaboration. When the server refuses an edit (4403) the
 * local document cannot be trusted any more — Yjs would resend the refused content forever —
 * so it is thrown away and the report rejoined with a fresh document and a new client id.
 */
export class CollabSession {
  private current: CollabConnection | null = null;
  private destroyed = false;
  private resume: ReturnType<typeof setTimeout> | null = null;
  /** Quota closes in a row: each waits twice as long before reconnecting. */
  private rateLimits = 0;

  constructor(
    private readonly reportId: string,
    private readonly events: CollabSessionEvents,
  ) {
    this.join();
  }

  destroy(): void {
    this.destroyed = true;
    if (this.resume) clearTimeout(this.resume);
    this.teardown();
  }

  private join(): void {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(collabUrl(), this.reportId, doc, { connect: false });
    const connection = { doc, provider, gate: new CompositionGate(provider) };
    this.current = connection;
    provider.on('status', ({ status }) => {
      if (this.current === connection) this.events.onStatus(status);
    });
    provider.on('connection-close', (event) => {
      if (this.current !== connection || !event) return;
      if (event.code === CloseCode.ServerError) this.events.onNotice({ kind: 'server-error', reason: event.reason });
    });
    provider.on('closed', ({ code, reason }) => {
      if (this.current !== connection || this.destroyed) return;
      if (code === CloseCode.SessionExpired) {
        this.events.onNotice({ kind: 'session-ended', reason });
        this.teardown();
        return;
      }
      if (code === CloseCode.RateLimited) {
        // Nothing was refused: the document and whatever is still unsent are kept, and the
        // connection resumes after a pause that grows while the quota keeps being met.
        this.events.onNotice({ kind: 'rate-limited', reason });
        const pause = Math.min(10_000 * 2 ** this.rateLimits++, 160_000) * (1 + Math.random() / 2);
        this.resume = setTimeout(() => {
          this.resume = null;
          if (this.current === connection && !this.destroyed) provider.connect();
        }, pause);
        return;
      }
      this.events.onNotice({ kind: 'refused', reason });
      this.teardown();
      this.join();
    });
    let announced = false;
    provider.on('sync', (synced) => {
      if (synced && this.current === connection) this.rateLimits = 0;
      if (!synced || announced || this.current !== connection) return;
      announced = true;
      this.events.onConnection(connection);
    });
    provider.connect();
  }

  private teardown(): void {
    const connection = this.current;
    this.current = null;
    if (!connection) return;
    connection.provider.destroy();
    connection.doc.destroy();
  }
}

