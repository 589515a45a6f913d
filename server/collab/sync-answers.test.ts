import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncAnswers } from './sync-answers.js';

describe('answers to state vectors', () => {
  afterEach(() => vi.useRealTimers());

  /**
   * Answers of `answerBytes` bytes, the first saying how many were encoded so far; a catch-up
   * starts with 100 and lists the first byte of each update it carries.
   */
  const encoder = (answerBytes = 1000) => {
    let answers = 0;
    const catchUps: number[][] = [];
    return {
      encoding: {
        answer: () => {
          const answer = new Uint8Array(answerBytes);
          answer[0] = ++answers;
          return answer;
        },
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
  /** The first byte of each message: which answer, or 100 for a catch-up. */
  const kinds = (messages: Uint8Array[]) => messages.map((message) => message[0]);

  it('encodes once for every client that presents the same state vector at the same version', () => {
    const answers = new SyncAnswers();
    const { encoding, answers: encoded } = encoder();
    const [first] = answers.answer(7, vector(1, 2, 3), encoding);
    const again = answers.answer(7, vector(1, 2, 3), encoding);
    expect(again).toHaveLength(1);
    expect(again[0]).toBe(first);
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
    expect(reply[0]).toEqual(Uint8Array.of(100, 8, 9));
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
    expect(kinds(answers.answer(5, vector(0), encoding))).toEqual([2]);

    answers.logged(6, new Uint8Array(101));
    expect(kinds(answers.answer(6, vector(0), encoding))).toEqual([3]);
    answers.logged(7, vector(7));
    expect(kinds(answers.answer(7, vector(0), encoding))).toEqual([100, 3]);
    expect(encoded()).toBe(3);
  });

  it('a small report is encoded afresh rather than caught up with more than half its size', () => {
    const answers = new SyncAnswers();
    const { encoding, answers: encoded } = encoder(40);
    answers.answer(1, vector(0), encoding);
    answers.logged(2, new Uint8Array(20));
    expect(kinds(answers.answer(2, vector(0), encoding))).toEqual([100, 1]);
    answers.logged(3, new Uint8Array(1));
    expect(kinds(answers.answer(3, vector(0), encoding))).toEqual([2]);
    expect(encoded()).toBe(2);
  });

  it('an update it was not told of makes it encode afresh rather than leave it out', () => {
    const answers = new SyncAnswers();
    const { encoding, answers: encoded } = encoder();
    answers.answer(1, vector(0), encoding);
    answers.logged(2, vector(2));
    expect(kinds(answers.answer(3, vector(0), encoding))).toEqual([2]);
    expect(encoded()).toBe(2);
  });

  it('keeps its answers while clients keep asking, and forgets them once nobody has for a while', () => {
    vi.useFakeTimers();
    const answers = new SyncAnswers({ keepMs: 5_000 });
    const { encoding, answers: encoded } = encoder();
    answers.answer(1, vector(0), encoding);
    for (const wait of [4_000, 4_000, 4_000]) {
      vi.advanceTimersByTime(wait);
      answers.answer(1, vector(0), encoding);
    }
    expect(encoded()).toBe(1);
    vi.advanceTimersByTime(5_000);
    answers.answer(1, vector(0), encoding);
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
