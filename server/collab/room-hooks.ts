import type { Room } from './room.js';

/** Approved text was edited: those sections' approval no longer stands. */
export interface ApprovedTextEdit {
  room: Room;
  sectionIds: readonly string[];
  /** Who edited; null: the server. */
  userId: number | null;
  /** The logged update that did it. */
  seq: number;
}

type Listener<E> = (event: E) => Promise<void>;

/**
 * Named moments of every room that other parts of the server act on, so the workflow, metrics or
 * a relay observe rooms without reaching into them. Listeners run in the report's queue, at the
 * moment itself: what they change takes effect before the next message is judged — so they must
 * not wait for the queue (no `rooms.read`), only act on the room they are given.
 */
export class RoomHooks {
  private readonly approvedTextEdits: Array<Listener<ApprovedTextEdit>> = [];

  onApprovedTextEdited(listener: Listener<ApprovedTextEdit>): void {
    this.approvedTextEdits.push(listener);
  }

  async approvedTextEdited(edit: ApprovedTextEdit): Promise<void> {
    for (const listener of this.approvedTextEdits) await listener(edit);
  }
}
