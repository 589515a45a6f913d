/**
 * What the server holds back until the current turn of the event loop has handled its reads, in
 * the order of its phase: first the frames held for the collaboration sockets leave ('send'),
 * then the updates logged ahead in the journal move into the database ('store'), so that moving
 * them never holds a keystroke back from the peers waiting for it. One `setImmediate` runs them
 * all; work added while they run waits for the next turn.
 */
export type TurnEndPhase = 'send' | 'store';

const phases: Record<TurnEndPhase, Array<() => void>> = { send: [], store: [] };
let scheduled = false;

export function atTurnEnd(phase: TurnEndPhase, work: () => void): void {
  phases[phase].push(work);
  if (scheduled) return;
  scheduled = true;
  setImmediate(runTurnEnd);
}

function runTurnEnd(): void {
  scheduled = false;
  const due = [...phases.send.splice(0), ...phases.store.splice(0)];
  for (const work of due) work();
}
