import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, type CloseCodeValue } from '../../blocks/contract.js';
import { ReportDigests } from '../../server/read/report-digests.js';
import { AnnexService } from '../../server/annex/annex-service.js';
import type { Peer } from '../../server/collab/peer.js';
import { ReportStore } from '../../server/collab/report-store.js';
import { RoomRegistry } from '../../server/collab/room-registry.js';
import { Room } from '../../server/collab/room.js';
import type { Editor } from '../../server/collab/section-guard.js';
import { inspectUpdate } from '../../server/collab/update-inspection.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncUpdate, parseMessage } from '../../server/collab/wire.js';
import { readClientOwners } from '../../server/db/client-ids.js';
import { openDatabase, type Db, type OpenedDatabase } from '../../server/db/database.js';
import { findReport } from '../../server/db/reports.js';
import { saveSectionRow } from '../../server/db/sections.js';
import { findUserByUsername, findUserWithDepartment } from '../../server/db/users.js';
import { SUGGESTIONS_FIELD } from '../../blocks/contract.js';
import { authorOfKey, suggestionEntryProblem, type SuggestionEntry } from '../../blocks/suggestions.js';
import { seedDemoIfEmpty } from '../../server/demo/seed-demo.js';
import { ReportEvents } from '../../server/workflow/report-events.js';
import { fuzzPlan, type ForeignOwner, type FuzzAction, type FuzzActionKind, type FuzzPlan } from './guard-fuzz-actions.js';
import { UnforgeableError, forgeAction, type ForgeContext, type ForgedFrame } from './guard-fuzz-forge.js';
import { fingerprintDocument, fingerprintElement, fingerprintStructure, fingerprintTable, schemaProblems, sectionElements, showValue } from './guard-fuzz-invariants.js';

// A fuzzer for the guard: a hostile finance client sends random updates into a real Room on a
// real SQLite file, and after every one the invariants of the architecture must hold — every
// section and table finance may not write is byte-for-byte as it was, whatever was accepted is
// logged, broadcast exactly as logged and valid for the schema, a refusal closes only finance
// (4403 or 4400), nobody else's client id gains anything, and the server answers another client
// within bounds. The socket is the only stand-in: an in-memory Peer that records what it is sent.

const USERNAMES = ['lead', 'finance', 'food', 'env'] as const;
type Username = (typeof USERNAMES)[number];

export interface FuzzUser {
  id: number;
  username: Username;
  editor: Editor;
  identity: Peer['identity'];
}

/** A seeded report database, prepared once and copied for every run. */
export interface GuardFuzzFixture {
  seedFile: string;
  reportId: string;
  format: string;
  users: Record<Username, FuzzUser>;
  /** Client ids written while preparing: the demo's own (owned by nobody), the server's, lead's, food's, finance's. */
  clientIds: { seed: number; server: number; lead: number; food: number; finance: number };
  /** Removes the fixture's files. */
  dispose(): void;
}

/** Where the fixture puts finance's content: its plain section, a section holding its own annex tables, a locked one. */
const FINANCE_TABLE_SECTION = 'other';
const FINANCE_LOCKED_SECTION = 'overview-platform';
const FOOD_SECTION = 'overview-food';

/**
 * The demo report made richer for the fuzzer, through the same code paths the product uses:
 * finance owns three sections (one plain, one holding its own annex tables B@finance and C@finance,
 * one locked after finance last wrote in it), the food bureau's section holds B@food and C@food,
 * and lead, food and finance have each written once, so their client ids are theirs in the log.
 */
