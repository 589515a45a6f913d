import type { CloseCodeValue } from '../../blocks/contract.js';
import type { PresenceIdentity } from './awareness-identity.js';
import type { Editor } from './section-guard.js';

/** One open collaboration socket, as a room sees it. */
export interface Peer {
  readonly userId: number;
  readonly sessionId: string;
  /** Role and department: what the guard judges this socket's edits by. */
  readonly editor: Editor;
  readonly identity: PresenceIdentity;
  send(frame: Uint8Array): void;
  close(code: CloseCodeValue, reason: string): void;
}
