import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { limits } from '../../blocks/contract.js';
import { MalformedMessageError } from './wire.js';

/** Who a connection's user is, as every other participant sees it. Filled by the server only. */
export interface PresenceIdentity {
  username: string;
  name: string;
  department: string;
  departmentName: string;
  color: string;
}

export interface AwarenessEntry {
  clientID: number;
  clock: number;
  /** null: the client left. */
  state: Record<string, unknown> | null;
  /** The length of the state as the client sent it (JSON). */
  size: number;
}


/** The entries of an awareness update for the client ids `wanted` accepts; the rest are skipped unparsed. */
export function decodeAwarenessUpdate(update: Uint8Array, wanted: (clientID: number) => boolean): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (!wanted(clientID)) continue;
      if (json.length > limits.maxPresenceStateBytes) throw new MalformedMessageError(`awareness state of client ${clientID} exceeds ${limits.maxPresenceStateBytes} bytes`);
      const state: unknown = JSON.parse(json);
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
        throw new MalformedMessageError(`awareness state of client ${clientID} is not an object`);
      }
      entries.push({ clientID, clock, state: state as Record<string, unknown> | null, size: json.length });
    }
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError(`malformed awareness update: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessageError('unexpected bytes after the awareness update');
  return entries;
}

/** Replaces whatever identity a client claims with the one its session proves. */
export function encodeStampedAwarenessUpdate(entries: AwarenessEntry[], identity: PresenceIdentity): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientID);
    encoding.writeVarUint(encoder, entry.clock);
    const state = entry.state === null ? null : { ...entry.state, user: identity };
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}
