import * as Y from 'yjs';

const GATE = Symbol('composition-gate');

/**
 * Two documents joined by a gate: the network document talks to the server, the editor
 * document is bound to ProseMirror. Local edits pass straight through; remote edits are held
 * back while an input method is composing (a remote change applied mid-composition breaks or
 * duplicates the characters being composed) and applied together when the composition ends.
 */
export class CompositionGate {
  readonly editorDoc = new Y.Doc();
  private held: Uint8Array[] = [];
  private composing = false;

  constructor(readonly networkDoc: Y.Doc) {
    // Both documents act for the same client: the network one only relays the editor's edits.
    networkDoc.clientID = this.editorDoc.clientID;
    Y.applyUpdate(this.editorDoc, Y.encodeStateAsUpdate(networkDoc), GATE);
    this.editorDoc.on('update', this.forwardLocal);
    networkDoc.on('update', this.receiveRemote);
  }

  get isComposing(): boolean {
    return this.composing;
  }

  get heldUpdates(): number {
    return this.held.length;
  }

  setComposing(composing: boolean): void {
    this.composing = composing;
    if (!composing) this.flush();
  }

  destroy(): void {
    this.editorDoc.off('update', this.forwardLocal);
    this.networkDoc.off('update', this.receiveRemote);
    this.editorDoc.destroy();
  }

  private flush(): void {
    if (this.held.length === 0) return;
    const update = this.held.length === 1 ? this.held[0]! : Y.mergeUpdates(this.held);
    this.held = [];
    Y.applyUpdate(this.editorDoc, update, GATE);
  }

  private readonly forwardLocal = (update: Uint8Array, origin: unknown) => {
    if (origin !== GATE) Y.applyUpdate(this.networkDoc, update, GATE);
  };

  private readonly receiveRemote = (update: Uint8Array, origin: unknown) => {
    if (origin === GATE) return;
    if (this.composing) this.held.push(update);
    else Y.applyUpdate(this.editorDoc, update, GATE);
  };
}