export async function prepareGuardFuzzFixture(): Promise<GuardFuzzFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-fuzz-'));
  const seedFile = path.join(dir, 'seed.sqlite');
  const database = await openDatabase(seedFile);
  const { db } = database;
  try {
    await seedDemoIfEmpty(db);
    const report = await db.selectFrom('reports').selectAll().orderBy('year', 'desc').executeTakeFirstOrThrow();
    const users = await loadUsers(db);
    await saveSectionRow(db, report.id, FINANCE_TABLE_SECTION, { department_id: 'finance' });
    await saveSectionRow(db, report.id, FINANCE_LOCKED_SECTION, { department_id: 'finance' });

    const store = new ReportStore(database);
    const seedIds = [...(await store.load(report.id)).doc.store.clients.keys()];
    const rooms = new RoomRegistry(store, { compactAfterUpdates: 500, onError: rethrowError });
    const lead = await findUserWithDepartment(db, users.lead.id);
    await new AnnexService({ db, rooms, digests: new ReportDigests({ rooms, store }), events: new ReportEvents(), now: Date.now }).setUnits(lead!, (await findReport(db, report.id))!, [
      { id: 'finance', name: '区财政局', kind: 'department', sectionId: FINANCE_TABLE_SECTION },
      { id: 'food', name: '区市场监督管理局', kind: 'department', sectionId: FOOD_SECTION },
    ]);
    await rooms.closeAll();

    const room = new Room(report.id, store, { compactAfterUpdates: 500, onError: rethrowError });
    await room.ready;
    const writers = { lead: 0, food: 0, finance: 0 };
    // Finance writes last in the section the lead office then locks: its id ends there, as in life.
    const sections = { lead: 'overview', food: FOOD_SECTION, finance: FINANCE_LOCKED_SECTION };
    for (const username of ['lead', 'food', 'finance'] as const) {
      const client = await FuzzClient.join(room, users[username], 0x5eed0 + users[username].id);
      client.send(client.forge((doc) => typeInto(doc, sections[username], `（${username} 的修改）`)).frame);
      await room.enqueue(noop);
      if (client.socket.closed) throw new Error(`preparing the fuzz report: ${username}'s edit was refused: ${client.socket.closed.reason}`);
      writers[username] = client.doc.clientID;
      room.leave(client.socket);
    }
    await room.close();
    await saveSectionRow(db, report.id, FINANCE_LOCKED_SECTION, { locked: 1 });
    const owners = await readClientOwners(db, report.id);
    const server = [...owners].find(([, owner]) => owner === null)?.[0];
    if (server === undefined || seedIds.length !== 1) throw new Error('preparing the fuzz report: expected one demo client id and one server client id');
    return {
      seedFile,
      reportId: report.id,
      format: report.format,
      users,
      clientIds: { seed: seedIds[0]!, server, ...writers },
      dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    // Closing checkpoints the WAL into the file, so a plain copy of it is the whole database.
    await database.close();
  }
}

function rethrowError(error: unknown, context: string): void {
  throw new Error(`preparing the fuzz report: ${context}`, { cause: error });
}

async function loadUsers(db: Db): Promise<Record<Username, FuzzUser>> {
  const users = {} as Record<Username, FuzzUser>;
  for (const username of USERNAMES) {
    const row = await findUserByUsername(db, username);
    const user = row && (await findUserWithDepartment(db, row.id));
    if (!user) throw new Error(`demo user ${username} is missing`);
    users[username] = {
      id: user.id,
      username,
      editor: { role: user.role, departmentId: user.departmentId },
      identity: { username, name: user.name, department: user.departmentId, departmentName: user.departmentName, color: user.departmentColor },
    };
  }
  return users;
}

function typeInto(doc: Y.Doc, sectionId: string, text: string): void {
  const section = sectionElements(doc).get(sectionId);
  const paragraph = section?.toArray().find((child): child is Y.XmlElement => child instanceof Y.XmlElement && child.nodeName === 'paragraph');
  const target = paragraph?.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
  if (!target) throw new Error(`no text to type into in ${sectionId}`);
  target.insert(0, text);
}

const noop = () => {};

// ——— the socket seam and a client on it

/** A collaboration socket in memory: what the room sends it, and how the room closed it. */
export class MemorySocket implements Peer {
  readonly userId: number;
  readonly sessionId: string;
  readonly editor: Editor;
  readonly identity: Peer['identity'];
  private readonly frames: Uint8Array[] = [];
  closed: { code: CloseCodeValue; reason: string } | null = null;

  constructor(user: FuzzUser, clientID: number) {
    this.userId = user.id;
    this.sessionId = `session-${user.username}-${clientID}`;
    this.editor = user.editor;
    this.identity = user.identity;
  }

  send(frame: Uint8Array): void {
    // A closed WebSocket sends nothing more.
    if (!this.closed) this.frames.push(frame);
  }

  close(code: CloseCodeValue, reason: string): void {
    this.closed ??= { code, reason };
  }

  /** The frames received since the last call. */
  take(): Uint8Array[] {
    return this.frames.splice(0);
  }
}

/** One user's connection: its socket and its replica of the report, kept as a y-websocket client keeps it. */
class FuzzClient {
  private constructor(
    readonly room: Room,
    readonly user: FuzzUser,
    readonly socket: MemorySocket,
    readonly doc: Y.Doc,
    readonly clientID: number,
  ) {}

