import type { Fragment } from '@tiptap/pm/model';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ANNEX_TABLE_NODE } from '../../blocks/annex/annex-table-node.js';
import { annexCellChecker, findFormat } from '../../blocks/annex/formats/index.js';
import { BODY_FIELD, CloseCode, limits } from '../../blocks/contract.js';
import { contentLimits } from '../../blocks/content-limits.js';
import { reportSchema } from '../../blocks/extensions.js';
import { SECTION_NODE } from '../../blocks/section/section.js';
import { decodeAwarenessUpdate, encodeStampedAwarenessUpdate } from './awareness-identity.js';
import { ClientIdOwners } from './client-id-owners.js';
import { PresenceBudget } from './presence-budget.js';
import type { ExpelKind, RoomHooks } from './room-hooks.js';
import type { Peer } from './peer.js';
import type { ReportStore } from './report-store.js';
import { findBodyViolations, findSchemaViolations } from './schema-repair.js';
import { judgeEdit, type SectionRule } from './section-guard.js';
import { judgeSuggestions } from './suggestion-guard.js';
import { SectionSizes } from './section-sizes.js';
import { SyncAnswers } from './sync-answers.js';
import { inspectUpdate } from './update-inspection.js';
import { resolveUpdateScope, type AnnexCellCheck, type UpdateScope } from './update-scope.js';
import { MalformedMessageError, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, parseMessage, type IncomingMessage } from './wire.js';

export interface RoomOptions {
  /** Write a snapshot after this many logged updates. */
  compactAfterUpdates: number;
  onError(error: unknown, context: string): void;
  /** The room's document can no longer be trusted; a new room should load the report afresh. */
  onBroken?(room: Room): void;
  /** Moments of the room that other parts of the server act on. */
  hooks?: RoomHooks;
  /** Runs before the report is read; failing, the room does not load (its report is decided elsewhere). */
  beforeLoad?(reportId: string): Promise<void>;
}

/** Origin of the changes the server makes itself (repairs, restores, structure). */
export const AUTHORITY_ORIGIN = Symbol('authority');

/** A change the server makes to the document on someone's behalf, logged like any edit. */
export interface AuthorityChange {
  userId: number | null;
  /** Sections whose history this change belongs to. */
  sectionIds: readonly string[];
  /** Whether it changes what those sections say (a restore, a title) — not only where they stand (a move). */
  changesText: boolean;
  apply(doc: Y.Doc): void;
  /** Runs in the same turn of the queue once the change is logged: nothing else has changed the document since. */
  afterCommit?(seq: number): Promise<void>;
}

