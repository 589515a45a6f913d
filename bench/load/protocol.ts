/** What the orchestrator may ask a client worker (bench/load/client-worker.ts) over IPC. */

export interface ClientSpec {
  /** Room name: the report id on our server. */
  room: string;
  /** The section this client types into, or null for a client that only reads. */
  typeInto: string | null;
}

/**
 * Whose stock client connects: y-websocket's `WebsocketProvider` (ours and the stock server speak
 * its protocol) or `HocuspocusProvider` (Hocuspocus prefixes every message with the document name).
 */
export type ClientProtocol = 'y-websocket' | 'hocuspocus';

/** Where and how a worker's clients connect. */
export interface ServerAddress {
  protocol: ClientProtocol;
  wsBase: string;
  /** Session cookie for our server; null for the peers, which have no login. */
  cookie: string | null;
  /** The provider's reconnect backoff cap. */
  maxBackoffTime: number;
}

export interface ConnectParams extends ServerAddress {
  clients: ClientSpec[];
  timeoutMs: number;
}

export interface JoinParams extends ServerAddress {
  room: string;
  /** How many clients join, one after another. */
  count: number;
  /**
   * Before each join, this worker's first typist types one character, and the join starts once
   * this worker's first reader has it back from the server: every joiner finds the report moved on.
   */
  afterKeystroke: boolean;
  timeoutMs: number;
}

/** Column-wise records, so a few hundred thousand of them cross IPC as a handful of typed arrays. */
export interface KeystrokeLog {
  /** Typist's client id, its clock right after the insert, and when it inserted (wallNow()). */
  sent: { client: Uint32Array; clock: Uint32Array; at: Float64Array };
  /** Receiving client's id, the remote client whose state advanced, its new clock, and when. */
  received: { receiver: Uint32Array; client: Uint32Array; clock: Uint32Array; at: Float64Array };
}

export interface WorkerApi {
  /** Adds clients; resolves once all of them are synced. */
  connect(params: ConnectParams): { clients: number[]; typists: number[] };
  /** Every typist inserts one character every `intervalMs`, each starting at a random moment within the first `intervalMs`. */
  startTyping(params: { intervalMs: number; record: boolean }): void;
  /** Stops typing; the final clock of each of this worker's typists. */
  stopTyping(): { typists: number[]; clocks: number[]; keystrokes: number };
  /** Resolves once every client holds `clocks[i]` of `typists[i]` (its own aside), or the timeout passed. */
  awaitClocks(params: { typists: number[]; clocks: number[]; timeoutMs: number }): { reached: boolean };
  /** Hands over and forgets the keystrokes recorded since typing started. */
  takeLog(): KeystrokeLog;
  /**
   * Waits (up to the timeout) until every socket is closed, so nothing the server sent is still
   * unread, then returns the highest clock of each remote client held by any client that does not type.
   */
  receivedByReaders(params: { timeoutMs: number }): { clients: number[]; clocks: number[] };
  /**
   * New clients with empty documents join one after another, each closed once synced; the time
   * from creating each one's provider to its being synced, in ms.
   */
  join(params: JoinParams): { ms: number[] };
  /** Resolves once every client has synced at or after `since` (wallNow()); NaN for those that did not in time. */
  awaitSynced(params: { since: number; timeoutMs: number }): { syncedAt: Float64Array; stragglers: string[] };
}

export type WorkerOp = keyof WorkerApi;

export interface WorkerRequest<Op extends WorkerOp = WorkerOp> {
  id: number;
  op: Op;
  params: Parameters<WorkerApi[Op]>;
}

export type WorkerResponse = { id: number; result: unknown } | { id: number; error: string };