  /** Connects, asks for the whole report (SyncStep1 with an empty state vector) and applies the answer. */
  static async join(room: Room, user: FuzzUser, clientID: number): Promise<FuzzClient> {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    const client = new FuzzClient(room, user, new MemorySocket(user, clientID), doc, clientID);
    room.join(client.socket);
    room.receive(client.socket, encodeSyncStep1(Y.encodeStateVector(doc)));
    await room.enqueue(noop);
    if (!client.absorb().answered) throw new Error(`${user.username} joined but was not sent the report${client.socket.closed ? `: closed ${client.socket.closed.code} ${client.socket.closed.reason}` : ''}`);
    return client;
  }

  /** Announces the client id as its presence, as the browser does. */
  announce(): void {
    const awareness = new awarenessProtocol.Awareness(this.doc);
    awareness.setLocalState({ user: { name: this.user.identity.name } });
    this.room.receive(this.socket, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, [this.doc.clientID])));
    awareness.destroy();
  }

  send(frame: Uint8Array): void {
    this.room.receive(this.socket, frame);
  }

  /** An honest edit on the replica, as the update the editor would send for it. */
  forge(change: (doc: Y.Doc) => void): ForgedFrame {
    const before = Y.encodeStateVector(this.doc);
    change(this.doc);
    const payload = Y.encodeStateAsUpdate(this.doc, before);
    return { frame: encodeSyncUpdate(payload), payload, honest: true };
  }

  /** Applies what the room sent (its updates, its answer to a SyncStep1); returns the updates, and whether it answered. */
  absorb(): { updates: Uint8Array[]; answered: boolean } {
    const updates: Uint8Array[] = [];
    let answered = false;
    for (const frame of this.socket.take()) {
      const message = parseMessage(frame);
      if (message.type === 'sync-update') updates.push(message.update);
      if (message.type === 'sync-step-2') answered = true;
      if (message.type === 'sync-update' || message.type === 'sync-step-2') this.apply(message.update);
    }
    return { updates, answered };
  }

  /**
   * Applies an update that may hold this client's own items (its update forged on a copy, or echoed
   * in a repair). Yjs would take those for another client using its id and pick a new one; the
   * client's id is parked on an unused one meanwhile, so it keeps writing under its own.
   */
  apply(update: Uint8Array): void {
    this.doc.clientID = PARKED_CLIENT_ID;
    try {
      Y.applyUpdate(this.doc, update, 'server');
    } finally {
      this.doc.clientID = this.clientID;
    }
  }
}

/** No update the fuzzer forges writes under this id. */
const PARKED_CLIENT_ID = 0xffff_fffe;

// ——— one run

export interface GuardFuzzSettings {
  /** An action's handling (and the answer to another client after it) must take less than this. */
  boundMs: number;
  /** Rebuild the report from its log and compare every this many actions (and at the end of each run). */
  reloadEvery: number;
}

/** Counts what happened, by outcome: accepted, repaired, refused (by close code and rule), waiting, … */
export class FuzzTally {
  readonly outcomes = new Map<string, number>();
  runs = 0;
  actions = 0;
  unforgeable = 0;
  /** The longest any action's handling took, and which kind of action it was. */
  slowest = { ms: 0, kind: '' };

  count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }
}

/** The rule a refusal names, for counting: the inspection's code, a limit, or the reason with its ids and numbers left out. */
export function refusalCategory(code: number, reason: string): string {
  const rule =
    /refused update \(([\w-]+)\)/.exec(reason)?.[1] ??
    /\b(max[A-Z]\w+)\b/.exec(reason)?.[1] ??
    reason
      .replace(/^.*?（invalid content）: /, '')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\b\d+(:\d+)?\b/g, '#')
      .replace(/\s*\((item|writes at|deletes) [^)]*\)\s*$/, '')
      .slice(0, 56);
  return `refused ${code}: ${rule}`;
}

class InvariantBroken extends Error {
  override name = 'InvariantBroken';
}

/** A Room on a fresh copy of the fixture, with finance (hostile), food (honest) and an observer connected. */
class GuardFuzzRun {
  private finance!: FuzzClient;
  private food!: FuzzClient;
  private observer!: FuzzClient;
  private documentChanges = 0;
  private rejoins = 0;
  /** Finance's socket has had an update held back for missing dependencies: its replica may lag. */
  private financeWaited = false;
  /** Finance's replica may hold a change it never sent. */
  private financeDirty = false;
  private readonly sent: Uint8Array[] = [];
  private readonly recent: Array<() => string> = [];
  private ownSections = new Set<string>();
  private lockedOwnSections = new Set<string>();