/**
 * One open report: its Y.Doc, who is connected, and the single ordered queue through which
 * every message passes. Ordering is what makes "logged before broadcast" hold: an update is
 * checked, appended to the log, and only then applied (which broadcasts it).
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  private doc: Y.Doc | null = null;
  /** Each socket, the one awareness client id it speaks for (once announced) and its early updates. */
  private readonly peers = new Map<Peer, PeerState>();
  private readonly clientOwners = new Map<number, Peer>();
  private readonly loaded: Promise<void>;
  private tail: Promise<void>;
  private lastSeq = 0;
  private updatesSinceSnapshot = 0;
  private closed = false;
  /** Set when the document and the log may disagree: the room takes no more edits. */
  private broken = false;
  private rules = new Map<string, SectionRule>();
  private archived = false;
  /** Which annex cells the report's format has; writes to any other cell are refused. */
  private annexCellAllowed: AnnexCellCheck | undefined;
  /** Which section holds each annex table node; rebuilt when annex nodes come or go. */
  private tableSections: Map<string, string> | null = null;
  /** Set while a change on its way to the log is applied: any other change of the document is a fault. */
  private logging = false;
  private readonly presenceChanged = new Set<number>();
  private clientIds = new ClientIdOwners(new Map());
  private readonly sectionSizes = new SectionSizes();
  private readonly presenceBudget = new PresenceBudget(limits.maxPresenceBytesPerReport);
  private readonly syncAnswers = new SyncAnswers();
  private presenceFlush: NodeJS.Immediate | null = null;

  constructor(
    readonly reportId: string,
    private readonly store: ReportStore,
    private readonly options: RoomOptions,
  ) {
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.broadcastAwareness);
    this.loaded = this.load();
    this.tail = this.loaded;
  }

  /** Resolves once the report is loaded; rejects if it could not be. */
  get ready(): Promise<void> {
    return this.loaded;
  }

  get document(): Y.Doc {
    if (!this.doc) throw new Error(`report ${this.reportId} is not loaded`);
    return this.doc;
  }

  join(peer: Peer): void {
    this.peers.set(peer, { clientID: null, waiting: null });
    void this.enqueue(() => {
      if (this.broken) {
        this.expel(peer, CloseCode.ServerError, '报告暂时无法编辑，请稍后重新连接（report is reloading）', 'reloading');
        return;
      }
      peer.send(encodeSyncStep1(Y.encodeStateVector(this.document)));
      const states = this.awareness.getStates();
      if (states.size > 0) {
        peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
      }
    }).catch((error) => this.options.onError(error, `report ${this.reportId}: joining`));
  }

  receive(peer: Peer, frame: Uint8Array): void {
    let message: IncomingMessage;
    try {
      message = parseMessage(frame);
    } catch (error) {
      // Still in order: whatever the peer sent before the bad frame is handled first.
      void this.enqueue(() => {
        if (this.peers.has(peer)) this.expel(peer, CloseCode.MalformedMessage, `malformed message: ${(error as Error).message}`, 'malformed');
      });
      return;
    }
    if (isPresence(message) && this.doc && !this.broken) {
      // Presence has no place in the document's order. Answered at once, the stream of cursor
      // moves and the clients' echoes of each other's presence never hold a keystroke back.
      void this.handleSafely(peer, message);
      return;
    }
    void this.enqueue(async () => {
      if (this.peers.has(peer)) await this.handleSafely(peer, message);
    });
  }

  private async handleSafely(peer: Peer, message: IncomingMessage): Promise<void> {
    try {
      await this.handle(peer, message);
    } catch (error) {
      if (error instanceof MalformedMessageError) {
        this.expel(peer, CloseCode.MalformedMessage, `malformed message: ${error.message}`, 'malformed');
      } else {
        this.options.onError(error, `report ${this.reportId}`);
        this.expel(peer, CloseCode.ServerError, '服务器未能保存此修改，请重新连接（the server could not store this edit）', 'store-failed');
      }
    }
  }

  leave(peer: Peer): void {
    const presence = this.peers.get(peer);
    this.peers.delete(peer);
    if (presence?.waiting) clearTimeout(presence.waiting.timer);
    if (presence?.clientID == null || this.clientOwners.get(presence.clientID) !== peer) return;
    this.clientOwners.delete(presence.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, [presence.clientID], null);
  }

  /**
   * Runs `task` after every message received so far. Its failure is the caller's to handle; the
   * queue itself goes on.
   */
  enqueue(task: () => void | Promise<void>): Promise<void> {
    const queued = performance.now();
    const run = this.tail.then(async () => {
      this.options.hooks?.tell('queueWaited', { reportId: this.reportId, ms: performance.now() - queued });
      if (!this.closed) await task();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Compacts what is pending and frees the document. The room is unusable afterwards. */
  async close(): Promise<void> {
    try {
      await this.enqueue(async () => {
        if (this.doc && !this.broken && this.updatesSinceSnapshot > 0) await this.compact();
      });
    } finally {
      // A failed compaction loses nothing (the log holds every update); the room is freed all the same.
      this.free('server is shutting down');
    }
  }

  /**
   * Frees the room at once, without compacting: its report is decided by another server process
   * now, whose log may already be ahead. Its peers reconnect, and reach that process.
   */
  abandon(): void {
    this.free('报告已转由其他服务器进程处理，正在重新连接（report moved to another server process）');
  }

  private free(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const [peer, state] of this.peers) {
      if (state.waiting) clearTimeout(state.waiting.timer);
      peer.close(CloseCode.GoingAway, reason);
    }
    this.peers.clear();
    this.awareness.off('update', this.broadcastAwareness);
    this.syncAnswers.clear();
    if (this.presenceFlush) clearImmediate(this.presenceFlush);
    this.awareness.destroy();
    this.doc?.destroy();
    this.doc = null;
  }

  private async load(): Promise<void> {
    await this.options.beforeLoad?.(this.reportId);
    const started = performance.now();
    const loaded = await this.store.load(this.reportId);
    this.doc = loaded.doc;
    this.lastSeq = loaded.lastSeq;
    this.updatesSinceSnapshot = loaded.updatesSinceSnapshot;
    this.rules = loaded.rules;
    this.archived = loaded.archived;
    this.clientIds = new ClientIdOwners(loaded.clientOwners);
    this.clientIds.reserveForServer(loaded.doc.clientID);
    const format = loaded.format === null ? null : findFormat(loaded.format);
    this.annexCellAllowed = format ? annexCellChecker(format) : undefined;
    this.doc.on('afterTransaction', this.watchUnlogged);
    this.options.hooks?.tell('loaded', { reportId: this.reportId, ms: performance.now() - started, updatesReplayed: loaded.updatesSinceSnapshot });
  }

  /** The sequence number of the last logged change: the moment of the report the document shows. */
  get seq(): number {
    return this.lastSeq;
  }

  /** The owner and lock of each section as the guard sees them. */
  get sectionRules(): ReadonlyMap<string, SectionRule> {
    return this.rules;
  }

  /**
   * Takes a section's new owner or lock into effect. Callers run it in the room's queue, so every
   * edit received before is judged by the old rule and every edit after by the new one.
   */
  setRule(sectionId: string, rule: SectionRule | null): void {
    if (rule) this.rules.set(sectionId, rule);
    else this.rules.delete(sectionId);
  }

  /** The section whose content holds the annex table `tableId`, if any. */
  sectionOfTable(tableId: string): string | null {
    this.tableSections ??= mapTablesToSections(this.document.getXmlFragment(BODY_FIELD));
    return this.tableSections.get(tableId) ?? null;
  }

  /**
   * Applies a change the server makes itself: logged before anyone sees it, then broadcast to
   * every peer. Runs in the room's queue like any edit.
   */
  async applyAuthorityChange(change: AuthorityChange): Promise<number | null> {
    let seq: number | null = null;
    await this.enqueue(async () => {
      if (this.broken) throw new Error(`report ${this.reportId} is reloading after a storage failure`);
      let updates: Uint8Array[];
      try {
        updates = this.collect(() => Y.transact(this.document, () => change.apply(this.document), AUTHORITY_ORIGIN));
      } catch (error) {
        this.breakOff();
        throw error;
      }
      if (updates.length === 0) return;
      // The server writes under the document's own id, which no user may use.
      seq = await this.commit(Y.mergeUpdates(updates), { userId: change.userId, sectionIds: change.sectionIds, origin: null, writers: [{ clientIDs: [this.document.clientID], owner: null }] });
      this.tableSections = null;
      this.sectionSizes.forget();
      if (change.changesText) await this.revokeApprovals(change.sectionIds, change.userId, seq);
      await change.afterCommit?.(seq);
    });
    return seq;
  }

  private async handle(peer: Peer, message: IncomingMessage): Promise<void> {
    switch (message.type) {
      case 'sync-step-1': {
        let answer: Uint8Array[];
        try {
          answer = this.syncAnswers.answer(this.lastSeq, message.stateVector, {
            answer: () => encodeSyncStep2(Y.encodeStateAsUpdate(this.document, message.stateVector)),
            catchUp: (updates) => encodeSyncUpdate(Y.mergeUpdates(updates)),
          });
        } catch (error) {
          throw new MalformedMessageError(`bad state vector: ${error instanceof Error ? error.message : String(error)}`);
        }
        for (const part of answer) peer.send(part);
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
      const reason = `refused update (${inspection.refusal.code}): ${inspection.refusal.message}`;
      if (inspection.refusal.code === 'missing-dependency' && this.wait(peer, update, reason)) return;
      const malformed = inspection.refusal.code === 'malformed';
      this.expel(peer, malformed ? CloseCode.MalformedMessage : CloseCode.Forbidden, reason, malformed ? 'malformed' : 'unresolvable');
      return;
    }
    if (!inspection.addsContent) return;
    if (this.archived) {
      this.expel(peer, CloseCode.Forbidden, '已归档的报告只能查看，不能修改（archived report is read-only）', 'not-permitted');
      return;
    }
    if (this.broken) {
      this.expel(peer, CloseCode.ServerError, '报告暂时无法编辑，请稍后重新连接（report is reloading）', 'reloading');
      return;
    }
    const scope = resolveUpdateScope(doc, inspection.decoded, this.annexCellAllowed);
    if (scope.invalid.length > 0) {
      this.expel(peer, CloseCode.Forbidden, `内容不符合规则（invalid content）: ${scope.invalid[0]}`, 'invalid-content');
      return;
    }
    const verdict = judgeEdit(scope, peer.editor, this.rules, (tableId) => this.sectionOfTable(tableId));
    if (!verdict.allowed) {
      this.expel(peer, CloseCode.Forbidden, verdict.reason, 'not-permitted');
      return;
    }
    if (scope.suggestionsWritten.length > 0 || scope.suggestionsRemoved.length > 0) {
      // Suggestions carry the time their author's clock gave them: the server's clock bounds it.
      const suggested = judgeSuggestions(doc, scope, peer, this.rules, Date.now());
      if (!suggested.allowed) {
        this.expel(peer, CloseCode.Forbidden, suggested.reason, 'not-permitted');
        return;
      }
    }
    const writers = writerIdsOf(doc, inspection.decoded);
    const foreign = this.clientIds.foreignId(writers, peer.userId);
    if (foreign !== null) {
      this.expel(peer, CloseCode.Forbidden, `客户端标识 ${foreign} 属于其他用户（client id ${foreign} belongs to another user）`, 'foreign-client-id');
      return;
    }
    const tooLong = this.sectionSizes.overLimit(doc, scope.growth);
    if (tooLong) {
      this.expel(peer, CloseCode.Forbidden, `maxSectionLength: 章节 ${tooLong.sectionId} 将超过 ${contentLimits.maxSectionLength} 字（section too long）`, 'section-too-long');
      return;
    }
    const clocksBefore = new Map(inspection.decoded.structs.map((s) => [s.id.client, Y.getState(doc.store, s.id.client)]));
    const isNew = (item: Y.Item) => item.id.clock >= (clocksBefore.get(item.id.client) ?? Infinity);
    let repairs: Uint8Array[];
    try {
      // The update is logged as it came: what applying it writes is not collected (encoding it
      // cost as much as applying a keystroke). Only the server's repairs are.
      this.applying(() => Y.applyUpdate(doc, update, peer));
      repairs = this.collect(() => this.repairSchemaViolations(scope, isNew));
    } catch (error) {
      // The document may now hold part of an update the log does not: it is reloaded from the log.
      this.options.onError(error, `report ${this.reportId}: applying an update`);
      this.breakOff();
      return;
    }
    if (scope.annexNodesChanged || scope.bodyChanged) this.tableSections = null;
    if (scope.bodyChanged) this.sectionSizes.forget();
    else this.sectionSizes.grow(scope.growth);
    const repaired = repairs.length > 0;
    const logged = repaired ? Y.mergeUpdates([update, ...repairs]) : update;
    const sectionIds = [...scope.sections, ...this.sectionsOfTables(scope)];
    // A repair is the server's own writing, under the document's id.
    const seq = await this.commit(logged, {
      userId: peer.userId,
      sectionIds,
      origin: repaired ? null : peer,
      writers: [{ clientIDs: writers, owner: peer.userId }, ...(repaired ? [{ clientIDs: [doc.clientID], owner: null }] : [])],
    });
    await this.revokeApprovals(sectionIds, peer.userId, seq);
    if (scope.suggestionsWritten.length > 0) await this.tellSuggestions(scope, peer.userId);
    await this.acceptWaiting(peer);
  }

  private async tellSuggestions(scope: UpdateScope, userId: number): Promise<void> {
    const sectionIds = [...new Set(scope.suggestionsWritten.map(({ entry }) => entry.sectionId))];
    try {
      await this.options.hooks?.suggestionsMade({ room: this, sectionIds, userId });
    } catch (error) {
      this.options.onError(error, `report ${this.reportId}: telling of suggestions in ${sectionIds.join(', ')}`);
    }
  }

  /**
   * An approval is of the text as it was: once edited, the section is approved no more, for the
   * guard at once and for the workflow before the next message is judged.
   */
  private async revokeApprovals(sectionIds: readonly string[], userId: number | null, seq: number): Promise<void> {
    const approved = [...new Set(sectionIds)].filter((sectionId) => this.rules.get(sectionId)?.approved);
    if (approved.length === 0) return;
    for (const sectionId of approved) this.rules.set(sectionId, { ...this.rules.get(sectionId)!, approved: false });
    try {
      await this.options.hooks?.approvedTextEdited({ room: this, sectionIds: approved, userId, seq });
    } catch (error) {
      this.options.onError(error, `report ${this.reportId}: revoking the approval of ${approved.join(', ')}`);
    }
  }

  /**
   * A client that types while its reconnect handshake is under way sends those keystrokes before
   * its SyncStep2, which carries the changes they build on. Such an update waits (a little, and
   * not much of it) for the same peer's next accepted update; refusing it would make the browser
   * drop the document, and with it what the person typed offline. What is still missing after
   * `WAIT_MS` is refused as before.
   */
  private wait(peer: Peer, update: Uint8Array, reason: string): boolean {
    const state = this.peers.get(peer);
    if (!state) return false;
    if (!state.waiting) {
      const timer = setTimeout(() => {
        void this.enqueue(() => {
          if (this.peers.get(peer)?.waiting?.timer === timer) this.expel(peer, CloseCode.Forbidden, reason, 'missing-dependency');
        });
      }, WAIT_MS);
      timer.unref();
      state.waiting = { updates: [], bytes: 0, timer };
    }
    const waiting = state.waiting;
    if (waiting.updates.length >= WAIT_MAX_UPDATES || waiting.bytes + update.byteLength > WAIT_MAX_BYTES) return false;
    waiting.updates.push(update);
    waiting.bytes += update.byteLength;
    return true;
  }

  /** Tries the peer's waiting updates again, now that one of its updates was accepted. */
  private async acceptWaiting(peer: Peer): Promise<void> {
    const state = this.peers.get(peer);
    if (!state?.waiting) return;
    const { updates, timer } = state.waiting;
    clearTimeout(timer);
    state.waiting = null;
    for (const update of updates) {
      if (!this.peers.has(peer)) return;
      await this.acceptUpdate(peer, update);
    }
  }

  /** Deletes, as the authority, what the update left that no client could show. */
  private repairSchemaViolations(scope: UpdateScope, isNew: (item: Y.Item) => boolean): void {
    const body = this.document.getXmlFragment(BODY_FIELD);
    const violations = [
      ...(scope.changedParents.length > 0 ? findSchemaViolations(reportSchema, body, scope.changedParents, isNew) : []),
      ...(scope.bodyChanged ? findBodyViolations(reportSchema, body, isNew) : []),
    ];
    if (violations.length === 0) return;
    this.options.onError(new Error(violations.map((v) => v.reason).join('; ')), `report ${this.reportId}: repaired content that does not fit the schema`);
    Y.transact(this.document, (transaction) => {
      for (const { item, fill } of violations) {
        if (item.deleted) continue;
        if (fill) ((item.content as Y.ContentType).type as Y.XmlElement).insert(0, fillToYjs(fill));
        else item.delete(transaction);
      }
    }, AUTHORITY_ORIGIN);
  }

  private sectionsOfTables(scope: UpdateScope): string[] {
    return [...scope.tables].map((tableId) => this.sectionOfTable(tableId)).filter((id): id is string => id !== null);
  }

  /** Runs `apply`, a change on its way to the log; returns the document updates it produced. */
  private collect(apply: () => void): Uint8Array[] {
    const updates: Uint8Array[] = [];
    const collected = (update: Uint8Array) => void updates.push(update);
    this.document.on('update', collected);
    try {
      this.applying(apply);
    } finally {
      this.document.off('update', collected);
    }
    return updates;
  }

  /** Runs `apply`, a change on its way to the log (or already in it). */
  private applying(apply: () => void): void {
    this.logging = true;
    try {
      apply();
    } finally {
      this.logging = false;
    }
  }

  /**
   * Logs an applied change and then sends it to every peer but `origin`. If the log refuses it,
   * the document holds something the log does not: the room breaks off (see `breakOff`). The
   * client ids the change writes under that the log does not know yet are recorded as their writer's.
   */
  private async commit(update: Uint8Array, change: CommittedChange): Promise<number> {
    const seq = this.lastSeq + 1;
    const claims = change.writers.map(({ clientIDs, owner }) => ({ clientIDs: this.clientIds.unrecorded(clientIDs), owner }));
    const started = performance.now();
    try {
      await this.store.append(this.reportId, seq, update, change.userId, new Set(change.sectionIds), claims);
    } catch (error) {
      this.breakOff();
      throw error;
    }
    for (const { clientIDs, owner } of claims) this.clientIds.recordWritten(clientIDs, owner);
    this.lastSeq = seq;
    this.updatesSinceSnapshot++;
    this.syncAnswers.logged(seq, update);
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers.keys()) if (peer !== change.origin) peer.send(frame);
    this.options.hooks?.tell('committed', { reportId: this.reportId, seq, appendMs: performance.now() - started, userId: change.userId });
    if (this.updatesSinceSnapshot >= this.options.compactAfterUpdates) await this.compact();
    return seq;
  }

  /**
   * The document may hold something the log does not (the log refused a change, or a change
   * failed halfway through being applied): the room takes no more edits and every peer is sent
   * away, so the next connection loads the report again from what was stored.
   */
  private breakOff(): void {
    this.broken = true;
    this.options.onBroken?.(this);
    for (const peer of [...this.peers.keys()]) this.expel(peer, CloseCode.ServerError, '服务器未能保存此修改，请重新连接（the server could not store this edit）', 'store-failed');
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
        // An id someone else writes under or shows as their presence stays theirs, also while they reconnect.
        if (!this.clientIds.announce(clientID, peer.userId)) return false;
        const owner = this.clientOwners.get(clientID);
        // A user's reconnect may arrive before the old socket is noticed as gone.
        if (owner) this.peers.get(owner)!.clientID = null;
        presence.clientID = clientID;
        this.clientOwners.set(clientID, peer);
      }
      return clientID === presence.clientID;
    });
    const shown = entries.filter((entry) => this.presenceBudget.admit(entry.clientID, entry.state === null ? null : entry.size));
    if (shown.length < entries.length) this.options.onError(new Error(`presence of client ${entries[0]!.clientID} not shown: the report's presence is at its limit of ${limits.maxPresenceBytesPerReport} bytes`), `report ${this.reportId}`);
    if (shown.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeStampedAwarenessUpdate(shown, peer.identity), peer);
  }

  private expel(peer: Peer, code: Parameters<Peer['close']>[0], reason: string, kind: ExpelKind): void {
    this.leave(peer);
    peer.close(code, reason);
    this.options.hooks?.tell('expelled', { reportId: this.reportId, userId: peer.userId, code, kind, reason });
  }

  private async compact(): Promise<void> {
    const started = performance.now();
    await this.store.snapshot(this.reportId, this.lastSeq, this.document);
    this.updatesSinceSnapshot = 0;
    this.options.hooks?.tell('compacted', { reportId: this.reportId, seq: this.lastSeq, ms: performance.now() - started });
  }

  /** Every change goes through applying() and commit(): a transaction anywhere else was never logged. */
  private readonly watchUnlogged = (transaction: Y.Transaction) => {
    if (!this.logging && wroteSomething(transaction)) this.options.onError(new Error('document changed outside the logged path'), `report ${this.reportId}`);
  };

  /**
   * Presence changes are sent once per turn of the event loop, all that arrived in it in one frame:
   * when many clients renew their presence together (they all do every 15 seconds), each peer
   * gets one frame instead of one per client, and keystrokes are not held up behind them.
   */
  private readonly broadcastAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
  ) => {
    for (const clientID of removed) this.presenceBudget.release(clientID);
    for (const clientID of [...added, ...updated, ...removed]) this.presenceChanged.add(clientID);
    if (this.presenceChanged.size === 0 || this.presenceFlush) return;
    this.presenceFlush = setImmediate(() => {
      this.presenceFlush = null;
      const changed = [...this.presenceChanged];
      this.presenceChanged.clear();
      const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const peer of this.peers.keys()) peer.send(frame);
    });
  };
}

