/**
 * What the browser and the server agree on about the collaboration socket and the report's
 * Y.Doc. One file so both sides read the same numbers (the UI shows them, the server enforces
 * them) and the close codes have one meaning everywhere.
 */

/** Root XmlFragment holding the report body: top-level children are `section` elements. */
export const BODY_FIELD = 'body';
/** Root Map holding annex tables: table id → Y.Map of "<rowId>:<columnId>" → number. */
export const ANNEX_FIELD = 'annex';
/** The only root types a report's Y.Doc may contain. */
export const ROOT_FIELDS: readonly string[] = [BODY_FIELD, ANNEX_FIELD];

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
  /** The report could not be loaded or stored; the reason says why. */
  ServerError: 4500,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

export const limits = {
  /** Largest single socket frame accepted (a big paste is well under 1 MB). */
  maxMessageBytes: 4 * 1024 * 1024,
} as const;

/** Socket close reasons are limited to 123 bytes of UTF-8 by the WebSocket protocol. */
export function truncateCloseReason(reason: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(reason).length <= 123) return reason;
  let cut = reason;
  while (encoder.encode(cut + '…').length > 123) cut = cut.slice(0, -1);
  return cut + '…';
}