  private constructor(
    private readonly fixture: GuardFuzzFixture,
    private readonly plan: FuzzPlan,
    private readonly settings: GuardFuzzSettings,
    private readonly tally: FuzzTally,
    private readonly file: string,
    private readonly database: OpenedDatabase,
    private readonly room: Room,
    /** What the room reported through its options: errors, and whether it broke off. */
    private readonly reported: { errors: string[]; broken: boolean },
  ) {}

  static async start(fixture: GuardFuzzFixture, plan: FuzzPlan, settings: GuardFuzzSettings, tally: FuzzTally): Promise<GuardFuzzRun> {
    const file = path.join(path.dirname(fixture.seedFile), `run-${process.pid}-${tally.runs}.sqlite`);
    fs.copyFileSync(fixture.seedFile, file);
    const reported = { errors: [] as string[], broken: false };
    const onError = (error: unknown, context: string) => void reported.errors.push(`${context}: ${error instanceof Error ? error.message : String(error)}`);
    const database = await openDatabase(file, { journal: { onError } });
    const room = new Room(fixture.reportId, new ReportStore(database), {
      compactAfterUpdates: 500,
      onError,
      onBroken: () => {
        reported.broken = true;
      },
    });
    const run = new GuardFuzzRun(fixture, plan, settings, tally, file, database, room, reported);
    try {
      await room.ready;
      room.document.on('update', () => run.documentChanges++);
      for (const [sectionId, rule] of room.sectionRules) {
        if (rule.departmentId !== fixture.users.finance.editor.departmentId) continue;
        (rule.locked ? run.lockedOwnSections : run.ownSections).add(sectionId);
      }
      run.observer = await FuzzClient.join(room, fixture.users.lead, (plan.clientSeed + 1) >>> 0);
      run.food = await FuzzClient.join(room, fixture.users.food, (plan.clientSeed + 2) >>> 0);
      run.food.announce();
      await run.foodTypes('（食品安全抽检信息已公开）');
      run.finance = await FuzzClient.join(room, fixture.users.finance, (plan.clientSeed + 3) >>> 0);
      run.finance.announce();
      run.observer.absorb();
      run.food.absorb();
      return run;
    } catch (error) {
      await run.close();
      throw error;
    }
  }

  /** The food bureau types in its own section: always accepted, and it reaches the observer. */
  private async foodTypes(text: string): Promise<void> {
    const forged = this.food.forge((doc) => typeInto(doc, FOOD_SECTION, text));
    this.sent.push(forged.payload!);
    this.food.send(forged.frame);
    await this.room.enqueue(noop);
    this.expect(!this.food.socket.closed, () => `the food bureau's honest edit was refused: ${showValue(this.food.socket.closed)}`);
    this.observer.absorb();
    this.expect(fingerprintElement(sectionElements(this.observer.doc).get(FOOD_SECTION)!).includes(text), () => 'the food bureau’s edit did not reach the observer');
  }

  /** The message is only written when the invariant broke: describing a case decodes its update. */
  private expect(condition: unknown, message: () => string): asserts condition {
    if (!condition) throw new InvariantBroken(message());
  }

