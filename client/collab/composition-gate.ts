import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** y-websocket's message type for sync messages. */
const MESSAGE_SYNC = 0;

/**
 * Holds back remote edits while an input method is composing: a remote change applied to the
 * editor mid-composition breaks or duplicates the characters being composed. Incoming document
 * updates are kept as they arrive and applied in order when the composition ends; the server's
 * requests for our state are still answered at once, so the connection stays healthy.
 */
export class CompositionGate {
  private held: Uint8Array[] = [];
  private heldInitialSync = false;
  private composing = false;

  constructor(private readonly provider: WebsocketProvider) {
    const deliver = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, source, emitSynced, messageType) => {
      const step = decoding.peekVarUint(decoder);
      if (!this.composing || step === syncProtocol.messageYjsSyncStep1) {
        deliver(encoder, decoder, source, emitSynced, messageType);
        return;
      }
      decoding.readVarUint(decoder);
      this.held.push(decoding.readVarUint8Array(decoder));
      if (step === syncProtocol.messageYjsSyncStep2 && emitSynced) this.heldInitialSync = true;
    };
  }

  setComposing(composing: boolean): void {
    this.composing = composing;
    if (!composing) this.release();
  }

  private release(): void {
    // One at a time, as they would have arrived: a moved section's copy then reaches the editor
    // as the move made it, before anyone's later edits to it (see editor/section-moves).
    const held = this.held;
    this.held = [];
    for (const update of held) Y.applyUpdate(this.provider.doc, update, this.provider);
    if (this.heldInitialSync) {
      this.heldInitialSync = false;
      if (!this.provider.synced) this.provider.synced = true;
    }
  }
}
