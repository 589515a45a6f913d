import { describe, expect, it } from 'vitest';
import { atSessionDeadline } from './session-end.js';

/** Resolves with the time `atSessionDeadline` called its end, for a deadline `inMs` from now. */
function deadline(inMs: number): { ended: Promise<number>; cancel: () => void } {
  let cancel!: () => void;
  const ended = new Promise<number>((resolve) => {
    cancel = atSessionDeadline(Date.now() + inMs, Date.now, () => resolve(Date.now()));
  });
  return { ended, cancel };
}

describe('the end of a session, on time', () => {
  it('comes at the deadline, not before', async () => {
    const expiresAt = Date.now() + 50;
    const endedAt = await new Promise<number>((resolve) => atSessionDeadline(expiresAt, Date.now, () => resolve(Date.now())));
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt);
  });

  it('comes at once for a session already past its deadline', async () => {
    await deadline(-1000).ended;
  });

  it('never comes once cancelled, nor for a deadline beyond the range of one timer', async () => {
    let ended = 0;
    const cancelled = atSessionDeadline(Date.now() + 20, Date.now, () => ended++);
    cancelled();
    const farAway = atSessionDeadline(Date.now() + 40 * 24 * 3600 * 1000, Date.now, () => ended++);
    await deadline(60).ended;
    expect(ended).toBe(0);
    farAway();
  });
});