  async perform(action: FuzzAction, index: number): Promise<void> {
    this.tally.actions++;
    await this.rejoinIfClosed();
    const before = this.captureProtected();
    let forged: ForgedFrame;
    try {
      forged = forgeAction(this.finance.doc, action, this.forgeContext());
    } catch (error) {
      if (!(error instanceof UnforgeableError)) throw error;
      // The change may have been half made on the replica: start from the server's copy again.
      this.financeDirty = true;
      this.tally.unforgeable++;
      this.tally.count(`not forgeable: ${error.message.replace(/\d+/g, '#').slice(0, 50)}`);
      return;
    }
    const addsContent = forged.payload ? inspectOutcome(this.room.document, forged.payload) : null;
    const seqBefore = await this.lastSeq();
    const changesBefore = this.documentChanges;

    const started = performance.now();
    this.finance.send(forged.frame);
    await this.room.enqueue(noop);
    const handledMs = performance.now() - started;
    if (handledMs > this.tally.slowest.ms) this.tally.slowest = { ms: handledMs, kind: action.kind };
    if (forged.payload) this.sent.push(forged.payload);

    // What the action sent the observer, before it asks for what it lacks.
    const observed = this.observer.absorb();
    // Another client asks for what it lacks: it must be answered, and soon.
    const asked = performance.now();
    this.room.receive(this.observer.socket, encodeSyncStep1(Y.encodeStateVector(this.observer.doc)));
    await this.room.enqueue(noop);
    const answerMs = performance.now() - asked;
    const answer = this.observer.absorb();
    this.food.absorb();

    const logged = await this.loggedSince(seqBefore);
    const closed = this.finance.socket.closed;
    const context = () => describeCase(action, index, forged, closed);
    const outcome = this.outcome(forged, logged, closed, addsContent);
    this.tally.count(outcome);

    // Nothing reached the error path, and no room broke off (which sends everyone away).
    this.expect(this.reported.errors.every(isRepairNote), () => `the server reported an error: ${this.reported.errors.find((e) => !isRepairNote(e))}\n${context()}`);
    this.expect(!this.reported.broken, () => `the room broke off (the document may hold what the log does not)\n${context()}`);
    // (e, f) A refusal closes only finance, with 4403 or 4400.
    this.expect(!closed || closed.code === CloseCode.Forbidden || closed.code === CloseCode.MalformedMessage, () => `finance was closed with ${closed?.code} (${closed?.reason})\n${context()}`);
    this.expect(!this.food.socket.closed, () => `the food bureau's socket was closed: ${showValue(this.food.socket.closed)}\n${context()}`);
    this.expect(!this.observer.socket.closed, () => `the observer's socket was closed: ${showValue(this.observer.socket.closed)}\n${context()}`);
    // (a) Every section and table finance may not write, and the report's structure, byte for byte as before.
    const changed = this.diffProtected(before, this.captureProtected());
    this.expect(changed.length === 0, () => `finance changed what it may not write: ${changed.join('; ')}\n${context()}`);
    // (b) The document changed exactly when something was logged, and what was logged is exactly what others were sent.
    const changedDocument = this.documentChanges > changesBefore;
    this.expect(changedDocument === logged.length > 0, () => `the document ${changedDocument ? 'changed' : 'did not change'} but ${logged.length} updates were logged\n${context()}`);
    this.expect(
      logged.length === observed.updates.length && logged.every((row, i) => equalBytes(row, observed.updates[i]!)),
      () => `what was logged (${logged.length} updates) is not what the observer was sent (${observed.updates.length})\n${context()}`,
    );
    // An honest edit is accepted, logged as sent (not repaired).
    if (forged.honest && addsContent === true) {
      this.expect(logged.some((row) => equalBytes(row, forged.payload!)), () => `an honest edit was not accepted as sent${closed ? `: closed ${closed.code} ${closed.reason}` : ''}\n${context()}`);
    }
    // (c) What everyone now has is valid for the schema.
    const problems = [...schemaProblems(this.room.document, this.fixture.format), ...this.suggestionProblems()];
    this.expect(problems.length === 0, () => `the live document is not valid for the schema: ${problems.slice(0, 3).join('; ')}\n${context()}`);
    // (d) The server stays responsive: the action was handled and another client answered within bounds.
    this.expect(answer.answered, () => `the observer's SyncStep1 was not answered\n${context()}`);
    // An answer is the SyncStep2, preceded at most by one update catching up with what was logged since it was encoded.
    this.expect(answer.updates.length <= 1, () => `the observer's SyncStep1 was answered with ${answer.updates.length} updates besides the SyncStep2\n${context()}`);
    this.expect(handledMs < this.settings.boundMs && answerMs < this.settings.boundMs, () => `handling took ${handledMs.toFixed(0)} ms, answering the observer ${answerMs.toFixed(0)} ms (bound ${this.settings.boundMs} ms)\n${context()}`);
    // Everyone else sees the server's document.
    const expected = fingerprintDocument(this.room.document);
    const observedCopy = fingerprintDocument(this.observer.doc);
    this.expect(observedCopy === expected, () => `the observer's copy differs from the server's document: ${describeDifference('document', expected, observedCopy)}\n${context()}`);
    const foodCopy = fingerprintDocument(this.food.doc);
    this.expect(foodCopy === expected, () => `the food bureau's copy differs from the server's document: ${describeDifference('document', expected, foodCopy)}\n${context()}`);
    this.keepFinanceInStep(forged, logged.length > 0, expected, context);
    this.recent.push(context);
    if ((index + 1) % this.settings.reloadEvery === 0) {
      await this.expectLogRebuildsDocument(() => this.recentCases());
      this.recent.length = 0;
    }
  }

  /** At the end of a run: the food bureau still writes, and the log rebuilds exactly the live document. */
  async finish(): Promise<void> {
    await this.foodTypes('（收尾：食品抽检结果）');
    await this.expectLogRebuildsDocument(() => `at the end of the run\n${this.recentCases()}`);
  }

