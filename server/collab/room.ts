import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../blocks/contract.js';
import { decodeAwarenessUpdate, encodeStampedAwarenessUpdate } from './awareness-identity.js';
import type { Peer } from './peer.js';
import type { ReportStore } from './report-store.js';
import { inspectUpdate } from './update-inspection.js';
import { MalformedMessageError, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, parseMessage } from './wire.js';

export interface RoomOptions {
  /** Write a snapshot after this many logged updates. */
  compactAfterUpdates: number;
  onError(error: unknown, context: string): void;
}

/**
 * One open report: its Y.Doc, who is connected, and the single ordered queue through which
 * every message passes. Ordering is what makes "logged before broadcast" hold: an update is
 * checked, appended to the log, and only then applied (which broadcasts it).
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  private doc: Y.Doc | null = null;
  /** Each socket and the one awareness client id it speaks for (once it has announced it). */
  private readonly peers = new Map<Peer, { clientID: number | null }>();
  private readonly clientOwners = new Map<number, Peer>();
  private tail: Promise<void>;
  private lastSeq = 0;
  private updatesSinceSnapshot = 0;
  private closed = false;

  constructor(
    readonly reportId: string,
    private readonly store: ReportStore,
    private readonly options: RoomOptions,
  ) {
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.broadcastAwareness);
    this.tail = this.load();
  }

  /** Resolves once the report is loaded; rejects if it could not be. */
  get ready(): Promise<void> {
    return this.tail;
  }

  get document(): Y.Doc {
    if (!this.doc) throw new Error(`report ${this.reportId} is not loaded`);
    return this.doc;
  }

  join(peer: Peer): void {
    this.peers.set(peer, { clientID: null });
    this.enqueue(() => {
      peer.send(encodeSyncStep1(Y.encodeStateVector(this.document)));
      const states = this.awareness.getStates();
      if (states.size > 0) {
        peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
      }
    });
  }

  receive(peer: Peer, frame: Uint8Array): void {
    this.enqueue(async () => {
      if (!this.peers.has(peer)) return;
      try {
        await this.handle(peer, frame);
      } catch (error) {
        if (error instanceof MalformedMessageError) {
          this.expel(peer, CloseCode.MalformedMessage, `malformed message: ${error.message}`);
        } else {
          this.options.onError(error, `report ${this.reportId}`);
          this.expel(peer, CloseCode.ServerError, '服务器未能保存此修改，请重新连接（the server could not store this edit）');
        }
      }
    });
  }

  leave(peer: Peer): void {
    const presence = this.peers.get(peer);
    this.peers.delete(peer);
    if (presence?.clientID == null || this.clientOwners.get(presence.clientID) !== peer) return;
    this.clientOwners.delete(presence.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, [presence.clientID], null);
  }

  /** Runs `task` after every message received so far; used by readers that need a settled document. */
  enqueue(task: () => void | Promise<void>): Promise<void> {
    const run = this.tail.then(async () => {
      if (!this.closed) await task();
    });
    this.tail = run.catch((error) => this.options.onError(error, `report ${this.reportId}`));
    return run;
  }

  /** Compacts what is pending and frees the document. The room is unusable afterwards. */
  async close(): Promise<void> {
    await this.enqueue(async () => {
      if (this.doc && this.updatesSinceSnapshot > 0) await this.compact();
    });
    this.closed = true;
    for (const peer of this.peers.keys()) peer.close(CloseCode.GoingAway, 'server is shutting down');
    this.peers.clear();
    this.awareness.off('update', this.broadcastAwareness);
    this.awareness.destroy();
    this.doc?.destroy();
    this.doc = null;
  }

  private async load(): Promise<void> {
    const loaded = await this.store.load(this.reportId);
    this.doc = loaded.doc;
    this.lastSeq = loaded.lastSeq;
    this.updatesSinceSnapshot = loaded.updatesSinceSnapshot;
    this.doc.on('update', this.broadcastUpdate);
  }

  private async handle(peer: Peer, frame: Uint8Array): Promise<void> {
    const message = parseMessage(frame);
    switch (message.type) {
      case 'sync-step-1': {
        let diff: Uint8Array;
        try {
          diff = Y.encodeStateAsUpdate(this.document, message.stateVector);
        } catch (error) {
          throw new MalformedMessageError(`bad state vector: ${error instanceof Error ? error.message : String(error)}`);
        }
        peer.send(encodeSyncStep2(diff));
        return;
      }
      case 'sync-step-2':
      case 'sync-update':
        await this.acceptUpdate(peer, message.update);
        return;
      case 'awareness':
        this.acceptAwareness(peer, message.update);
        return;
      case 'query-awareness':
        peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
        return;
    }
  }

  private async acceptUpdate(peer: Peer, update: Uint8Array): Promise<void> {
    const doc = this.document;
    const inspection = inspectUpdate(doc, update);
    if (!inspection.ok) {
      const code = inspection.refusal.code === 'malformed' ? CloseCode.MalformedMessage : CloseCode.Forbidden;
      this.expel(peer, code, `refused update (${inspection.refusal.code}): ${inspection.refusal.message}`);
      return;
    }
    if (!inspection.addsContent) return;
    if (!peer.canWrite) {
      this.expel(peer, CloseCode.Forbidden, '只读用户不能修改报告（read-only user）');
      return;
    }
    const seq = this.lastSeq + 1;
    await this.store.append(this.reportId, seq, update, peer.userId);
    this.lastSeq = seq;
    this.updatesSinceSnapshot++;
    Y.applyUpdate(doc, update, peer);
    if (this.updatesSinceSnapshot >= this.options.compactAfterUpdates) await this.compact();
  }

  /**
   * A socket speaks for one awareness client: the first it announces. y-websocket clients also
   * relay everyone else's presence back; those entries are ignored, so nobody can speak for
   * another user, and the identity of what is accepted is the session's, not the client's.
   */
  private acceptAwareness(peer: Peer, update: Uint8Array): void {
    const presence = this.peers.get(peer);
    if (!presence) return;
    const entries = decodeAwarenessUpdate(update, (clientID) => {
      if (presence.clientID === null) {
        const owner = this.clientOwners.get(clientID);
        // A user's reconnect may arrive before the old socket is noticed as gone.
        if (owner && owner.userId !== peer.userId) return false;
        if (owner) this.peers.get(owner)!.clientID = null;
        presence.clientID = clientID;
        this.clientOwners.set(clientID, peer);
      }
      return clientID === presence.clientID;
    });
    if (entries.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeStampedAwarenessUpdate(entries, peer.identity), peer);
  }

  private expel(peer: Peer, code: Parameters<Peer['close']>[0], reason: string): void {
    this.leave(peer);
    peer.close(code, reason);
  }

  private async compact(): Promise<void> {
    await this.store.snapshot(this.reportId, this.lastSeq, this.document);
    this.updatesSinceSnapshot = 0;
  }

  private readonly broadcastUpdate = (update: Uint8Array, origin: unknown) => {
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(frame);
  };

  private readonly broadcastAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
  ) => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers.keys()) peer.send(frame);
  };
}
