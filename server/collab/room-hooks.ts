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

/** Someone suggested changes (修订) in these sections. */
export interface SuggestionsMade {
  room: Room;
  sectionIds: readonly string[];
  userId: number;
}

type Listener<E> = (event: E) => Promise<void>;

/** Why the server closed a collaboration socket: a fixed set, so it can be counted. */
export type ExpelKind =
  | 'not-permitted'
  | 'invalid-content'
  | 'foreign-client-id'
  | 'section-too-long'
  | 'malformed'
  | 'unresolvable'
  | 'missing-dependency'
  | 'reloading'
  | 'store-failed';

/**
 * What happens in rooms, told as it happens, for counting and logging. Observers run synchronously
 * and must be cheap: they are called on the path of every keystroke.
 */
export interface RoomObserver {
  /** An update was logged (after `appendMs` of appending) and delivered. */
  committed?(event: { reportId: string; seq: number; appendMs: number; userId: number | null }): void;
  /** A message waited `ms` in the report's queue before it was handled. */
  queueWaited?(event: { reportId: string; ms: number }): void;
  /** The server closed a socket. */
  expelled?(event: { reportId: string; userId: number; code: number; kind: ExpelKind; reason: string }): void;
  compacted?(event: { reportId: string; seq: number; ms: number }): void;
  loaded?(event: { reportId: string; ms: number; updatesReplayed: number }): void;
}

/**
 * Named moments of every room that other parts of the server act on, so the workflow, metrics or
 * a relay observe rooms without reaching into them. Listeners run in the report's queue, at the
 * moment itself: what they change takes effect before the next message is judged — so they must
 * not wait for the queue (no `rooms.read`), only act on the room they are given.
 */
export class RoomHooks {
  private readonly approvedTextEdits: Array<Listener<ApprovedTextEdit>> = [];
  private readonly suggestions: Array<Listener<SuggestionsMade>> = [];
  private readonly observers: RoomObserver[] = [];

  observe(observer: RoomObserver): void {
    this.observers.push(observer);
  }

  /** Tells every observer that has an ear for it. */
  tell<K extends keyof RoomObserver>(moment: K, event: Parameters<NonNullable<RoomObserver[K]>>[0]): void {
    for (const observer of this.observers) (observer[moment] as ((event: Parameters<NonNullable<RoomObserver[K]>>[0]) => void) | undefined)?.(event);
  }

  onApprovedTextEdited(listener: Listener<ApprovedTextEdit>): void {
    this.approvedTextEdits.push(listener);
  }

  async approvedTextEdited(edit: ApprovedTextEdit): Promise<void> {
    for (const listener of this.approvedTextEdits) await listener(edit);
  }

  onSuggestionsMade(listener: Listener<SuggestionsMade>): void {
    this.suggestions.push(listener);
  }

  async suggestionsMade(event: SuggestionsMade): Promise<void> {
    for (const listener of this.suggestions) await listener(event);
  }
}