  /** The actions since the log was last rebuilt, for a failure found by rebuilding it. */
  private recentCases(): string {
    return `the actions since the last rebuild:\n${this.recent.map((describe) => describe()).join('\n')}`;
  }

  async close(): Promise<void> {
    await this.room.close();
    await this.database.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${this.file}${suffix}`, { force: true });
  }

  private outcome(forged: ForgedFrame, logged: Uint8Array[], closedNow: { code: number; reason: string } | null, addsContent: boolean | 'waits' | null): string {
    if (closedNow) return refusalCategory(closedNow.code, closedNow.reason);
    if (logged.length > 0) return logged.some((row) => forged.payload && equalBytes(row, forged.payload)) ? 'accepted' : 'accepted, repaired by the server';
    if (addsContent === 'waits') {
      this.financeWaited = true;
      return 'held back (missing dependency)';
    }
    return 'nothing new (no change)';
  }

  /**
   * Finance keeps what it sent (as a client does) and what it is sent; its copy must then be the
   * server's. Once an update of its was held back, the server may take it later without echoing it:
   * the client rejoins instead, as after a refusal.
   */
  private keepFinanceInStep(forged: ForgedFrame, accepted: boolean, expected: string, context: () => string): void {
    if (this.finance.socket.closed) return;
    if (forged.payload && accepted) this.finance.apply(forged.payload);
    this.finance.absorb();
    if (this.financeWaited) return;
    const financeCopy = fingerprintDocument(this.finance.doc);
    this.expect(financeCopy === expected, () => `finance's copy differs from the server's document after an accepted update: ${describeDifference('document', expected, financeCopy)}\n${context()}`);
  }

  private async rejoinIfClosed(): Promise<void> {
    const lagging = this.financeDirty || (this.financeWaited && fingerprintDocument(this.finance.doc) !== fingerprintDocument(this.room.document));
    if (!this.finance.socket.closed && !lagging) return;
    this.financeDirty = false;
    // The browser drops its document and rejoins with a fresh one and a new client id.
    this.room.leave(this.finance.socket);
    this.rejoins++;
    this.financeWaited = false;
    this.finance = await FuzzClient.join(this.room, this.fixture.users.finance, (this.plan.clientSeed + 3 + this.rejoins * 7919) >>> 0);
    this.finance.announce();
    this.observer.absorb();
    this.food.absorb();
  }

  /** Every pending suggestion is well formed and signed by the user whose id is its key, never in a locked section. */
  private suggestionProblems(): string[] {
    const problems: string[] = [];
    const signers = new Map(Object.values(this.fixture.users).map((user) => [user.id, user.identity]));
    for (const [key, entry] of this.room.document.getMap(SUGGESTIONS_FIELD).entries()) {
      const problem = suggestionEntryProblem(entry);
      if (problem) {
        problems.push(`suggestion ${key}: ${problem}`);
        continue;
      }
      const { author, department, sectionId } = entry as SuggestionEntry;
      const signer = signers.get(authorOfKey(key) ?? -1);
      if (!signer || signer.name !== author || signer.department !== department) problems.push(`suggestion ${key} is signed ${author}/${department}, not by its key's user`);
      if (this.lockedOwnSections.has(sectionId)) problems.push(`suggestion ${key} is in the locked section ${sectionId}`);
    }
    return problems;
  }

  private forgeContext(): ForgeContext {
    const ids = this.fixture.clientIds;
    const foreignIds = new Map<ForeignOwner, number | null>([
      ['food-live', this.food.doc.clientID],
      ['food', ids.food],
      ['lead', ids.lead],
      ['server', ids.server],
      ['server-live', this.room.document.clientID],
      ['seed', ids.seed],
      ['finance-earlier', ids.finance],
    ]);
    const { finance, food, lead } = this.fixture.users;
    return {
      ownSections: this.ownSections,
      lockedOwnSections: this.lockedOwnSections,
      foreignIds,
      sent: this.sent,
      suggester: { userId: finance.id, name: finance.identity.name, department: finance.identity.department, color: finance.identity.color },
      otherUserIds: { food: food.id, lead: lead.id },
    };
  }

  /** Everything finance may not change, and the clock of every client id that is not finance's. */
  private captureProtected(): Map<string, string> {
    const doc = this.room.document;
    const state = new Map<string, string>([['structure', fingerprintStructure(doc)]]);
    for (const [sectionId, section] of sectionElements(doc)) {
      if (!this.ownSections.has(sectionId)) state.set(`section ${sectionId}`, fingerprintElement(section));
    }
    for (const tableId of doc.getMap('annex').keys()) {
      const sectionId = this.room.sectionOfTable(tableId);
      if (sectionId === null || !this.ownSections.has(sectionId)) state.set(`table ${tableId}`, fingerprintTable(doc, tableId));
    }
    // Suggestions under anyone else's id: finance neither adds nor changes nor withdraws one.
    for (const [key, entry] of doc.getMap(SUGGESTIONS_FIELD).entries()) {
      if (authorOfKey(key) !== this.fixture.users.finance.id) state.set(`suggestion ${key}`, JSON.stringify(entry));
    }
    const ids = this.fixture.clientIds;
    for (const clientID of [ids.server, ids.lead, ids.food, this.food.doc.clientID, this.observer.doc.clientID]) {
      state.set(`client ${clientID}`, String(Y.getState(doc.store, clientID)));
    }
    return state;
  }

  private diffProtected(before: Map<string, string>, after: Map<string, string>): string[] {
    const keys = new Set([...before.keys(), ...after.keys()]);
    return [...keys].filter((key) => before.get(key) !== after.get(key)).map((key) => describeDifference(key, before.get(key), after.get(key)));
  }

  /** (b) Nothing unlogged stays in the live document, and nothing logged is missing from it. */
  private async expectLogRebuildsDocument(context: () => string): Promise<void> {
    let doc: Y.Doc;
    try {
      ({ doc } = await new ReportStore(this.database).load(this.fixture.reportId));
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      this.expect(false, () => `the report can no longer be rebuilt from its log: ${error instanceof Error ? error.message : String(error)}${cause}\n${context()}`);
    }
    try {
      const rebuilt = fingerprintDocument(doc);
      const live = fingerprintDocument(this.room.document);
      this.expect(rebuilt === live, () => `the report rebuilt from its log differs from the live document: ${describeDifference('document', live, rebuilt)}\n${context()}`);
    } finally {
      doc.destroy();
    }
  }

  private async lastSeq(): Promise<number> {
    const row = await this.database.db.selectFrom('update_log').select((eb) => eb.fn.max('seq').as('seq')).where('report_id', '=', this.fixture.reportId).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  private async loggedSince(seq: number): Promise<Uint8Array[]> {
    const rows = await this.database.db.selectFrom('update_log').select(['data']).where('report_id', '=', this.fixture.reportId).where('seq', '>', seq).orderBy('seq').execute();
    return rows.map((row) => new Uint8Array(row.data));
  }
}

