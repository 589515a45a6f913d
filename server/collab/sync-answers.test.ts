import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncAnswers } from './sync-answers.js';

describe('answers to state vectors', () => {
  afterEach(() => vi.useRealTimers());

  const encoder = () => {
    let calls = 0;
    return { encode: () => new Uint8Array([++calls]), calls: () => calls };
  };

  it('encodes once for every client that presents the same state vector at the same version', () => {
    const answers = new SyncAnswers();
    const { encode, calls } = encoder();
    const first = answers.answer(7, new Uint8Array([1, 2, 3]), encode);
    expect(answers.answer(7, new Uint8Array([1, 2, 3]), encode)).toBe(first);
    expect(answers.answer(7, new Uint8Array([0]), encode)).not.toBe(first);
    expect(calls()).toBe(2);
  });

  it('encodes afresh once the report has moved on', () => {
    const answers = new SyncAnswers();
    const { encode, calls } = encoder();
    const before = answers.answer(7, new Uint8Array([0]), encode);
    expect(answers.answer(8, new Uint8Array([0]), encode)).not.toBe(before);
    expect(calls()).toBe(2);
  });

  it('keeps a few answers, and none for long', () => {
    vi.useFakeTimers();
    const answers = new SyncAnswers(5_000, 2);
    const { encode, calls } = encoder();
    for (const vector of [[1], [2], [3], [1]]) answers.answer(1, new Uint8Array(vector), encode);
    expect(calls()).toBe(4);
    answers.answer(1, new Uint8Array([3]), encode);
    expect(calls()).toBe(4);
    vi.advanceTimersByTime(5_000);
    answers.answer(1, new Uint8Array([3]), encode);
    expect(calls()).toBe(5);
  });
});
