import { describe, expect, it } from 'vitest';
import { SocketCounts, type SocketPlace } from './socket-counts.js';

function release(place: SocketPlace): void {
  if ('exceeded' in place) throw new Error(`expected a place, the limit ${place.exceeded} was met`);
  place.release();
}

describe('sockets per session and per user', () => {
  it('admits up to the limit of a session, then names it; another session of the user is still admitted', () => {
    const counts = new SocketCounts({ socketsPerSession: 2, socketsPerUser: 5 });
    const held = [counts.admit('a', 1), counts.admit('a', 1)];
    expect(counts.admit('a', 1)).toEqual({ exceeded: 'socketsPerSession' });
    expect('release' in counts.admit('b', 1)).toBe(true);
    release(held[0]!);
    expect('release' in counts.admit('a', 1)).toBe(true);
  });

  it('admits up to the limit of a user across sessions, then names it; another user is still admitted', () => {
    const counts = new SocketCounts({ socketsPerSession: 2, socketsPerUser: 3 });
    counts.admit('a', 1);
    counts.admit('a', 1);
    const third = counts.admit('b', 1);
    expect(counts.admit('c', 1)).toEqual({ exceeded: 'socketsPerUser' });
    expect('release' in counts.admit('d', 2)).toBe(true);
    release(third);
    expect('release' in counts.admit('c', 1)).toBe(true);
  });

  it('gives a place back once, however often it is released', () => {
    const counts = new SocketCounts({ socketsPerSession: 1, socketsPerUser: 1 });
    const first = counts.admit('a', 1);
    release(first);
    release(first);
    const second = counts.admit('a', 1);
    expect('release' in second).toBe(true);
    expect(counts.admit('a', 1)).toEqual({ exceeded: 'socketsPerSession' });
  });
});
