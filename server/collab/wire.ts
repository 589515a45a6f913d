import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

/** Top-level message types of the y-websocket protocol. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;

export type IncomingMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2' | 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' };

export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

/** Parses one frame completely; anything unexpected (unknown type, truncation, trailing bytes) is malformed. */
export function parseMessage(frame: Uint8Array): IncomingMessage {
  const decoder = decoding.createDecoder(frame);
  let message: IncomingMessage;
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) message = { type: 'sync-step-1', stateVector: payload };
        else if (step === syncProtocol.messageYjsSyncStep2) message = { type: 'sync-step-2', update: payload };
        else if (step === syncProtocol.messageYjsUpdate) message = { type: 'sync-update', update: payload };
        else throw new MalformedMessageError(`unknown sync step ${step}`);
        break;
      }
      case MessageType.Awareness:
        message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.QueryAwareness:
        message = { type: 'query-awareness' };
        break;
      default:
        throw new MalformedMessageError(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError(`truncated message: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessageError(`${frame.length - decoder.pos} unexpected bytes after the message`);
  return message;
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(syncProtocol.messageYjsSyncStep1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(syncProtocol.messageYjsSyncStep2, update);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(syncProtocol.messageYjsUpdate, update);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * The payload is copied once, straight into the message: an answer to a join can be a whole
 * report, which an encoder would copy twice (into its buffers, then out of them).
 */
function encodeSync(step: number, payload: Uint8Array): Uint8Array {
  const header = encoding.createEncoder();
  encoding.writeVarUint(header, MessageType.Sync);
  encoding.writeVarUint(header, step);
  encoding.writeVarUint(header, payload.byteLength);
  const head = encoding.toUint8Array(header);
  const message = new Uint8Array(head.byteLength + payload.byteLength);
  message.set(head);
  message.set(payload, head.byteLength);
  return message;
}
