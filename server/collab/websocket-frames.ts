/**
 * The server's WebSocket frames for binary messages (RFC 6455 §5.2), built once per message
 * however many sockets it goes to. A server never masks its frames, so one frame's bytes serve
 * every socket: a keystroke broadcast to a hundred peers is framed once and written as one shared
 * buffer per socket — one system call each — where each socket's WebSocket library would frame it
 * again and write header and payload as two pieces.
 */

/** A final, unmasked binary frame holding `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, header);
  return frame;
}

/**
 * The frames of the messages being sent. A broadcast goes to all of a room's peers in a row, and
 * an answer kept for later joins (see SyncAnswers) goes out again and again while other messages
 * are sent in between: each is framed once, for as long as the message itself is kept.
 */
export class MessageFrames {
  private readonly frames = new WeakMap<Uint8Array, Buffer>();

  of(message: Uint8Array): Buffer {
    let frame = this.frames.get(message);
    if (!frame) {
      frame = binaryFrame(message);
      this.frames.set(message, frame);
    }
    return frame;
  }
}