const isRepairNote = (error: string) => error.includes('repaired content that does not fit the schema');

/** Whether the server will take the update as new content, hold it back for what it lacks, or find nothing new in it. */
function inspectOutcome(doc: Y.Doc, update: Uint8Array): boolean | 'waits' | null {
  const inspection = inspectUpdate(doc, update);
  if (inspection.ok) return inspection.addsContent;
  return inspection.refusal.code === 'missing-dependency' ? 'waits' : null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function describeDifference(key: string, before: string | undefined, after: string | undefined): string {
  const a = before ?? '(absent)';
  const b = after ?? '(absent)';
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  const from = Math.max(0, start - 60);
  return `${key}: …${a.slice(from, start + 120)}… became …${b.slice(from, start + 120)}…`;
}

/** The action, the update it sent (decoded, and as hex when short) and what the room did: the reproduction. */
export function describeCase(action: FuzzAction, index: number, forged: ForgedFrame, closed: { code: number; reason: string } | null): string {
  const lines = [`action #${index}: ${showValue(action).slice(0, 600)}`];
  if (forged.payload) {
    lines.push(`update (${forged.payload.length} bytes): ${describeUpdate(forged.payload)}`);
    if (forged.payload.length <= 600) lines.push(`update hex: ${Buffer.from(forged.payload).toString('hex')}`);
  } else {
    lines.push(`frame hex: ${Buffer.from(forged.frame.slice(0, 600)).toString('hex')}`);
  }
  lines.push(closed ? `finance closed: ${closed.code} ${closed.reason}` : 'finance still connected');
  return lines.join('\n');
}

export function describeUpdate(update: Uint8Array): string {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    const id = (value: Y.ID | null) => (value ? `${value.client}:${value.clock}` : '-');
    const shown = structs.slice(0, 12).map((struct) => {
      if (!(struct instanceof Y.Item)) return `${struct.constructor.name}(${id(struct.id)}+${struct.length})`;
      const parent = struct.parent instanceof Y.ID ? id(struct.parent) : String(struct.parent);
      const content = struct.content instanceof Y.ContentType ? `${struct.content.type.constructor.name}${struct.content.type instanceof Y.XmlElement ? `<${struct.content.type.nodeName}>` : ''}` : `${struct.content.constructor.name} ${showValue(struct.content.getContent()).slice(0, 60)}`;
      return `{${id(struct.id)} origin ${id(struct.origin)} right ${id(struct.rightOrigin)} parent ${parent}${struct.parentSub !== null ? `.${struct.parentSub}` : ''} ${content}}`;
    });
    const deletes = [...ds.clients].flatMap(([client, ranges]) => ranges.map((range) => `${client}:${range.clock}+${range.len}`));
    return `${structs.length} structs ${shown.join(' ')}${structs.length > 12 ? ' …' : ''}; deletes ${deletes.slice(0, 8).join(' ') || 'none'}`;
  } catch (error) {
    return `does not decode (${error instanceof Error ? error.message : String(error)})`;
  }
}

