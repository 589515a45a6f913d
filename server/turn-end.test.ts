import { setImmediate as nextTurnEnd } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { atTurnEnd } from './turn-end.js';

describe('the end of a turn of the event loop', () => {
  it('runs what is sent before what is stored, whichever was asked first, once each', async () => {
    const ran: string[] = [];
    atTurnEnd('store', () => ran.push('store 1'));
    atTurnEnd('send', () => ran.push('send 1'));
    atTurnEnd('store', () => ran.push('store 2'));
    atTurnEnd('send', () => ran.push('send 2'));
    expect(ran).toEqual([]);
    await nextTurnEnd();
    expect(ran).toEqual(['send 1', 'send 2', 'store 1', 'store 2']);
    await nextTurnEnd();
    expect(ran).toHaveLength(4);
  });

  it('leaves work asked for while it runs to the next turn', async () => {
    const ran: string[] = [];
    atTurnEnd('send', () => {
      ran.push('send');
      atTurnEnd('send', () => ran.push('send, asked while sending'));
    });
    await nextTurnEnd();
    expect(ran).toEqual(['send']);
    await nextTurnEnd();
    expect(ran).toEqual(['send', 'send, asked while sending']);
  });
});
