import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncAnswers } from './sync-answers.js';

describe('answers to state vectors', () => {
  afterEach(() => vi.useRealTimers());

  /** Answers are numbered in the order they were encoded; a catch-up lists the updates it carries. */
  const encoder = () => {
    let answers = 0;
    const catchUps: number[][] = [];
    return {
      encoding: {
        answer: () => Uint8Array.of(++answers),
        catchUp: (updates: Uint8Array[]) => {
          catchUps.push(updates.map((update) => update[0]!));
          return Uint8Array.of(100, ...updates.map((update) => update[0]!));
        },
      },
      answers: () => answers,
      catchUps,
    };
  };
  const vector = (...bytes: number[]) => Uint8Array.from(bytes);

  it('encodes once for every client that presents the same state vector at the same version', () => {
    const answers = new SyncAnswers();
    const { encoding, answers: encoded } = encoder();
    const [first] = answers.answer(7, vector(1, 2, 3), encoding);
    expect(answers.answer(7, vector(1, 2, 3), encoding)).toEqual([first]);
    expect(answers.answer(7, vector(1, 2, 3), encoding)[0]).toBe(first);
    expect(answers.answer(7, vector(0), encoding)[0]).not.toBe(first);
    expect(encoded()).toBe(2);
  });

  it('once the report has moved on, sends what was logged since before the answer already encoded', () => {
    const answers = new SyncAnswers();
    const { encoding, answers: encoded, catchUps } = encoder();
    const [answer] = answers.answer(7, vector(0), encoding);
    answers.logged(8, vector(8));
    answers.logged(9, vector(9));
    const reply = answers.answer(9, vector(0), encoding);
    expect(reply).toEqual([Uint8Array.of(100, 8, 9), answer]);
    expect(reply[1]).toBe(answer);
    // Clients joining at the same moment share the catch-up as well.
    expect(answers.answer(9, vector(0), encoding)[0]).toBe(reply[0]);
    expect(encoded()).toBe(1);
    expect(catchUps).toEqual([[8, 9]]);
  });

  it('encodes afresh once the updates to catch up with are too many or too large', () => {
    const answers = new SyncAnswers({ maxCatchUpUpdates: 3, maxCatchUpBytes: 100 });
    const { encoding, answers: encoded } = encoder();
    answers.answer(1, vector(0), encoding);
    for (let seq = 2; seq <= 5; seq++) answers.logged(seq, vector(seq));
    expect(answers.answer(5, vector(0), encoding)).toEqual([Uint8Array.of(2)]);

    answers.logged(6, new Uint8Array(101));
    expect(answers.answer(6, vector(0), encoding)).toEqual([Uint8Array.of(3)]);
    answers.logged(7, vector(7));
    expect(answers.answer(7, vector(0), encoding)).toEqual([Uint8Array.of(100, 7), Uint8Array.of(3)]);
    expect(encoded()).toBe(3);
  });

  it('an update it was not told of makes it encode afresh rather than leave it out', () => {
    const answers = new SyncAnswers();
    const { encoding, answers: encoded } = encoder();
    answers.answer(1, vector(0), encoding);
    answers.logged(2, vector(2));
    expect(answers.answer(3, vector(0), encoding)).toEqual([Uint8Array.of(2)]);
    expect(encoded()).toBe(2);
  });

  it('keeps a few answers, and none for long', () => {
    vi.useFakeTimers();
    const answers = new SyncAnswers({ keepMs: 5_000, maxAnswers: 2 });
    const { encoding, answers: encoded } = encoder();
    for (const each of [[1], [2], [3], [1]]) answers.answer(1, vector(...each), encoding);
    expect(encoded()).toBe(4);
    answers.answer(1, vector(3), encoding);
    expect(encoded()).toBe(4);
    vi.advanceTimersByTime(5_000);
    answers.answer(1, vector(3), encoding);
    expect(encoded()).toBe(5);
  });
});