// ——— the property

export interface GuardFuzzOptions extends Partial<GuardFuzzSettings> {
  seed: number;
  numRuns: number;
  /** Actions per run, at most. */
  maxActions: number;
  /** Only these kinds of action (all when absent). */
  kinds?: readonly FuzzActionKind[];
  /** Shrink a failing case to a small one (the default); off, the first failing case is reported as found. */
  shrink?: boolean;
  /** Stop shrinking (and report what was found so far) after this long. */
  shrinkLimitMs?: number;
}

export interface GuardFuzzReport {
  seed: number;
  /** Runs (each a sequence of actions on a fresh database) tried, shrinking included. */
  runs: number;
  actions: number;
  unforgeable: number;
  outcomes: Map<string, number>;
  /** The longest one action's handling took in the room's queue. */
  slowest: { ms: number; kind: string };
  wallMs: number;
  /** fast-check's report of the smallest failing case found, or null when every invariant held. */
  failure: string | null;
}

/** Runs the fuzzer: `numRuns` seeded runs of up to `maxActions` actions each, every invariant after every action. */
export async function runGuardFuzz(fixture: GuardFuzzFixture, options: GuardFuzzOptions): Promise<GuardFuzzReport> {
  const settings: GuardFuzzSettings = { boundMs: options.boundMs ?? 2000, reloadEvery: options.reloadEvery ?? 5 };
  const tally = new FuzzTally();
  const started = performance.now();
  const property = fc.asyncProperty(fuzzPlan(options.maxActions, options.kinds), async (plan) => {
    const run = await GuardFuzzRun.start(fixture, plan, settings, tally);
    tally.runs++;
    try {
      for (const [index, action] of plan.actions.entries()) await run.perform(action, index);
      await run.finish();
    } finally {
      await run.close();
    }
  });
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.numRuns,
    endOnFailure: options.shrink === false,
    ...(options.shrinkLimitMs ? { interruptAfterTimeLimit: options.shrinkLimitMs, markInterruptAsFailure: true } : {}),
  });
  return {
    seed: options.seed,
    runs: tally.runs,
    actions: tally.actions,
    unforgeable: tally.unforgeable,
    outcomes: tally.outcomes,
    slowest: tally.slowest,
    wallMs: performance.now() - started,
    failure: details.failed ? `${fc.defaultReportMessage(details) ?? 'failed'}\n\n${errorText(details.errorInstance)}` : null,
  };
}

function errorText(error: unknown): string {
  if (error instanceof InvariantBroken) return `invariant broken: ${error.message}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The report as lines to print: runs, actions, outcomes by kind, time. */
export function formatGuardFuzzReport(report: GuardFuzzReport): string {
  const outcomes = [...report.outcomes].sort(([, a], [, b]) => b - a).map(([outcome, count]) => `  ${String(count).padStart(6)}  ${outcome}`);
  const seconds = report.wallMs / 1000;
  return [
    `guard fuzzer (seed ${report.seed}): ${report.runs} runs, ${report.actions} actions (${report.unforgeable} not forgeable), ${seconds.toFixed(1)} s, ${(report.actions / seconds).toFixed(0)} actions/s, slowest action ${report.slowest.ms.toFixed(0)} ms (${report.slowest.kind})`,
    ...outcomes,
    report.failure ? `FAILED:\n${report.failure}` : 'every invariant held',
  ].join('\n');
}