/** A change as the log records it, and who it goes to. */
interface CommittedChange {
  userId: number | null;
  /** Sections whose history this change belongs to. */
  sectionIds: readonly string[];
  /** The peer that sent it, who already has it; null: everyone gets it. */
  origin: Peer | null;
  /** The Yjs client ids the change writes under, and whose they are (null: the server's). */
  writers: ReadonlyArray<{ clientIDs: readonly number[]; owner: number | null }>;
}

interface PeerState {
  clientID: number | null;
  /** Updates that arrived before the changes they build on; see Room.wait. */
  waiting: { updates: Uint8Array[]; bytes: number; timer: NodeJS.Timeout } | null;
}

/** How long, and how much, an update may wait for the changes it builds on. */
const WAIT_MS = 2000;
const WAIT_MAX_UPDATES = 256;
const WAIT_MAX_BYTES = 4 * 1024 * 1024;

/** The client ids under which an update adds something the report does not have yet. */
function writerIdsOf(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>): number[] {
  const ids = new Set<number>();
  for (const struct of decoded.structs) {
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) ids.add(struct.id.client);
  }
  return [...ids];
}

/** Whether a transaction added or deleted anything: what Yjs would send as an update. */
function wroteSomething(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

function isPresence(message: IncomingMessage): boolean {
  return message.type === 'awareness' || message.type === 'query-awareness';
}

/**
 * The Yjs elements of nodes the server puts into an emptied element (an empty paragraph, a table
 * row with its cell): a few nodes the schema's content expressions fill in, never user data.
 */
function fillToYjs(fill: Fragment): Array<Y.XmlElement | Y.XmlText> {
  const converted: Array<Y.XmlElement | Y.XmlText> = [];
  fill.forEach((node) => {
    if (node.isText) {
      converted.push(new Y.XmlText(node.text));
      return;
    }
    const element = new Y.XmlElement(node.type.name);
    for (const [name, value] of Object.entries(node.attrs)) if (value !== null) element.setAttribute(name, value as string);
    const children = fillToYjs(node.content);
    if (children.length > 0) element.insert(0, children);
    converted.push(element);
  });
  return converted;
}

/** Walks the body once to find which section holds each annex table node. */
function mapTablesToSections(body: Y.XmlFragment): Map<string, string> {
  const map = new Map<string, string>();
  for (const section of body.toArray()) {
    if (!(section instanceof Y.XmlElement) || section.nodeName !== SECTION_NODE) continue;
    const sectionId: unknown = section.getAttribute('sectionId');
    if (typeof sectionId !== 'string') continue;
    // Without recursion: however deep the content nests, the walk keeps to the heap.
    const pending: Y.XmlElement[] = [section];
    while (pending.length > 0) {
      for (const child of pending.pop()!.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue;
        if (child.nodeName !== ANNEX_TABLE_NODE) {
          pending.push(child);
          continue;
        }
        const tableId: unknown = child.getAttribute('tableId');
        if (typeof tableId === 'string' && !map.has(tableId)) map.set(tableId, sectionId);
      }
    }
  }
  return map;
}
