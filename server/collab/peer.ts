import type { CloseCodeValue } from '../../blocks/contract.js';
import type { PresenceIdentity } from './awareness-identity.js';

/** One open collaboration socket, as a room sees it. */
export interface Peer {
  readonly userId: number;
  readonly sessionId: string;
  readonly canWrite: boolean;
  readonly identity: PresenceIdentity;
  send(frame: Uint8Array): void;
  close(code: CloseCodeValue, reason: string): void;
}
