/**
 * What the browser and the server agree on about the collaboration socket and the report's
 * Y.Doc. One file so both sides read the same numbers (the UI shows them, the server enforces
 * them) and the close codes have one meaning everywhere.
 */

/** Root XmlFragment holding the report body: top-level children are `section` elements. */
export const BODY_FIELD = 'body';
/** Root Map holding annex tables: table id → Y.Map of "<rowId>:<columnId>" → number. */
export const ANNEX_FIELD = 'annex';
/** Root Map holding pending suggestions: "<userId>:<nonce>" → a suggestion (blocks/suggestions.ts). */
export const SUGGESTIONS_FIELD = 'suggestions';
/** The only root types a report's Y.Doc may contain. */
export const ROOT_FIELDS: readonly string[] = [BODY_FIELD, ANNEX_FIELD, SUGGESTIONS_FIELD];

/** Annex table ids: a national table ("B") or a contributing unit's copy of one ("B@finance"). */
export const ANNEX_TABLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,63}$/;

const ANNEX_CELL_KEY_PATTERN = /^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9._-]{1,64}$/;

/** An annex cell's key in its table's map: "<rowId>:<columnId>". */
export function isAnnexCellKey(key: string): boolean {
  return ANNEX_CELL_KEY_PATTERN.test(key);
}

/** A cell holds a finite number, or null for "not filled" (never silently zero). */
export function isAnnexCellValue(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Close codes of the collaboration socket. 4400–4499 tell y-websocket's provider not to
 * reconnect on its own: the app decides what to do (rejoin with a fresh document, or log in).
 */
export const CloseCode = {
  /** Server is stopping; the provider reconnects by itself. */
  GoingAway: 1001,
  /** A frame larger than `limits.maxMessageBytes`. */
  MessageTooBig: 1009,
  /** A frame that is not a well-formed y-websocket message or Yjs update. */
  MalformedMessage: 4400,
  /** The session expired or was logged out while the socket was open. */
  SessionExpired: 4401,
  /** An edit this user may not make; the reason names the section. */
  Forbidden: 4403,
  /**
   * Too much, too fast from one socket; the reason names the quota of `socketQuotas`. y-websocket
   * 3.1 (`defaultShouldReconnect` in src/y-websocket.js) does not reconnect after 4400–4499: it
   * stops, emits `closed` with the code and reason, and waits for the app to call `connect()`. So
   * a flooding client does not come straight back, and the browser app decides when to resume —
   * with the same document, since nothing it sent was refused.
   */
  RateLimited: 4429,
  /** The report could not be loaded or stored; the reason says why. */
  ServerError: 4500,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

export const limits = {
  /** Largest single socket frame accepted (a big paste is well under 1 MB). */
  maxMessageBytes: 4 * 1024 * 1024,
  /** One participant's presence (cursor, section) as JSON; the editor's is a few hundred bytes. */
  maxPresenceStateBytes: 4 * 1024,
  /**
   * All presence one report shows: several hundred people's. Clients echo what they know, so the
   * whole must stay far below `maxMessageBytes`.
   */
  maxPresenceBytesPerReport: 256 * 1024,
  /** Characters of one comment or return note. */
  maxCommentLength: 5000,
} as const;

/** A token bucket: up to `burst` at once, refilled at `perSecond`. */
export interface RateQuota {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * How much one user's sockets may ask of the server. Each is far above what an honest editor
 * sends, so only a runaway or hostile client ever meets one: a socket over a rate is closed with
 * `CloseCode.RateLimited`, a connection over a count is refused with HTTP 429.
 */
export const socketQuotas = {
  /**
   * Document updates (keystrokes, pastes, SyncStep2) per socket: each waits in the report's one
   * queue, so this bounds how long one socket can hold everyone's edits back. A fast typist sends
   * ~30 a second, held-down key repeat ~33, an IME commit a few at once, a paste one; the burst
   * covers many seconds of the fastest of them.
   */
  updates: { burst: 500, perSecond: 60 },
  /**
   * Bytes of every frame per socket. The burst holds a reconnect's SyncStep2 of a whole offline
   * session at the frame limit followed by a paste as large again; a 10 KB paste is a hundredth of
   * a second's allowance.
   */
  bytes: { burst: 2 * limits.maxMessageBytes, perSecond: 1024 * 1024 },
  /**
   * Requests for the whole state per socket — SyncStep1 (its answer can be the whole report) and
   * presence queries. The stock provider sends one SyncStep1 per connection and no queries.
   */
  fullStateRequests: { burst: 4, perSecond: 4 / 60 },
  /** Open sockets of one login: one per report open in a tab of that browser. */
  socketsPerSession: 8,
  /** Open sockets of one user across logins (an office PC, a laptop, a second browser). */
  socketsPerUser: 20,
  /**
   * Bytes waiting to be sent on all sockets of the server together (default of
   * `COLLAB_MAX_TOTAL_BUFFERED_BYTES`); beyond it the sockets with the largest backlog are cut off.
   */
  maxTotalBufferedBytes: 256 * 1024 * 1024,
} as const satisfies Record<string, RateQuota | number>;

/** Socket close reasons are limited to 123 bytes of UTF-8 by the WebSocket protocol. */
export function truncateCloseReason(reason: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(reason).length <= 123) return reason;
  let cut = reason;
  while (encoder.encode(cut + '…').length > 123) cut = cut.slice(0, -1);
  return cut + '…';
}
