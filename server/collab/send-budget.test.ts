import { describe, expect, it } from 'vitest';
import { SendBudget, type Backlogged } from './send-budget.js';

/** A socket's outgoing side as the budget sees it: what is written piles up until the client reads it. */
class Connection implements Backlogged {
  private waiting = 0;
  terminated = false;
  /** How often the budget looked at this socket's backlog. */
  looks = 0;

  get bufferedAmount(): number {
    this.looks++;
    return this.waiting;
  }

  write(bytes: number): void {
    this.waiting += bytes;
  }

  read(): void {
    this.waiting = 0;
  }

  terminate(): void {
    this.terminated = true;
    this.waiting = 0;
  }
}

const MiB = 1024 * 1024;

/** Sends `bytes` through the budget as the collaboration route does: admitted, then written. */
function send(budget: SendBudget, connection: Connection, bytes: number): boolean {
  if (!budget.admit(connection, bytes)) return false;
  connection.write(bytes);
  return true;
}

function connections(budget: SendBudget, count: number): Connection[] {
  return Array.from({ length: count }, () => {
    const connection = new Connection();
    budget.track(connection);
    return connection;
  });
}

describe('the server-wide send budget', () => {
  it('cuts off the sockets with the largest backlog once the total passes the budget, and never a socket that reads', () => {
    const budget = new SendBudget(100 * MiB);
    const [reader, ...stalled] = connections(budget, 6);
    // Ten rounds of 1 + 2 + 3 + 4 + 5 MiB to clients that never read: 150 MiB would be waiting.
    for (let round = 0; round < 10; round++) {
      for (const [i, connection] of stalled.entries()) send(budget, connection, (i + 1) * MiB);
      send(budget, reader!, MiB);
      reader!.read();
    }
    const cut = stalled.map((connection) => connection.terminated);
    expect(cut).toContain(true);
    // Those cut off are the ones sent the most: every one after the first cut is cut too.
    expect(cut.slice(cut.indexOf(true)).every(Boolean)).toBe(true);
    const waiting = stalled.filter((connection) => !connection.terminated).reduce((sum, connection) => sum + connection.bufferedAmount, 0);
    // The budget, give or take the sixteenth of it that a recount waits for.
    expect(waiting).toBeLessThanOrEqual((100 * MiB * 17) / 16);
    expect(reader!.terminated).toBe(false);
    expect(send(budget, reader!, MiB)).toBe(true);
  });

  it('writes nothing more to a socket it cut off or was told to forget', () => {
    const budget = new SendBudget(10 * MiB);
    const [stalled, gone] = connections(budget, 2);
    expect(send(budget, stalled!, 8 * MiB)).toBe(true);
    expect(send(budget, stalled!, 4 * MiB)).toBe(false);
    expect(stalled!.terminated).toBe(true);
    expect(send(budget, stalled!, 1)).toBe(false);
    budget.forget(gone!);
    expect(send(budget, gone!, 1)).toBe(false);
  });

  it('counts sockets that read their backlog at what they hold now, and cuts no one for what they held', () => {
    const budget = new SendBudget(10 * MiB);
    const readers = connections(budget, 50);
    // 50 MiB sent in all, each socket reading its megabyte before the next is sent anywhere.
    for (const reader of readers) {
      expect(send(budget, reader, MiB)).toBe(true);
      reader.read();
    }
    expect(readers.some((reader) => reader.terminated)).toBe(false);
  });

  it('looks at one socket per send while the total is within the budget, and at all of them only past it', () => {
    const budget = new SendBudget(64 * MiB);
    const all = connections(budget, 1000);
    const [sender] = all;
    const looksBefore = all.map((connection) => connection.looks);
    for (let i = 0; i < 1000; i++) {
      send(budget, sender!, 1024);
      sender!.read();
    }
    expect(all.slice(1).every((connection, i) => connection.looks === looksBefore[i + 1])).toBe(true);
    expect(sender!.looks - looksBefore[0]!).toBe(1000);

    expect(send(budget, sender!, 40 * MiB)).toBe(true);
    expect(all.slice(1).every((connection, i) => connection.looks === looksBefore[i + 1])).toBe(true);
    // Past the budget, every backlog is read once, and the largest — this one — is cut off.
    expect(send(budget, sender!, 30 * MiB)).toBe(false);
    expect(all.slice(1).every((connection, i) => connection.looks === looksBefore[i + 1]! + 1)).toBe(true);
    expect(sender!.terminated).toBe(true);
  });
});
